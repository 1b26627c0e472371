import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT } from '../support/cli.js';

/**
 * The types an application compiles against (`promptctl` and `promptctl/app`, from the package's
 * `exports`) must resolve with what installing promptctl installs: every package a published
 * declaration file imports is a dependency that ships its own types, or whose `@types/` package is
 * a dependency too. A development-only type (`@types/pg`) reached from the entries once failed
 * `tsc` in every application that checks its libraries' types (skipLibCheck off).
 */

beforeAll(assertBuilt);

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  exports: Record<string, { types?: string } | string>;
};
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const builtins = new Set(builtinModules);

/** Every declaration file reachable from `entries`, and the bare packages each imports. */
function reachable(entries: string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (out.has(file)) continue;
    const bare = new Set<string>();
    out.set(file, bare);
    // Comments name imports too (a hint's `import { runEval } from 'promptctl'`): only code counts.
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.d.ts'));
        if (existsSync(target)) queue.push(target);
      } else bare.add(spec);
    }
  }
  return out;
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** Whether installing promptctl gives `name`'s types: its own, or an `@types/` package that is a dependency. */
function typesInstalled(name: string): boolean {
  const manifest = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
  const own = existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { types?: string; typings?: string; exports?: unknown });
  const shipsTypes = Boolean(own && (own.types || own.typings || JSON.stringify(own.exports ?? {}).includes('"types"') || existsSync(path.join(REPO_ROOT, 'node_modules', name, 'index.d.ts'))));
  return (dependencies.has(name) && shipsTypes) || dependencies.has(`@types/${name.replace(/^@([^/]+)\//, '$1__')}`);
}

describe('the published types', () => {
  const entries = Object.values(pkg.exports).flatMap((e) => (typeof e === 'object' && e.types ? [path.join(REPO_ROOT, e.types)] : []));
  const files = reachable(entries);

  it('are found from the entries (control: the walk itself works)', () => {
    expect(entries.map((e) => path.relative(REPO_ROOT, e)).sort()).toEqual(['dist/app/index.d.ts', 'dist/index.d.ts']);
    expect(files.size).toBeGreaterThan(20);
    expect([...files.values()].some((b) => b.has('zod'))).toBe(true);
  });

  it('import only packages whose types an install brings', () => {
    const missing = [...files.entries()].flatMap(([file, bare]) =>
      [...bare].filter((spec) => !spec.startsWith('node:') && !builtins.has(spec) && !typesInstalled(packageOf(spec))).map((spec) => `${path.relative(REPO_ROOT, file)} imports ${spec}`),
    );
    expect(missing).toEqual([]);
  });
});
