import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT } from '../support/cli.js';

/**
 * The benchmarks and build scripts (bench/*.mjs, scripts/*.mjs) run on the built modules in dist/,
 * which `npm test` never runs them against: a module moved or a name renamed in src/ would break
 * `npm run bench` unseen (as moving samplesOf out of core/eval/plan.ts did). So every dist module
 * they import, and every name they take from it, must exist.
 */

beforeAll(assertBuilt);

/** `path under dist/` → the names taken from it (none: the whole module). */
function distImports(): Map<string, Set<string>> {
  const uses = new Map<string, Set<string>>();
  for (const dir of ['bench', 'scripts']) {
    for (const file of readdirSync(path.join(REPO_ROOT, dir)).filter((f) => f.endsWith('.mjs'))) {
      for (const line of readFileSync(path.join(REPO_ROOT, dir, file), 'utf8').split('\n')) {
        // `import { a } from '../dist/x.js'`, `await import(… 'dist/x.js' …)`, and the benches' `load('x.js')` (a path under dist/).
        const targets = [...line.matchAll(/['"](?:\.\.\/)?dist\/([\w/.-]+\.js)['"]|\bload\(['"]([\w/.-]+\.js)['"]\)/g)].map((m) => (m[1] ?? m[2])!);
        for (const t of targets) if (!uses.has(t)) uses.set(t, new Set());
        if (targets.length !== 1) continue;
        const names = uses.get(targets[0]!)!;
        const destructured = /(?:import|const)\s*\{([^}]*)\}/.exec(line)?.[1];
        for (const part of destructured?.split(',') ?? []) {
          const name = part.trim().split(/\s+as\s+|\s*:\s*/)[0];
          if (name) names.add(name);
        }
        // `(await load('x.js')).name`
        for (const m of line.matchAll(/\(await load\([^)]*\)\)\.(\w+)/g)) names.add(m[1]!);
      }
    }
  }
  return uses;
}

describe('what the benchmarks and scripts import from dist/', () => {
  const uses = [...distImports()].map(([file, names]) => ({ file, names: [...names] }));

  it('finds them (control: the scan itself works)', () => {
    expect(uses.map((u) => u.file)).toEqual(expect.arrayContaining(['core/eval/plan.js', 'core/eval/samples.js', 'sim/server.js', 'core/threshold-format.js']));
    expect(uses.find((u) => u.file === 'core/eval/samples.js')?.names).toContain('samplesOf');
  });

  it.each(uses)('dist/$file exists and exports $names', async ({ file, names }) => {
    const full = path.join(REPO_ROOT, 'dist', file);
    expect(existsSync(full), `dist/${file}`).toBe(true);
    const mod = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
    for (const name of names) expect(mod[name], `${name} from dist/${file}`).toBeDefined();
  });
});
