/** How many characters a value has, as max_length counts them (core/template.ts checkValues). */

/** The code points one character may take before a cluster counts as more (characterCount). */
const CLUSTER_CODE_POINTS = 10;

/**
 * Characters as a person counts them: grapheme clusters (Intl.Segmenter, no dependency). A
 * thumbs-up with a skin tone (👍🏽) is one, not two code points or four UTF-16 units; a flag, an
 * accent written as a combining mark and a ZWJ family are one too. The one rule of max_length,
 * which render, eval and lint all reach through renderValues.
 */
export function characterCount(text: string): number {
  // Most text (Latin, Cyrillic, Greek, CJK, Hangul syllables…) holds nothing that joins a
  // cluster but CR LF: it is counted without segmenting it.
  if (!mayJoinCluster(text)) return text.length - (text.match(/\r\n/g)?.length ?? 0);
  let n = 0;
  // A segmenter per call: core keeps no module-level state, and this runs only past max_length's units.
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // Segmented in windows: V8 walks one long string's clusters in quadratic time (a 128 KB value
  // held lint for minutes). A window's last cluster may go on in the next window, so the next
  // window starts at it. A cluster longer than a window (a letter and thousands of marks) is
  // summed over the windows it fills (`long`, its code points) and counted once it ends.
  let long = 0;
  const endLong = () => {
    if (long) n += Math.max(1, Math.ceil(long / CLUSTER_CODE_POINTS));
    long = 0;
  };
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + SEGMENT_WINDOW);
    // Never between the two halves of a surrogate pair.
    if (end < text.length && end > start + 1 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    const segments = [...segmenter.segment(text.slice(start, end))];
    if (long && CONTINUES_CLUSTER.test(segments[0]!.segment)) {
      long += [...segments[0]!.segment].length;
      if (segments.length === 1 && end < text.length) {
        start = end;
        continue;
      }
      segments.shift();
    }
    endLong();
    if (segments.length === 1 && end < text.length) {
      long = [...segments[0]!.segment].length;
      start = end;
      continue;
    }
    const carry = end < text.length ? segments.pop()! : undefined;
    for (const { segment } of segments) n += clusterCharacters(segment);
    start = carry ? start + carry.index : end;
  }
  endLong();
  return n;
}

/**
 * What may join a grapheme cluster with the character before or after it (UAX #29): marks and
 * other extenders, joiners and other format characters (some are prepended), Hangul jamo (a
 * syllable joins only with a jamo), the spacing vowels and prepended signs written as letters
 * (Thai and Lao AM, Malayalam dot reph), and everything beyond the BMP (emoji, their modifiers,
 * flags, tags), which is written with surrogates. Between two other code points a cluster always
 * ends, CR LF aside. test/core/character-count.test.ts checks every BMP code point against the segmenter.
 */
const MAY_JOIN = /[\p{M}\p{Grapheme_Extend}\p{Cf}\u0d4e\u0e33\u0eb3\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\p{Cs}\u{10000}-\u{10ffff}]/u;

/** Whether `text` holds a code point that may join a cluster (MAY_JOIN); if not, each is one character but CR LF. */
export function mayJoinCluster(text: string): boolean {
  return MAY_JOIN.test(text);
}

/** What cannot start a cluster, so a window starting with it goes on with the cluster before it. */
const CONTINUES_CLUSTER = /^[\p{Grapheme_Extend}\u200d\p{Emoji_Modifier}]/u;

/** UTF-16 units segmented at once by characterCount: short enough that V8's per-string cost stays small. */
const SEGMENT_WINDOW = 512;

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;

/**
 * A cluster has no length limit ('a' and 100,000 combining marks is one): one longer than
 * CLUSTER_CODE_POINTS code points counts as one character per that many, so max_length still
 * bounds what is sent (an emoji with its modifiers, a family, a flag stay one).
 */
function clusterCharacters(segment: string): number {
  const points = segment.length <= CLUSTER_CODE_POINTS ? 1 : [...segment].length;
  return Math.max(1, Math.ceil(points / CLUSTER_CODE_POINTS));
}

/**
 * The number (from 1), as characterCount counts, of the character that UTF-16 index `at` of `text`
 * falls in: what a message's "at character N" says, so `👍👍👍 no` differs from `👍👍👍 yes` at
 * character 5, not at UTF-16 unit 8. A code point that joins the cluster before it (a skin tone, a
 * combining accent) is in that character; `at` past the end is the character after the last.
 */
export function characterNumber(text: string, at: number): number {
  if (at >= text.length) return characterCount(text) + 1;
  const through = at + ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
  return Math.max(1, characterCount(text.slice(0, through)));
}

/** UTF-16 units segmented on each side of a cut (characterBoundary): a ZWJ family or a flag fits many times. */
const BOUNDARY_CONTEXT = 64;

/**
 * `at` moved to a boundary between characters of `text` (grapheme clusters, as characterCount
 * counts them), so a cut never splits a ZWJ family (👨‍👩‍… for 👨‍👩‍👧‍👦), a flag, an emoji from its skin
 * tone or a letter from its accent: back to the start of the character `at` falls in, or on past
 * its end. Only the text around `at` is segmented, so cutting a long output stays cheap.
 */
export function characterBoundary(text: string, at: number, toward: 'start' | 'end'): number {
  if (at <= 0 || at >= text.length) return Math.min(Math.max(at, 0), text.length);
  // Most cuts (Latin, Cyrillic, CJK…) fall between two characters that cannot join: no segmenter.
  if (surelyBoundary(text, at)) return at;
  // Segmenting starts where a character surely starts, so the clusters found around `at` are the text's own.
  let from = Math.max(0, at - BOUNDARY_CONTEXT);
  const limit = Math.max(0, at - 4 * BOUNDARY_CONTEXT);
  while (from > limit && !surelyBoundary(text, from)) from--;
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--;
  // Regional indicators pair up from the start of their run (two make a flag): in a long run of
  // flags, start on the first of a pair, or the segmenter pairs the halves of two flags.
  if (isRegionalIndicator(text, from)) {
    let before = 0;
    while (isRegionalIndicator(text, from - 2 * (before + 1))) before++;
    if (before % 2 === 1) from -= 2;
  }
  const window = text.slice(from, Math.min(text.length, at + BOUNDARY_CONTEXT));
  const segment = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(window).containing(at - from);
  if (!segment || segment.index === at - from) return at;
  return from + segment.index + (toward === 'end' ? segment.segment.length : 0);
}

const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** Whether a character surely ends at UTF-16 index `i`: neither unit around it may join a cluster (MAY_JOIN), and it is not CR LF. */
function surelyBoundary(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return true;
  const [before, after] = [text.charCodeAt(i - 1), text.charCodeAt(i)];
  if (before === 0x0d && after === 0x0a) return false;
  // Below U+0300 nothing may join: the common case skips the pattern.
  return (before < 0x300 && after < 0x300) || !mayJoinCluster(text.slice(i - 1, i + 1));
}

/** Whether a regional indicator (U+1F1E6–U+1F1FF, half a flag) starts at UTF-16 index `i`. */
function isRegionalIndicator(text: string, i: number): boolean {
  if (i < 0) return false;
  const low = text.charCodeAt(i + 1);
  return text.charCodeAt(i) === 0xd83c && low >= 0xdde6 && low <= 0xddff;
}
