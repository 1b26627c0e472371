import type { Segment } from '../template.js';

/**
 * Which placeholders of a message are delimited: inside a tag's element, a paired fence's block, or
 * directly between `---` or `###` markers. Other placeholders beside one are part of the delimited
 * text (`<q>\n{{question}} {{customer}}\n</q>`), so every placeholder is blanked out before looking.
 *
 * One pass over the message for all its placeholders: asking each placeholder about the whole text
 * before and after it was quadratic (3,000 uses of an untrusted `{{q}}` in a 33 KB message held
 * lint for a minute). The answers are the ones that per-placeholder reading gave, rule by rule.
 */

type VarSegment = Extract<Segment, { kind: 'var' }>;

// The lookahead makes the name take its whole run: `[\w-]*` and the attributes' `[^<>]*?` both
// match word characters, and without it a name with no `>` after it was given back one character at
// a time, quadratic in its length. The tags matched are the same.
const TAG = /<(\/?)([A-Za-z][\w-]*)(?![\w-])[^<>]*?(\/?)>/g;
/** Paired fences: text after an odd number of them is inside a block. */
const PAIRED_FENCES = ['```', '"""', "'''"];
const MARKER = /(---|###)[\w-]*$/;
const MARKER_CHAR = /[\w-]/;
const SPACE = /\s/;

/** The offsets of the delimited placeholders among a message's segments. */
export function delimitedPlaceholders(content: string, segments: ReadonlyArray<Segment>): Set<number> {
  const vars = segments.filter((s): s is VarSegment => s.kind === 'var');
  const text = blanked(content, vars);
  const element = elementTracker(text);
  const fences = PAIRED_FENCES.map((f) => fenceTracker(text, f));
  const marker = markerReader(text);
  const out = new Set<number>();
  for (const seg of vars) {
    const end = seg.offset + seg.length;
    if (element(seg.offset, end) || fences.some((inside) => inside(seg.offset, end)) || marker(seg.offset, end)) out.add(seg.offset);
  }
  return out;
}

function blanked(content: string, vars: ReadonlyArray<VarSegment>): string {
  const parts: string[] = [];
  let last = 0;
  for (const s of vars) {
    parts.push(content.slice(last, s.offset), ' '.repeat(s.length));
    last = s.offset + s.length;
  }
  parts.push(content.slice(last));
  return parts.join('');
}

/**
 * Some tag opened before a place, and not closed there, is closed after it. Asked at increasing
 * places: the tags wholly before each are applied once, to a stack that keeps, per entry, the
 * furthest `</name>` of any tag open up to it, and per name where it sits in the stack.
 */
function elementTracker(text: string): (start: number, end: number) => boolean {
  const tags = [...text.matchAll(TAG)];
  const lastClose = new Map<string, number>();
  for (const m of tags) if (m[1] && m[2] && m[0] === `</${m[2]}>`) lastClose.set(m[2], m.index);
  const stack: Array<{ name: string; furthestClose: number }> = [];
  const at = new Map<string, number[]>();
  let next = 0;
  return (start, end) => {
    for (; next < tags.length && tags[next]!.index + tags[next]![0].length <= start; next++) {
      const [, closing, name, selfClosing] = tags[next]!;
      if (selfClosing || !name) continue;
      if (!closing) {
        const below = stack.length ? stack[stack.length - 1]!.furthestClose : -1;
        stack.push({ name, furthestClose: Math.max(below, lastClose.get(name) ?? -1) });
        const places = at.get(name);
        if (places) places.push(stack.length - 1);
        else at.set(name, [stack.length - 1]);
        continue;
      }
      const places = at.get(name);
      if (!places?.length) continue;
      // Closing a tag closes every tag opened inside it.
      const keep = places[places.length - 1]!;
      while (stack.length > keep) at.get(stack.pop()!.name)!.pop();
    }
    return stack.length > 0 && stack[stack.length - 1]!.furthestClose >= end;
  };
}

/** After an odd number of fences (counted as `split` does, without overlaps) and one more follows. */
function fenceTracker(text: string, fence: string): (start: number, end: number) => boolean {
  const places: number[] = [];
  for (let i = text.indexOf(fence); i !== -1; i = text.indexOf(fence, i + fence.length)) places.push(i);
  const last = text.lastIndexOf(fence);
  let before = 0;
  return (start, end) => {
    while (before < places.length && places[before]! + fence.length <= start) before++;
    return before % 2 === 1 && last >= end;
  };
}

/** Directly after a `---` or `###` marker (spaces aside), and the same marker directly follows. */
function markerReader(text: string): (start: number, end: number) => boolean {
  // trimmedEnd[i]: the end of text.slice(0, i).trimEnd(); nextShown[i]: where text.slice(i).trimStart() starts.
  const trimmedEnd = new Int32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) trimmedEnd[i + 1] = SPACE.test(text[i]!) ? trimmedEnd[i]! : i + 1;
  const nextShown = new Int32Array(text.length + 1).fill(text.length);
  for (let i = text.length - 1; i >= 0; i--) nextShown[i] = SPACE.test(text[i]!) ? nextShown[i + 1]! : i;
  const markers = new Map<number, string | undefined>();
  const markerEnding = (e: number): string | undefined => {
    if (markers.has(e)) return markers.get(e);
    // A match ends in a run of [\w-] and starts at most three characters before it; distinct ends
    // are distinct runs, so each character is looked at once.
    let run = e;
    while (run > 0 && MARKER_CHAR.test(text[run - 1]!)) run--;
    const found = MARKER.exec(text.slice(Math.max(0, run - 3), e))?.[1];
    markers.set(e, found);
    return found;
  };
  return (start, end) => {
    const found = markerEnding(trimmedEnd[start]!);
    return !!found && text.startsWith(found, nextShown[end]!);
  };
}
