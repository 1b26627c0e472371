import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Output order never depends on the user's locale: `localeCompare` follows the locale's collation
 * (da_DK sorts aa after ab), so lint's problems, ci's plan and git's changed files came out in
 * another order on a Danish laptop than in CI. Sorting uses code units (`byCodeUnits`, core/order.ts).
 */

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

describe('sorting in src', () => {
  it('never calls localeCompare (a comment may name it)', () => {
    const calls = sourceFiles(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(SRC, file)}:${i + 1}` }))
        .filter(({ line }) => /\.localeCompare\(/.test(line) && !/^\s*(\/\/|\*)/.test(line))
        .map(({ at }) => at),
    );
    expect(calls).toEqual([]);
  });
});
