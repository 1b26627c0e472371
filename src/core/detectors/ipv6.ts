/**
 * IPv6 addresses in text: where one may be written (ipv6Candidates) and whether it is one (isIPv6).
 * The candidates are found in one pass over the text, each maximal run of hex digits, colons and dots
 * looked at once: a single pattern that also chose where a candidate ends (`[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*`
 * then "no word character next") retried every split of a run that ends in a word character, so
 * 100,000 colons and an `x` took a minute.
 */

const IPV4_EXACT = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
// A maximal run of the characters an address (and its IPv4 tail) is written with.
const RUN = /[0-9A-Fa-f:.]+/g;
// A zone after the address: fe80::1%eth0.
const ZONE = /%[0-9A-Za-z]+/y;
// Before a candidate: nothing that makes it the tail of a word, a path or a longer run.
const BEFORE = /[\w:.%]/;
// After it: nothing that makes it the head of a word or a longer address (a full stop may end a sentence).
const AFTER = /[\w:%]/;

/**
 * Where an address may be written: each run of hex digits, colons and dots with a colon in it, not
 * after a word character, `:`, `.` or `%`, up to its end (with a zone) when no word character, `:` or
 * `%` follows, else up to its last dot after its first colon (`::1.x` → `::1`), else none. Each run
 * is looked at once; a sentence's closing dots are still on the candidate (the caller drops them).
 */
export function ipv6Candidates(text: string): Array<{ match: string; index: number }> {
  const out: Array<{ match: string; index: number }> = [];
  for (const m of text.matchAll(RUN)) {
    const start = m.index;
    const run = m[0];
    const colon = run.indexOf(':');
    if (colon < 0 || (start > 0 && BEFORE.test(text[start - 1]!))) continue;
    const runEnd = start + run.length;
    ZONE.lastIndex = runEnd;
    const zone = ZONE.exec(text);
    let end: number;
    if (zone && !AFTER.test(text[runEnd + zone[0].length] ?? '')) end = runEnd + zone[0].length;
    else if (!AFTER.test(text[runEnd] ?? '')) end = runEnd;
    else {
      const dot = run.lastIndexOf('.');
      if (dot <= colon) continue;
      end = start + dot;
    }
    out.push({ match: text.slice(start, end), index: start });
  }
  return out;
}

/** `s` without its trailing full stops (a loop: `/\.+$/` retries every dot of a long dotted run). */
export function withoutTrailingDots(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '.') end--;
  return s.slice(0, end);
}

export function isIPv6(candidate: string): boolean {
  let s = candidate.replace(/%[0-9A-Za-z]+$/, '');
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0 || s === '::') return false;
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An IPv4 tail (e.g. ::ffff:192.0.2.1) stands for the last two groups.
    if (!IPV4_EXACT.test(tail)) return false;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (![...head, ...rest].every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const n = head.length + rest.length;
  return halves.length === 2 ? n <= 7 : n === 8;
}
