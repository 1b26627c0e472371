import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';

/**
 * ARCHITECTURE.md is the map of the code: every file it names (`core/refs.ts`, or a bare name such
 * as `clock.ts` in its folder's paragraph) exists, a function named beside its file
 * (`core/refs.ts` `nextFreeVersion`) is in that file, and every other code name it quotes
 * (`countingRun`) is somewhere in the code (src, scripts, bench, test/support). A rename that
 * leaves the map behind fails here.
 */

const at = (rel: string) => path.join(REPO_ROOT, rel);
const lines = readFileSync(at('ARCHITECTURE.md'), 'utf8').split('\n');
const files: string[] = [];
const walk = (dir: string): void => {
  for (const e of readdirSync(at(dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(rel);
    else if (/\.(ts|tsx|mjs|cjs)$/.test(e.name)) files.push(rel);
  }
};
for (const dir of ['src', 'test', 'scripts', 'bench']) walk(dir);

/** The files a name in the map may mean: a path from the root or src/, else any file ending so. */
const filesNamed = (name: string) => [name, `src/${name}`].filter((c) => existsSync(at(c))).concat(files.filter((f) => f.endsWith(`/${name}`)));
const defines = (name: string, inFiles: string[]) => inFiles.some((f) => new RegExp(`\\b${name}\\b`).test(readFileSync(at(f), 'utf8')));

/** Backticked spans outside code fences, with their line numbers. */
function quoted(): Array<{ line: number; span: string; after: string }> {
  const out: Array<{ line: number; span: string; after: string }> = [];
  let fenced = false;
  lines.forEach((text, i) => {
    if (text.startsWith('```')) fenced = !fenced;
    else if (!fenced) for (const m of text.matchAll(/`([^`]+)`/g)) out.push({ line: i + 1, span: m[1]!, after: text.slice(m.index + m[0].length) });
  });
  return out;
}

describe('ARCHITECTURE.md names what exists', () => {
  it('every file it names, and the function named beside a file', () => {
    const wrong: string[] = [];
    for (const { line, span, after } of quoted()) {
      if (!/^[^\s*]+\.(ts|tsx|mjs|cjs)$/.test(span)) continue;
      const found = filesNamed(span);
      if (!found.length) wrong.push(`${line}: ${span} does not exist`);
      const beside = /^,? `([A-Za-z_]\w*)`/.exec(after)?.[1];
      if (found.length && beside && !defines(beside, found)) wrong.push(`${line}: ${beside} is not in ${span}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every function or type it quotes', () => {
    // The code's words (maximal runs of \w): a name is in the code, as `\bname\b` would find it, when it is one of them.
    // One pass over the files, where a regular expression per quoted name scanned them all each time (5 s).
    const words = new Set<string>();
    for (const f of files.filter((f) => !f.startsWith('test/') || f.startsWith('test/support/'))) for (const w of readFileSync(at(f), 'utf8').match(/\w+/g) ?? []) words.add(w);
    const wrong = quoted().flatMap(({ line, span }) =>
      [...span.matchAll(/(?<![\w.-])([A-Za-z_]\w*)(?![\w./-])/g)]
        .map((m) => m[1]!)
        .filter((name) => /[a-z][A-Z]/.test(name) && !words.has(name))
        .map((name) => `${line}: ${name}`),
    );
    expect(wrong).toEqual([]);
  });
});
