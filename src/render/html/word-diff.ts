/**
 * A word-level diff (Myers' O(ND) algorithm over word, space and punctuation tokens), shipped inside
 * the HTML report through `wordDiff.toString()`: the page computes a diff only when a person opens a
 * case, so a 10,000-case comparison costs nothing until it is looked at, and the file stays
 * self-contained. It must therefore stay one self-contained function: no imports, no outer names.
 *
 * Returns runs of `[op, text]` (0 same, -1 only in `a`, 1 only in `b`) that rebuild `a` from the 0
 * and -1 runs and `b` from the 0 and 1 runs; null when the texts differ by more than `maxEdits`
 * tokens (the page then shows both sides without marks).
 */
export function wordDiff(a: string, b: string, maxEdits = 1200): Array<[number, string]> | null {
  const tokens = (s: string): string[] => s.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
  const x = tokens(a);
  const y = tokens(b);
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const xs = x.slice(pre, x.length - suf);
  const ys = y.slice(pre, y.length - suf);
  const n = xs.length;
  const m = ys.length;
  const limit = Math.min(n + m, maxEdits);
  const off = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  // trace[d] is V before step d, covering diagonals -d-1..d+1 (index k + d + 1).
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let j = i - k;
      while (i < n && j < m && xs[i] === ys[j]) {
        i++;
        j++;
      }
      v[off + k] = i;
      if (i >= n && j >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return null;
  const ops: Array<[number, string]> = [];
  let i = n;
  let j = m;
  for (let d = found; d >= 0; d--) {
    const vs = trace[d]!;
    const k = i - j;
    const prevK = k === -d || (k !== d && vs[k - 1 + d + 1]! < vs[k + 1 + d + 1]!) ? k + 1 : k - 1;
    const prevI = d === 0 ? 0 : vs[prevK + d + 1]!;
    const prevJ = d === 0 ? 0 : prevI - prevK;
    while (i > prevI && j > prevJ) {
      ops.push([0, xs[i - 1]!]);
      i--;
      j--;
    }
    if (d > 0) {
      if (i === prevI) ops.push([1, ys[prevJ]!]);
      else ops.push([-1, xs[prevI]!]);
    }
    i = prevI;
    j = prevJ;
  }
  ops.reverse();
  // Merge into runs, deletions before insertions within each changed stretch ("old" then "new"); a
  // lone space between two changes joins them, so a rewritten sentence reads as one change.
  const runs: Array<[number, string]> = [];
  for (const t of x.slice(0, pre)) runs.push([0, t]);
  for (const op of ops) runs.push(op);
  for (const t of x.slice(x.length - suf)) runs.push([0, t]);
  const all: Array<[number, string]> = [];
  let del = '';
  let ins = '';
  let eq = '';
  const flushChanges = (): void => {
    if (del) all.push([-1, del]);
    if (ins) all.push([1, ins]);
    del = '';
    ins = '';
  };
  const flushEqual = (): void => {
    if (eq) all.push([0, eq]);
    eq = '';
  };
  for (let r = 0; r < runs.length; r++) {
    const [op, text] = runs[r]!;
    if (op === 0) {
      const between = (del || ins) && /^\s+$/.test(text) && runs[r + 1] !== undefined && runs[r + 1]![0] !== 0;
      if (between) {
        del += text;
        ins += text;
      } else {
        flushChanges();
        eq += text;
      }
    } else {
      flushEqual();
      if (op === -1) del += text;
      else ins += text;
    }
  }
  flushChanges();
  flushEqual();
  return all;
}
