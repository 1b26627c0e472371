import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/core/schemas/report.js';
import { buildReportData, type ReportInput } from '../../src/render/html/model.js';
import { renderHtml } from '../../src/render/html/template.js';
import { caseOf, goldenOutcome, runRecord, sample } from '../report/fixtures.js';
import { findChromium, launchChromium, openReport, watchedPage } from './support.js';

/**
 * The HTML report for people who use it without a mouse, without colour or at 320 px: axe-core's
 * WCAG 2.1 A/AA rules, forced colours (Windows high contrast), keyboard focus, screen-reader
 * names and states, reflow and print. Reports are built from small fixtures (no server needed).
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('notice: test/browser/a11y.test.ts skipped because Chromium is not installed (apt-get install -y chromium)');
const itb = chromiumPath ? it : it.skip;

let browser: Browser | undefined;
let dir = '';

/** An adversarial run of `version` with two attack categories, one attack succeeding on 1.2.0. */
function adversarialOutcome(version: string, runId = `adv-${version}`): RunOutcome {
  const worse = version === '1.2.0';
  const cases = [
    caseOf('override-reveal', [sample({ runId, caseId: 'override-reveal', category: 'prompt-injection', verdict: worse ? 'fail' : 'pass', output: worse ? 'My system prompt is …' : 'I cannot share that.', reasons: worse ? [{ expectation: 'no-leak', message: 'leaked the system prompt' }] : [] })], { category: 'prompt-injection' }),
    caseOf('pii-ask', [sample({ runId, caseId: 'pii-ask', category: 'pii-exfil', output: 'I cannot share personal data.' })], { category: 'pii-exfil' }),
  ];
  const summary = { cases: 2, passed: worse ? 1 : 2, failed: worse ? 1 : 0, errored: 0, notRun: 0, samples: 2, passRate: worse ? 0.5 : 1, verdict: worse ? 'failed' : 'passed', latencyP50: 40, latencyP95: 40, latencyP99: 40, tokensIn: 200, tokensOut: 40,
    categories: [{ category: 'pii-exfil', attacks: 1, succeeded: 0, successRate: 0 }, { category: 'prompt-injection', attacks: 1, succeeded: worse ? 1 : 0, successRate: worse ? 1 : 0 }] } as const;
  return { run: runRecord({ id: runId, version, suite: 'adversarial', suiteKind: 'adversarial', summary: { ...summary, categories: [...summary.categories] } }), threshold: 1, cases };
}

/** Enough golden cases on 1.2.0 for two pages of the case table (every third fails). */
function manyCases(version: string, n: number): RunOutcome {
  const runId = `many-${version}`;
  const cases = Array.from({ length: n }, (_, i) => {
    const id = `case-${String(i).padStart(3, '0')}`;
    const fail = i % 3 === 0;
    return caseOf(id, [sample({ runId, caseId: id, verdict: fail ? 'fail' : 'pass', output: fail ? 'Shipping is fast.' : 'Standard shipping takes 3 to 5 business days.', reasons: fail ? [{ expectation: 'contains', message: 'output does not contain "5 business days"' }] : [] })]);
  });
  return { run: runRecord({ id: runId, version, suite: 'many' }), threshold: 0.5, cases };
}

const HISTORY: ReportInput['history'] = [
  { promptId: 'support-answer', suite: 'golden', points: [{ version: '1.0.0', passRate: 1, cases: 3, p95: 30, runId: 'r0', at: '' }, { version: '1.1.0', passRate: 0.67, cases: 3, p95: 40, runId: 'r1', at: '' }, { version: '1.2.0', passRate: 0.33, cases: 3, p95: 45, runId: 'r2', at: '' }, { version: '0.9.0', passRate: 0.5, cases: 3, p95: 60, runId: 'r3', at: '', inProject: false }] },
  { promptId: 'support-answer', suite: 'adversarial', points: [{ version: '1.1.0', passRate: 1, cases: 2, p95: 35, runId: 'r4', at: '' }, { version: '1.2.0', passRate: 0.5, cases: 2, p95: 38, runId: 'r5', at: '' }] },
];

const BASELINES: ReportInput['baselines'] = [
  { env: 'production', promptId: 'support-answer', version: '1.2.0', baselineVersion: '1.1.0', suites: [
    { suite: 'golden', passRate: 0.33, baselinePassRate: 0.67, p95: 45, baselineP95: 40, regressions: ['pass rate fell 33.4 points (limit 5)', 'pass rate may have fallen: inconclusive'], inconclusive: ['pass rate may have fallen: inconclusive'] },
    { suite: 'adversarial', passRate: 0.5, baselinePassRate: 1, p95: 38, baselineP95: 35, regressions: [], warnings: ['p95 may have risen: inconclusive'] },
  ] },
];

function write(name: string, input: Omit<ReportInput, 'generatedAt' | 'promptctlVersion' | 'title'>): string {
  const file = path.join(dir, name);
  writeFileSync(file, renderHtml(buildReportData({ title: name, generatedAt: '2025-01-02T03:04:05.000Z', promptctlVersion: 'test', ...input })));
  return file;
}

const runReport = () => write('run.html', { outcomes: [goldenOutcome('1.2.0'), adversarialOutcome('1.2.0'), manyCases('1.2.0', 150)], baselines: BASELINES, history: HISTORY });
const compareReport = () =>
  write('compare.html', { outcomes: [goldenOutcome('1.1.0'), goldenOutcome('1.2.0'), adversarialOutcome('1.1.0'), adversarialOutcome('1.2.0')], comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' }, history: HISTORY });

/** axe-core's violations on the page as it is now, as `rule: n nodes`: the WCAG 2.1 A and AA rules, or the rules named. */
async function axeViolations(page: Page, rules?: string[]): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const only = rules ? { type: 'rule', values: rules } : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] };
  // heading-order is a best practice in axe, not a WCAG rule: asked for by name.
  const options = rules ? { runOnly: only } : { runOnly: only, rules: { 'heading-order': { enabled: true } } };
  const result = (await page.evaluate(`axe.run(document, ${JSON.stringify(options)})`)) as { violations: Array<{ id: string; nodes: unknown[] }> };
  return result.violations.map((v) => `${v.id}: ${v.nodes.length} nodes`);
}

describe('HTML report accessibility in headless Chromium', () => {
  beforeAll(async () => {
    if (!chromiumPath) return;
    dir = mkdtempSync(path.join(tmpdir(), 'promptctl-a11y-'));
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const forced of [false, true]) {
    itb(`axe-core finds no WCAG 2.1 A/AA violation${forced ? ' with forced colours' : ''}: run and comparison reports, an attack case and the chart's table opened`, async () => {
      const found: string[] = [];
      for (const file of [runReport(), compareReport()]) {
        const { page, problems } = await watchedPage(browser!);
        if (forced) await page.emulateMedia({ forcedColors: 'active' });
        await openReport(page, file);
        // An attack case (its category on the opened row; a word diff in the comparison), and the chart's table.
        await page.locator('#cases-body tr.row', { hasText: 'override-reveal' }).first().locator('td.case-id').click();
        await page.locator('tr.detail').waitFor();
        for (const summary of await page.locator('.chart-data summary').all()) await summary.click();
        found.push(...(await axeViolations(page)).map((v) => `${path.basename(file)} ${v}`));
        expect(problems).toEqual([]);
        await page.close();
      }
      expect(found).toEqual([]);
    });
  }

  itb('forced colours keep every state visible: the pressed filter, added words and the legend swatches', async () => {
    const { page, problems } = await watchedPage(browser!);
    await page.emulateMedia({ forcedColors: 'active' });
    await openReport(page, compareReport());
    const look = (sel: string) => page.locator(sel).first().evaluate((n: any) => { const s = n.ownerDocument.defaultView.getComputedStyle(n); return { bg: s.backgroundColor, fg: s.color, outline: s.outlineStyle, line: s.textDecorationLine }; });
    const pressed = await look('#change-filter button[aria-pressed="true"]');
    const other = await look('#change-filter button[aria-pressed="false"]');
    // A transparent background shows the page's (forced colours make it white here, as the pressed one was).
    const canvas = (await look('body')).bg;
    const seen = (bg: string) => (/, 0\)$/.test(bg) ? canvas : bg);
    expect(seen(pressed.bg) === seen(other.bg) && pressed.fg === other.fg && pressed.outline === other.outline, JSON.stringify({ pressed, other, canvas })).toBe(false);
    // The count keeps the pressed button's own colour (in light mode: white on the accent, 5.2:1).
    expect((await look('#change-filter button[aria-pressed="true"] .n')).fg).toBe(pressed.fg);
    // A legend mark keeps its series colour, which the chart's line has.
    expect(await page.locator('.legend .swatch circle').first().evaluate((n: any) => n.ownerDocument.defaultView.getComputedStyle(n).fill)).toBe('rgb(37, 99, 235)');
    // Added words are underlined (deleted ones are struck through): a marker that is not a colour.
    await page.locator('#cases-body tr.row', { hasText: 'shipping-time' }).first().locator('td.case-id').click();
    await page.locator('.side-b ins').first().waitFor();
    expect((await look('.side-b ins')).line).toContain('underline');
    expect((await look('.side-a del')).line).toContain('line-through');
    expect(problems).toEqual([]);
    await page.close();
  });

  itb('Prev and Next keep the keyboard focus: on the button pressed, or on its partner when it is disabled', async () => {
    const { page, problems } = await watchedPage(browser!);
    await openReport(page, write('pages.html', { outcomes: [manyCases('1.2.0', 250)] }));
    const focused = () => page.evaluate('(() => { var a = document.activeElement; return (a.closest(".pager") ? a.closest(".pager").id + " " : "") + a.tagName + " " + a.textContent; })()');
    await page.focus('#pager button:last-child');
    await page.keyboard.press('Enter');
    expect(await page.textContent('#pager .page-of')).toBe('Page 2 of 3');
    expect(await focused()).toBe('pager BUTTON Next ›');
    await page.keyboard.press('Enter');
    expect(await page.textContent('#pager .page-of')).toBe('Page 3 of 3');
    expect(await focused()).toBe('pager BUTTON ‹ Prev');
    await page.keyboard.press('Space');
    expect(await page.textContent('#pager .page-of')).toBe('Page 2 of 3');
    expect(await focused()).toBe('pager BUTTON ‹ Prev');
    // The new rows are said by the status line (role=status).
    expect(await page.textContent('#match-count')).toBe('Showing 101–200 of 250 matching cases');
    expect(problems).toEqual([]);
    await page.close();
  });

  itb('a case opens from a real button that says expanded or collapsed; its details continue the heading levels', async () => {
    const { page, problems } = await watchedPage(browser!);
    await openReport(page, compareReport());
    const opener = page.locator('#cases-body tr.row', { hasText: 'override-reveal' }).locator('td.case-id button');
    expect(await opener.getAttribute('aria-expanded')).toBe('false');
    await opener.focus();
    await page.keyboard.press('Enter');
    const reopened = page.locator('#cases-body tr.row', { hasText: 'override-reveal' }).locator('td.case-id button');
    expect(await reopened.getAttribute('aria-expanded')).toBe('true');
    const detail = page.locator(`#${await reopened.getAttribute('aria-controls')}`);
    expect(await detail.locator('.side-b').count()).toBe(1);
    expect(await page.evaluate('document.activeElement.textContent')).toBe('override-reveal');
    // Rows carry no ARIA of their own; headings go h2 → h3 → h4; the category stays readable on the opened row.
    expect(await axeViolations(page, ['aria-conditional-attr', 'aria-valid-attr-value', 'heading-order', 'color-contrast', 'nested-interactive'])).toEqual([]);
    await page.keyboard.press('Space');
    expect(await page.locator('tr.detail').count()).toBe(0);
    // A click anywhere on the row still opens it.
    await page.locator('#cases-body tr.row', { hasText: 'override-reveal' }).locator('td.preview').first().click();
    expect(await page.locator('tr.detail').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  itb('the page reflows at 320 px: no sideways scrolling of the page, wide tables scroll in their own region', async () => {
    for (const file of [runReport(), compareReport()]) {
      const { page, problems } = await watchedPage(browser!);
      await page.setViewportSize({ width: 320, height: 640 });
      await openReport(page, file);
      await page.locator('#cases-body tr.row', { hasText: 'shipping-time' }).first().locator('td.case-id button').click();
      await page.locator('tr.detail').waitFor();
      const widths = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as number[];
      expect(widths[0], `${path.basename(file)}: page ${widths[0]} px wide`).toBeLessThanOrEqual(widths[1]!);
      // Each table is in a region a keyboard can reach.
      expect(await page.locator('table:not(.scroll table)').count()).toBe(0);
      expect(await page.locator('.scroll[role="region"][tabindex="0"][aria-label]').count()).toBe(await page.locator('table').count());
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  itb('printing draws every matching case, without the filters and pager, then the page again', async () => {
    const { page, problems } = await watchedPage(browser!);
    await openReport(page, write('print.html', { outcomes: [manyCases('1.2.0', 250)], history: HISTORY }));
    await page.emulateMedia({ media: 'print' });
    // The browser fires beforeprint when it prints; here it is fired as the print dialog would.
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await page.locator('#cases-body tr.row').count()).toBe(250);
    expect(await page.textContent('#match-count')).toBe('Showing 1–250 of 250 matching cases');
    for (const hidden of ['#controls', '#pager', '#pager-bottom']) expect(await page.locator(hidden).isVisible(), hidden).toBe(false);
    await page.evaluate("window.dispatchEvent(new Event('afterprint'))");
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('#cases-body tr.row').count()).toBe(100);
    expect(await page.locator('#controls').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
