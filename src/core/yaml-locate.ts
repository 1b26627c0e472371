import type { Document, LineCounter } from 'yaml';
import { scalarSourceOffsets, type OffsetMap } from './yaml-scalar-offset.js';

/**
 * A parsed file's `locate` (the `Locate` of core/yaml-source.ts): the line and column of a field
 * path, and, given `at`, of a character inside the string value there (a template's placeholder),
 * where core/yaml-scalar-offset.ts can tell it exactly.
 */
type Located = { line: number; col: number; written?: string };

export function makeLocate(y: typeof import('yaml'), doc: Document, lc: LineCounter, text: string): (path: ReadonlyArray<string | number>, at?: number) => Located {
  // Walk down as far as the path exists and point at the deepest key or item found, so a missing
  // key points at its parent and a wrong value at its own key.
  // Each scalar's map is made once: lint may place thousands of placeholders in one message.
  const maps = new WeakMap<object, OffsetMap | undefined>();
  return (path, at) => {
    let node: unknown = doc.contents;
    let offset = doc.contents?.range?.[0] ?? 0;
    let found = 0;
    for (const key of path) {
      if (y.isMap(node)) {
        const pair = node.items.find((it) => y.isScalar(it.key) && String(it.key.value) === String(key));
        if (!pair) break;
        if (y.isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
        node = pair.value;
      } else if (y.isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as { range?: [number, number, number] } | undefined;
        if (!item) break;
        if (item.range) offset = item.range[0];
        node = item;
      } else break;
      found++;
    }
    const scalar = found === path.length && y.isScalar(node) ? node : undefined;
    if (scalar && at !== undefined && typeof scalar.value === 'string' && scalar.range) {
      if (!maps.has(scalar)) maps.set(scalar, scalarSourceOffsets(text, { type: scalar.type, range: scalar.range, value: scalar.value }));
      const inside = Number.isInteger(at) && at >= 0 && at < scalar.value.length ? maps.get(scalar)?.[at] : undefined;
      if (inside !== undefined) offset = inside;
    }
    const p = lc.linePos(offset);
    const written = scalar && typeof scalar.value === 'number' && scalar.source !== String(scalar.value) ? scalar.source : undefined;
    return written === undefined ? { line: p.line, col: p.col } : { line: p.line, col: p.col, written };
  };
}
