import type { ReportCase, ReportData } from './types.js';

/**
 * The compact form the report embeds its cases in: chunks of cases, each with its own string table
 * (`s`: every string, repeated outputs, reasons and expectations written once) and object shapes
 * (`k`: the key lists), and its cases as nested tuples referencing them. A chunk is built from one
 * page of cases, so the writer holds one page's table at most. `decodeCase` is the one decoder: the
 * page script runs its source, and the tests decode through it too.
 *
 * Encoded value: a string is its index in `s`; a number is its JSON text (a string); null and
 * booleans are themselves; an array is `[0, ...items]`; an object is `[shape + 1, ...values]`.
 */
export interface CompactChunk {
  s: string[];
  k: string[][];
  c: unknown[];
}

/** One page of cases as a chunk. */
export function encodeCases(cases: ReportCase[]): CompactChunk {
  const s: string[] = [];
  const strings = new Map<string, number>();
  const k: string[][] = [];
  const shapes = new Map<string, number>();
  const enc = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let i = strings.get(v);
      if (i === undefined) strings.set(v, (i = s.push(v) - 1));
      return i;
    }
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
    if (v === null || typeof v === 'boolean') return v;
    if (Array.isArray(v)) return [0, ...v.map((x) => (x === undefined ? null : enc(x)))];
    const keys = Object.keys(v as object).filter((key) => (v as Record<string, unknown>)[key] !== undefined);
    const id = keys.join('\u0000');
    let shape = shapes.get(id);
    if (shape === undefined) shapes.set(id, (shape = k.push(keys) - 1));
    return [shape + 1, ...keys.map((key) => enc((v as Record<string, unknown>)[key]))];
  };
  return { s, k, c: cases.map(enc) };
}

/** Case `row` of a chunk, as the generator built it. Self-contained: the page script inlines its source. */
export function decodeCase(chunk: CompactChunk, row: number): ReportCase {
  function dec(x: unknown): unknown {
    if (typeof x === 'number') return chunk.s[x];
    if (typeof x === 'string') return Number(x);
    if (x === null || typeof x !== 'object') return x;
    const t = x as unknown[];
    if (t[0] === 0) return t.slice(1).map(dec);
    const keys = chunk.k[(t[0] as number) - 1]!;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) o[keys[i]!] = dec(t[i + 1]);
    return o;
  }
  return dec(chunk.c[row]) as ReportCase;
}

/** The embedded data with its cases decoded (what the page sees), for callers outside the page. */
export function decodeReportData(embedded: Omit<ReportData, 'cases'> & { cases: CompactChunk[] }): ReportData {
  const cases: ReportCase[] = [];
  for (const chunk of embedded.cases) for (let r = 0; r < chunk.c.length; r++) cases.push(decodeCase(chunk, r));
  return { ...embedded, cases };
}

/**
 * Cases per chunk: a chunk never spans two runs, and holds at most this many cases. The registry's
 * page (CASE_PAGE) is the same size, so the paged writer and the in-memory one write the same file.
 */
export const CHUNK_CASES = 1000;

/** Cases cut into the chunks they are embedded as (`run` order kept). */
export function chunksOf(cases: ReportCase[]): ReportCase[][] {
  const chunks: ReportCase[][] = [];
  for (const c of cases) {
    const last = chunks[chunks.length - 1];
    if (last && last.length < CHUNK_CASES && last[0]!.run === c.run) last.push(c);
    else chunks.push([c]);
  }
  return chunks;
}
