import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Clock as AppClock, ProgressCallback as AppProgressCallback, ProgressEvent as AppProgressEvent } from '../../src/app/index.js';
import type { Clock, ProgressCallback, ProgressEvent } from '../../src/index.js';
import { REPO_ROOT } from '../support/cli.js';

/**
 * The types a caller needs to write a `clock` or an `onProgress` of its own are exported by name
 * from both entries (`promptctl`, `promptctl/app`). Read from the entries' source (no build, no
 * type-check: milliseconds); the typed consumer below is what `tsc -p tsconfig.test.json` checks.
 */


/** Every name `file` exports, by its syntax: declarations, `export { a, type b }` and `export type { c } from`. */
function exportedNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const names = new Set<string>();
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
      for (const e of node.exportClause.elements) names.add(e.name.text);
    } else if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const name = (node as { name?: ts.Identifier }).name;
      if (name) names.add(name.text);
    }
  }
  return names;
}

// A caller's own clock and progress callback, typed by the exported names.
const fixed: Clock & AppClock = { date: () => new Date(0), now: () => 0, after: () => () => {} };
const seen: Array<ProgressEvent | AppProgressEvent> = [];
const record: ProgressCallback & AppProgressCallback = async (e) => {
  seen.push(e);
};

describe('the entries export the types a caller writes its own clock and onProgress with', () => {
  it.each(['src/index.ts', 'src/app/index.ts'])('%s', (entry) => {
    const names = exportedNames(entry);
    expect(['Clock', 'ProgressEvent', 'ProgressCallback'].filter((n) => !names.has(n))).toEqual([]);
  });

  it('a typed clock and callback work', async () => {
    await record({ type: 'end' });
    expect([fixed.date().toISOString(), seen]).toEqual(['1970-01-01T00:00:00.000Z', [{ type: 'end' }]]);
  });
});
