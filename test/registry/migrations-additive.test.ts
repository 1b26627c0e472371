import { describe, expect, it } from 'vitest';
import { MIGRATIONS, READABLE_FROM, SCHEMA_VERSION } from '../../src/infra/registry/migrations.js';
import { currentTables } from '../../src/infra/registry/sqlite-older.js';

/**
 * What makes reading an older registry in place sound (sqlite-older.ts): from READABLE_FROM on,
 * every step only adds tables and nullable columns, so the upgraded file differs from the older
 * one only by empty tables and NULLs. A step that changes anything else must raise READABLE_FROM.
 */

describe('every migration a reader reads past only adds', () => {
  it('readers read every schema since the first', () => {
    expect(READABLE_FROM).toBe(1);
  });

  for (let step = READABLE_FROM + 1; step <= SCHEMA_VERSION; step++) {
    it(`step ${step} adds tables and nullable columns, and changes no column`, () => {
      const before = currentTables(MIGRATIONS.slice(0, step - 1));
      const after = currentTables(MIGRATIONS.slice(0, step));
      for (const [table, was] of before) {
        const now = after.get(table);
        expect(now, `${table} kept`).toBeDefined();
        expect(now!.columns.slice(0, was.columns.length), `${table}'s columns unchanged`).toEqual(was.columns);
        for (const added of now!.columns.slice(was.columns.length)) expect(added.notnull === 0 || added.dflt_value !== null, `${table}.${added.name}`).toBe(true);
      }
    });
  }
});
