import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { preparedOnUse, transactionOnUse } from '../../src/infra/registry/sqlite-lazy.js';

/** Statements a store makes are prepared on first use, once, and then behave as prepared ones. */
describe('statements prepared on use', () => {
  it('prepares nothing until used, then once; runs, plucks and iterates as the statement does', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (n INTEGER)');
    const made: string[] = [];
    const insert = preparedOnUse(() => (made.push('insert'), db.prepare('INSERT INTO t (n) VALUES (?)')));
    const count = preparedOnUse(() => (made.push('count'), db.prepare<[], number>('SELECT count(*) FROM t').pluck()));
    const all = preparedOnUse(() => (made.push('all'), db.prepare<[], { n: number }>('SELECT n FROM t ORDER BY n')));
    expect(made).toEqual([]);
    insert.run(2);
    insert.run(1);
    expect(made).toEqual(['insert']);
    expect(count.get()).toBe(2);
    expect([...all.iterate()].map((r) => r.n)).toEqual([1, 2]);
    expect(all.all()).toEqual([{ n: 1 }, { n: 2 }]);
    expect(made).toEqual(['insert', 'count', 'all']);
    expect(insert.reader).toBe(false);
    expect(count.reader).toBe(true);
  });

  it('a statement that cannot be prepared fails where it is used, with SQLite\'s error', () => {
    const db = new Database(':memory:');
    const bad = preparedOnUse(() => db.prepare('SELECT * FROM missing'));
    expect(() => bad.all()).toThrow(/no such table: missing/);
  });

  it('a transaction made on first call commits, and rolls back what a throw leaves', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (n INTEGER)');
    const add = transactionOnUse(db, (n: number) => {
      db.prepare('INSERT INTO t (n) VALUES (?)').run(n);
      if (n < 0) throw new Error('negative');
      return n;
    });
    expect(add(1)).toBe(1);
    expect(() => add(-1)).toThrow('negative');
    expect(db.prepare('SELECT n FROM t').pluck().all()).toEqual([1]);
  });
});
