import { describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { pgFault } from '../../src/infra/registry/postgres/faults.js';

/**
 * A PostgreSQL connection lost mid-command: the hint says how each command goes on (eval resumes,
 * push is pushed again), where it spoke of deploys and history only.
 */
describe('a lost PostgreSQL connection', () => {
  it.each(['57P01', 'ECONNRESET'])('%s: the hint points eval to --resume and push to pushing again', (code) => {
    const e = pgFault(Object.assign(new Error('terminating connection due to administrator command'), { code }), { where: 'postgres://ana@db:5432/prompts', secrets: [], doing: 'writing' }) as UnavailableError;
    expect(e.exitCode).toBe(3);
    expect(e.hint).toMatch(/`eval` with `promptctl eval --resume`/);
    expect(e.hint).toMatch(/`registry push` by pushing again/);
    expect(e.hint).toMatch(/`promptctl history` shows whether it was recorded/);
  });
});
