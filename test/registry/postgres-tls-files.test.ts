import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { teamRegistryForFile } from '../support/team-registry.js';

/**
 * Certificate files as libpq reads them: none under sslmode=disable (a PGSSLROOTCERT kept for other
 * servers, or a file the URL names that is not on this machine, no longer fails a connection without
 * TLS, exit 3 "cannot read the TLS file"), and `sslrootcert=system`, libpq's system CA store that pg
 * would open as a file named "system", refused with exit 2 naming the file to give instead.
 */

const pgOk = postgresAvailable();
const team = teamRegistryForFile(pgOk, 'support-answer@1.0.0');
const MISSING = '/nonexistent/promptctl-test/root.crt';

const refusal = (url: string, env: Record<string, string> = {}) => {
  try {
    postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL', env });
  } catch (err) {
    return err as InputError;
  }
  return undefined;
};

describe('certificate files a connection reads', () => {
  it.each([
    ['PGSSLROOTCERT', 'postgres://u@db/prompts?sslmode=disable', { PGSSLROOTCERT: MISSING }],
    ['the URL', `postgres://u@db/prompts?sslmode=disable&sslrootcert=${MISSING}&sslcert=/x.crt&sslkey=/x.key`, {}],
    ['PGSSLMODE=disable and PGSSLROOTCERT', 'postgres://u@db/prompts', { PGSSLMODE: 'disable', PGSSLROOTCERT: MISSING }],
  ])('sslmode=disable: none from %s reaches the connection', (_, url, env) => {
    const t = postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL', env });
    expect(new URL(t.url).searchParams.has('sslrootcert')).toBe(false);
    expect(new URL(t.url).searchParams.has('sslcert')).toBe(false);
    expect(new URL(t.url).searchParams.get('sslmode')).toBe('disable');
  });

  it('a mode with TLS still gets PGSSLROOTCERT', () => {
    expect(new URL(postgresTarget('postgres://u@db/prompts?sslmode=verify-full', { env: { PGSSLROOTCERT: '/ca.pem' } }).url).searchParams.get('sslrootcert')).toBe('/ca.pem');
  });

  it.each([
    ['the URL', 'postgres://u@db/prompts?sslmode=verify-full&sslrootcert=system', {}, 'PROMPTCTL_REGISTRY_URL'],
    ['PGSSLROOTCERT', 'postgres://u@db/prompts?sslmode=require', { PGSSLROOTCERT: 'system' }, 'PGSSLROOTCERT'],
  ])('sslrootcert=system from %s: exit 2 naming the CA bundle to give', (_, url, env, from) => {
    const e = refusal(url, env);
    expect(e).toBeInstanceOf(InputError);
    expect(e!.message).toBe(`sslrootcert=system (in ${from}) is not supported by promptctl`);
    expect(e!.hint).toContain('sslrootcert=/etc/ssl/certs/ca-certificates.crt');
  });

  it('sslrootcert=system under sslmode=disable is not read, so not refused', () => {
    expect(refusal('postgres://u@db/prompts?sslmode=disable', { PGSSLROOTCERT: 'system' })).toBeUndefined();
  });

  it.runIf(pgOk)('status on a server without TLS, sslmode=disable and PGSSLROOTCERT naming a missing file: exit 0', async () => {
    const url = `${team.cluster.url(team.database, { withPassword: true })}?sslmode=disable`;
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url, PGSSLROOTCERT: MISSING } });
    expect(r.code, r.output).toBe(0);
  });
});
