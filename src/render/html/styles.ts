/**
 * The report's stylesheet: inline (the CSP allows inline styles and nothing external). States are
 * never said by colour alone: forced colours (Windows high contrast) repaint backgrounds, so the
 * pressed filter takes the system's Highlight, added words are underlined as deleted ones are struck
 * through, and legend swatches keep their series colour.
 */
export const STYLES = `
:root { --fg:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --card:#fff; --accent:#2563eb;
  --pass:#15803d; --pass-bg:#dcfce7; --fail:#b91c1c; --fail-bg:#fee2e2; --error:#b45309; --error-bg:#fef3c7;
  --notrun:#4b5563; --notrun-bg:#e5e7eb; --ins-bg:#bbf7d0; --del-bg:#fecaca; }
* { box-sizing: border-box; }
[hidden] { display:none !important; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; color:var(--fg); background:var(--bg); }
main { max-width:1320px; margin:0 auto; padding:20px 24px 48px; }
header h1 { font-size:22px; margin:0 0 4px; }
header .meta { color:var(--muted); font-size:12.5px; }
header .meta span + span::before { content:"·"; margin:0 8px; color:#9ca3af; }
h2 { font-size:16px; margin:28px 0 10px; }
h2 small { font-weight:normal; color:var(--muted); margin-left:6px; }
code, pre, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace; font-size:12.5px; }
.notes { margin:12px 0 0; padding:8px 12px; background:#fffbeb; border:1px solid #fde68a; border-radius:6px; }
.notes li { margin:2px 0 2px 16px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(150px,1fr)); gap:10px; margin-top:16px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.03em; }
.card .value { font-size:22px; font-weight:600; margin-top:2px; font-variant-numeric:tabular-nums; }
.card .sub { color:var(--muted); font-size:12px; }
.card.good .value { color:var(--pass); } .card.bad .value { color:var(--fail); } .card.warn .value { color:var(--error); }
.verdict { margin:12px 0 0; padding:8px 12px; border-radius:6px; font-size:15px; }
.delta-up { color:var(--pass); } .delta-down { color:var(--fail); } .delta-same { color:var(--muted); }
table { border-collapse:collapse; width:100%; background:var(--card); border:1px solid var(--line); border-radius:8px; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { white-space:nowrap; font-size:12px; color:var(--muted); font-weight:600; background:#f9fafb; position:sticky; top:0; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.ci { color:var(--muted); }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:11.5px; font-weight:600; white-space:nowrap; }
.v-pass, .v-passed { background:var(--pass-bg); color:var(--pass); }
.v-fail, .v-failed { background:var(--fail-bg); color:var(--fail); }
.v-error, .v-incomplete { background:var(--error-bg); color:var(--error); }
.v-not-run { background:var(--notrun-bg); color:var(--notrun); }
.c-regression { background:var(--fail-bg); color:var(--fail); } .c-fix { background:var(--pass-bg); color:var(--pass); }
.c-changed { background:var(--error-bg); color:var(--error); } .c-same-verdict { background:#dbeafe; color:#1d4ed8; } .c-unanswered { background:var(--error-bg); color:var(--error); }
.c-identical { background:var(--notrun-bg); color:var(--notrun); }
.charts { display:flex; flex-wrap:wrap; gap:12px; }
.chart { background:var(--card); border:1px solid var(--line); border-radius:8px; max-width:100%; height:auto; }
.chart .grid { stroke:#eef0f3; } .chart .tick { font-size:10.5px; fill:var(--muted); } .chart .tick-strong { fill:var(--fg); font-weight:700; } .chart .tick-away { font-style:italic; fill:#6b7280; }
.chart .ci-bar { stroke-width:1.5; opacity:.55; }
.chart .chart-title { font-size:12px; font-weight:600; fill:var(--fg); }
.chart-figure { margin:0 0 12px; } .chart-figure figcaption { color:var(--muted); font-size:12.5px; margin-bottom:6px; }
.legend { list-style:none; padding:0; margin:6px 0 0; display:flex; flex-wrap:wrap; gap:4px 16px; font-size:12.5px; }
.swatch { display:inline-block; width:12px; height:12px; margin-right:6px; vertical-align:-1px; }
.chart-data { margin-top:6px; font-size:12.5px; } .chart-data summary { cursor:pointer; } .chart-data table { margin-top:6px; }
.controls { display:flex; flex-wrap:wrap; gap:8px 14px; align-items:center; margin-bottom:10px; }
.seg { display:inline-flex; flex-wrap:wrap; border:1px solid var(--line); border-radius:6px; overflow:hidden; background:var(--card); }
.seg button { border:0; border-right:1px solid var(--line); background:transparent; padding:5px 10px; font:inherit; font-size:13px; cursor:pointer; color:var(--fg); }
.seg button:last-child { border-right:0; }
.seg button[aria-pressed="true"] { background:var(--accent); color:#fff; }
.seg button .n { color:var(--muted); margin-left:4px; font-variant-numeric:tabular-nums; display:inline-block; min-width:var(--count-width, 0); text-align:right; }
.seg button[aria-pressed="true"] .n { color:inherit; }
select, input[type=search] { font:inherit; font-size:13px; padding:5px 8px; border:1px solid #d1d5db; border-radius:6px; background:#fff; }
input[type=search] { min-width:min(260px, 100%); }
.status-line { display:flex; flex-wrap:wrap; justify-content:space-between; align-items:center; margin:6px 0; color:var(--muted); font-size:13px; }
.pager button { font:inherit; font-size:13px; padding:3px 10px; border:1px solid #d1d5db; background:#fff; border-radius:6px; cursor:pointer; }
.pager button:disabled { opacity:.4; cursor:default; }
.pager span { margin:0 8px; }
#cases tbody tr.row { cursor:pointer; }
#cases tbody tr.row:hover { background:#f1f5f9; }
#cases tbody tr.row.open { background:#eff6ff; }
#cases td.case-id button { font:inherit; font-size:12.5px; color:inherit; background:none; border:0; padding:0; margin:0; cursor:pointer; text-align:left; }
#cases td.case-id button:focus-visible { outline:2px solid var(--accent); outline-offset:2px; }
#cases td.preview { max-width:0; width:34%; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; color:#374151; }
#cases td.preview.input { width:24%; color:#1f2937; }
#cases td.why { max-width:0; width:26%; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; color:var(--fail); }
#cases td.case-id, #cases td.nowrap { white-space:nowrap; }
#cases td.case-id .cat { display:block; color:#4b5563; font-size:11.5px; }
tr.detail > td { background:#fbfdff; padding:12px 14px 16px; }
.detail h3, .detail h4, .detail .note { margin:10px 0 4px; font-size:12.5px; color:var(--muted); text-transform:uppercase; letter-spacing:.03em; }
.detail .note { text-transform:none; font-weight:600; } .detail h3:first-child { margin-top:0; }
.detail ul { margin:0; padding-left:18px; }
.detail .reason b { color:var(--fail); font-weight:600; }
.detail .reason .ea { color:var(--muted); display:block; }
.detail pre { white-space:pre-wrap; word-break:break-word; background:#fff; border:1px solid var(--line); border-radius:6px; padding:8px 10px; margin:4px 0 0; max-height:420px; overflow:auto; }
.detail dl.inputs { margin:0; } .detail dl.inputs dt { margin-top:6px; font-weight:600; } .detail dl.inputs dd { margin:0; }
.detail .sides { display:grid; grid-template-columns:1fr 1fr; gap:14px; }
.detail .sample { margin-top:8px; }
.detail .sample .hdr { font-size:12px; color:var(--muted); }
ins { background:var(--ins-bg); text-decoration:underline; text-decoration-color:#15803d; } del { background:var(--del-bg); text-decoration:line-through; text-decoration-color:#b91c1c80; }
.empty { padding:24px; text-align:center; color:var(--muted); }
footer { margin-top:36px; color:var(--muted); font-size:12px; }
/* Reflow (WCAG 1.4.10): tables scroll in their own region; the case table's only when narrow, so its header stays sticky. */
.scroll { max-width:100%; overflow-x:auto; }
#cases-scroll { overflow-x:visible; }
@media (max-width: 900px) {
  main { padding:12px 10px 32px; }
  #cases-scroll { overflow-x:auto; }
  .detail .sides { grid-template-columns:1fr; }
}
/* Printed: every matching case (the page script draws them all at beforeprint), no controls, text that wraps. */
@media print {
  body { background:#fff; } main { max-width:none; padding:0; }
  .controls, .pager, .chart-data summary { display:none; }
  .scroll, #cases-scroll { overflow:visible; }
  th { position:static; }
  #cases td.preview, #cases td.why { max-width:none; white-space:normal; overflow:visible; }
  tr, .card, .chart-figure { break-inside:avoid; }
}
@media (forced-colors: active) {
  .seg button[aria-pressed="true"] { forced-color-adjust:none; background:Highlight; color:HighlightText; }
  .swatch { forced-color-adjust:none; }
}
`;
