import { describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { pgFault } from '../../src/infra/registry/postgres/faults.js';

/**
 * A PostgreSQL connection lost mid-command: the hint says how each command goes on (eval resumes,
 * push is pushed again, migrate is run again), where it spoke of deploys and history only.
 */
describe('a lost PostgreSQL connection', () => {
  it.each(['57P01', 'ECONNRESET'])('%s: the hint points eval to --resume, push to pushing again and migrate to running again', (code) => {
    const e = pgFault(Object.assign(new Error('terminating connection due to administrator command'), { code }), { where: 'postgres://ana@db:5432/prompts', secrets: [], doing: 'writing' }) as UnavailableError;
    expect(e.exitCode).toBe(3);
    expect(e.hint).toMatch(/`eval` with `promptctl eval --resume`/);
    expect(e.hint).toMatch(/`registry push` by pushing again/);
    expect(e.hint).toMatch(/`registry migrate` by running it again/);
    expect(e.hint).toMatch(/`promptctl history` shows whether it was recorded/);
  });
});

describe('a session the server ended, or a connection already gone, in promptctl words', () => {
  const ctx = { where: 'postgres://ana@db:5432/prompts', secrets: [], doing: 'in a transaction' };

  it('25P03 (idle_in_transaction_session_timeout) is a lost connection whose hint names the setting and the role', () => {
    const e = pgFault(Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' }), ctx) as UnavailableError;
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe("the PostgreSQL registry at postgres://ana@db:5432/prompts ended promptctl's session inside a transaction (while in a transaction)");
    expect(e.why).toMatch(/^terminating connection due to idle-in-transaction timeout \(25P03\): idle_in_transaction_session_timeout/);
    expect(e.hint).toContain(`ALTER ROLE "ana" SET idle_in_transaction_session_timeout = '1min'`);
    expect(e.hint).not.toMatch(/server log|sslmode/);
  });

  it.each([
    ['Client has encountered a connection error and is not queryable', 'the connection had already failed when promptctl sent its next statement'],
    ['Connection terminated unexpectedly', 'the connection closed unexpectedly'],
  ])('pg\'s "%s" is said as "%s"', (driver, said) => {
    const e = pgFault(new Error(driver), { ...ctx, doing: 'reading (getVersion)' }) as UnavailableError;
    expect(e.message).toBe('the connection to the PostgreSQL registry at postgres://ana@db:5432/prompts was lost while reading (getVersion)');
    expect(e.why).toMatch(new RegExp(`^${said}: the server closed it`));
    expect(e.why).not.toContain(driver);
  });
});
