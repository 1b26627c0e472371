import { describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { PgConnection } from '../../src/infra/registry/postgres/connection.js';
import { registryTarget } from '../../src/infra/registry/target.js';

/**
 * A login the server refuses names the variable `registry.password_env` names, and says whether it
 * is set (never its value); before, the hint said "the variable that registry.password_env names".
 * A password given and rejected is named by where it was taken from, which is where to correct it.
 */

const URL = 'postgres://svc@db.internal:5432/prompts';
const refused = Object.assign(new Error('password authentication failed for user "svc"'), { code: '28P01' });

const CASES: Array<[string, string | undefined, Record<string, string>, RegExp]> = [
  ['named and unset', 'PROMPTCTL_DB_PASSWORD', {}, /^set PROMPTCTL_DB_PASSWORD \(registry\.password_env names it, and it is not set here\) to the password/],
  ['named and set', 'PROMPTCTL_DB_PASSWORD', { PROMPTCTL_DB_PASSWORD: 'Wrong-Pass-9' }, /^the password taken from PROMPTCTL_DB_PASSWORD \(registry\.password_env names it\) was rejected: correct it there/],
  ['not named, PGPASSWORD set', undefined, { PGPASSWORD: 'Wrong-Pass-9' }, /^the password taken from PGPASSWORD was rejected: correct it there/],
  ['named and set, a password in the URL too', 'PROMPTCTL_DB_PASSWORD', { PROMPTCTL_DB_PASSWORD: 'Other-7', PROMPTCTL_REGISTRY_URL: 'postgres://svc:Wrong-Pass-9@db.internal:5432/prompts' }, /^the password taken from the URL in PROMPTCTL_REGISTRY_URL was rejected: correct it there \(the URL's password wins/],
  ['not named', undefined, {}, /^give the password in the environment: PGPASSWORD, PROMPTCTL_REGISTRY_URL or the password file PGPASSFILE names \(\/nonexistent\/pgpass\) \(or name a variable of your own in registry\.password_env\)/],
];

describe('a refused registry login', () => {
  it.each(CASES)('password_env %s', (_name, passwordEnv, vars, hint) => {
    const env = { PROMPTCTL_REGISTRY_URL: URL, PGPASSFILE: '/nonexistent/pgpass', ...vars };
    const target = registryTarget({ path: '.promptctl/registry.db', schema: 'promptctl', ...(passwordEnv ? { password_env: passwordEnv } : {}) } as never, env, (p) => p);
    if (target.backend !== 'postgres') throw new Error('expected a PostgreSQL target');
    const e = new PgConnection(target.pg, 'columns').fault(refused, 'connecting') as UnavailableError;
    expect(e.exitCode).toBe(3);
    expect(e.hint).toMatch(hint);
    expect(e.hint).toMatch(/and check the user name in the URL$/);
    expect(`${e.message} ${e.why} ${e.hint}`).not.toContain('Wrong-Pass-9');
  });
});
