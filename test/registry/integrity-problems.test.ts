import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { integrityProblems, problemsFound } from '../../src/infra/registry/sqlite-open.js';
import { makeTempDir } from './harness.js';

/**
 * SQLite's checks answer one row per problem, except that one row may hold several, one per line,
 * under a `*** in database main ***` heading. `audit verify` said "found 1 problem" above 20 lines
 * of them: each line is counted and named as a problem, the heading never.
 */

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => void (tmp = makeTempDir()));
afterEach(() => tmp.cleanup());

/** A 164-page file (a table and its index), with `length` bytes zeroed at `offset` of page `page`. */
function damaged(page: number, offset: number, length: number): string {
  const file = join(tmp.dir, 'damaged.db');
  const db = new Database(file);
  db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); CREATE INDEX tb ON t (b);');
  const insert = db.prepare('INSERT INTO t (b) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) insert.run(`${'x'.repeat(50)}${i}`);
  })();
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(length), 0, length, (page - 1) * 4096 + offset);
  closeSync(fd);
  return file;
}

describe("the problems of SQLite's checks", () => {
  it.each([
    // A lost root page: one row of 20 lines under its heading.
    { name: "a table's root page zeroed", page: 3, offset: 0, length: 4096, count: 20, found: '20 or more problems', first: /^Tree 3 page 3: btreeInitPage\(\) returns error code 11$/ },
    // Damaged cell offsets: a row of 8 lines under its heading, then 8 rows of one.
    { name: 'cell offsets zeroed', page: 30, offset: 8, length: 16, count: 16, found: '16 problems', first: /^Tree 3 page 30 cell \d+: Offset 0 out of range/ },
  ])('$name: $found', ({ page, offset, length, count, found, first }) => {
    const problems = integrityProblems(damaged(page, offset, length), 'integrity_check');
    expect(problems).toHaveLength(count);
    for (const p of problems) expect(p).not.toMatch(/\n|^\*\*\*/);
    expect(problems[0]).toMatch(first);
    expect(problemsFound('integrity_check', problems)).toBe(`SQLite's integrity_check found ${found}`);
  });

  it.each([
    { problems: [], found: '0 problems' },
    { problems: ['Page 4: never used'], found: '1 problem' },
    { problems: Array.from({ length: 19 }, (_, i) => `Page ${i}: never used`), found: '19 problems' },
    { problems: Array.from({ length: 20 }, (_, i) => `Page ${i}: never used`), found: '20 or more problems' },
  ])('$problems.length problems read "$found"', ({ problems, found }) => {
    expect(problemsFound('quick_check', problems)).toBe(`SQLite's quick_check found ${found}`);
  });

  it('an intact file has none', () => {
    const file = join(tmp.dir, 'intact.db');
    new Database(file).exec('CREATE TABLE t (a)').close();
    expect(integrityProblems(file, 'integrity_check')).toEqual([]);
  });
});
