import { describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { pgFault } from '../../src/infra/registry/postgres/faults.js';

/**
 * A value PostgreSQL refuses (SQLSTATE class 22, data exception; class 23, a broken constraint) is
 * the data's fault, not the connection's: the message says the registry refused a value while
 * doing what, names the table and column when the server does, and the hint says nothing was
 * written and what to do, never "see the server log" or TLS.
 */

const ctx = { where: 'postgres://ana@db:5432/prompts', secrets: ['s3cret'], doing: 'writing (recordSamples)' };
const pgError = (message: string, fields: Record<string, string>) => Object.assign(new Error(message), fields);

describe('a value the PostgreSQL registry refuses', () => {
  it.each([
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00', {}],
    ['22003', 'value "3000000000" is out of range for type integer', {}],
    ['23502', 'null value in column "reasons" of relation "samples" violates not-null constraint', { table: 'samples', column: 'reasons' }],
    ['23503', 'insert or update on table "samples" violates its run reference: no run has that id', {}],
  ])('%s: exit 3 saying the value was refused while doing what; no TLS or server-log hint', (code, message, fields) => {
    const e = pgFault(pgError(message, { code, ...fields }), ctx) as UnavailableError;
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('the PostgreSQL registry at postgres://ana@db:5432/prompts refused a value promptctl sent while writing (recordSamples)' + ('column' in fields ? ' (column reasons of table samples)' : ''));
    expect(e.why).toContain(`${message} (${code})`);
    expect(e.why).toMatch(/nothing of it was written/);
    expect(e.hint).not.toMatch(/sslmode|TLS|server log/);
    expect(e.hint).toMatch(/report/);
  });

  it('on registry push, the hint points at the local row pushed', () => {
    const e = pgFault(pgError('value "3000000000" is out of range for type integer', { code: '22003' }), { ...ctx, doing: 'pushing' }) as UnavailableError;
    expect(e.message).toMatch(/refused a value promptctl sent while pushing$/);
    expect(e.hint).toMatch(/local registry/);
    expect(e.hint).toMatch(/a later push copies only what is missing/);
  });

  it('other server faults keep the general hint', () => {
    // XX001 data_corrupted: no refused value, no branch of its own (53100, a full disk, has one).
    const e = pgFault(pgError('invalid page in block 7 of relation base/16384/16397', { code: 'XX001' }), ctx) as UnavailableError;
    expect(e.hint).toMatch(/server log/);
  });
});
