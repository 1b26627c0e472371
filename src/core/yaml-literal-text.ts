/**
 * The literal text of a YAML file blanked for the fast path's patterns: the bodies of block scalars
 * (`system: |` and the lines under it) and quoted scalars that are a line's whole value
 * (`payload: "…"`). Inside them every character is text to both parsers, so a Markdown heading
 * (`### Instruction`), an image (`![ok](https://…)`) or bold text (`**now**`) there says nothing
 * about the file's syntax; without this, a prompt or attack pack written in Markdown always took
 * the slow parser (three shipped packs did, on every command that expands attacks).
 *
 * Only what is certainly literal is blanked, and anything unusual blanks nothing (the patterns then
 * see the whole text, as before):
 * - a block scalar header is a whole line: indentation, at most one `- `, an optional plain key
 *   (letters, digits, `_ . -`) and `:`, then `|` or `>` with an optional chomping sign; no
 *   indentation digit, tag, anchor or comment;
 * - its body's indentation is that of its first non-blank line, which must be deeper than the
 *   node that owns the scalar (the key's column, or the dash's for `- |`), and no blank line before
 *   it may be longer; the body ends at the first non-blank line indented less;
 * - a quoted value is blanked when the line is only indentation, at most one `- `, an optional
 *   plain key and `:`, and one quoted scalar closed on that line (no comment after it);
 * - a line outside the bodies that may open a quoted scalar or a flow collection going on to the
 *   next line (a quote where a value starts left open, more `[`/`{` than `]`/`}`) blanks nothing
 *   in the file, since a header-like line inside one would not be a header.
 * Blanked body lines become empty lines and blanked quotes `""`, so the line structure (and every
 * pattern's anchors) stay as they were.
 */

const HEADER = /^( *)(- +)?(?:([A-Za-z_][\w.-]*) *: +)?[|>][-+]? *$/;

/** The column of the node owning a block scalar whose header is `line`, or undefined if it is not a header. */
function ownerColumn(line: string): number | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const indent = m[1]!.length;
  const dash = m[2]?.length ?? 0;
  if (m[3] === undefined) return dash ? indent : undefined; // `- |`: the sequence's dash; a bare `|` is not one
  return indent + dash; // `key: |` or `- key: |`: the key's column
}

const indentOf = (line: string): number => /^ */.exec(line)![0].length;
const isBlank = (line: string): boolean => /^ *$/.test(line);

/**
 * Whether a line may open a quoted scalar or a flow collection that goes on to the next line. A
 * quote counts only where a value can start (after the indentation, `: `, `- `, `? `, `[`, `{` or
 * `,`), so an apostrophe in text (`don't`) does not; brackets are counted anywhere.
 */
function mayContinueOnNextLine(line: string): boolean {
  const count = (re: RegExp) => line.match(re)?.length ?? 0;
  if (count(/[[{]/g) > count(/[\]}]/g)) return true;
  const opening = /(?:^ *|[:?-] +|[[{,] *)(["'])/g;
  for (let m = opening.exec(line); m; m = opening.exec(line)) {
    const quote = m[1]!;
    let j = m.index + m[0].length;
    for (;;) {
      if (j >= line.length) return true;
      if (quote === '"' && line[j] === '\\') j += 2;
      else if (line[j] === quote && quote === "'" && line[j + 1] === "'") j += 2;
      else if (line[j] === quote) break;
      else j++;
    }
    opening.lastIndex = j + 1;
  }
  return false;
}

const ANY_HEADER = /^ *(?:- +)?(?:[A-Za-z_][\w.-]* *: +)?[|>][-+]? *$/m;
const QUOTED_VALUE = /^( *(?:- +)?(?:[A-Za-z_][\w.-]* *: +)?)(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*') *$/;
const ANY_QUOTED_VALUE = new RegExp(QUOTED_VALUE.source, 'm');

export function withoutLiteralText(text: string): string {
  if (!ANY_HEADER.test(text) && !ANY_QUOTED_VALUE.test(text)) return text;
  const lines = text.split('\n');
  let blanked = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (mayContinueOnNextLine(line)) return text;
    const quoted = QUOTED_VALUE.exec(line);
    if (quoted) {
      lines[i] = `${quoted[1]}""`;
      blanked = true;
      continue;
    }
    const owner = ownerColumn(line);
    if (owner === undefined) continue;
    let first = i + 1;
    while (first < lines.length && isBlank(lines[first]!)) first++;
    if (first >= lines.length) break;
    const bodyIndent = indentOf(lines[first]!);
    if (bodyIndent <= owner) continue; // an empty scalar: the next line is syntax
    // A leading blank line longer than the body's indentation is an error to `yaml` (js-yaml reads it).
    if (lines.slice(i + 1, first).some((l) => l.length > bodyIndent)) continue;
    let end = first;
    while (end < lines.length && (isBlank(lines[end]!) || indentOf(lines[end]!) >= bodyIndent)) end++;
    for (let j = i + 1; j < end; j++) lines[j] = '';
    blanked = true;
    i = end - 1;
  }
  return blanked ? lines.join('\n') : text;
}
