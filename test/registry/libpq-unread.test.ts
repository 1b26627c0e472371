import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { freePort } from '../support/postgres.js';
import { firstReadFault } from '../support/registry-failure.js';

/**
 * libpq connection settings the pg driver does not read (a connection service, hostaddr, PGHOSTADDR,
 * a PGHOST list) are exit 2 naming the setting and what to write instead. Before, pg dropped them
 * without a word: a `service=` URL went to localhost:5432, a PGHOST list was looked up as one name.
 */

const refusal = (url: string, env: Record<string, string>) => {
  try {
    postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL', env });
  } catch (err) {
    return err as InputError;
  }
  return undefined;
};

describe('libpq settings pg does not read', () => {
  it.each([
    ['service= in the URL', 'postgresql:///?service=promptctl', {}, 'PROMPTCTL_REGISTRY_URL names the connection service promptctl (service=), which promptctl does not read', /write what the service's entry says in the URL itself/],
    ['hostaddr= in the URL', 'postgres://u@db.internal.invalid:5432/prompts?hostaddr=127.0.0.1', {}, 'PROMPTCTL_REGISTRY_URL gives hostaddr=127.0.0.1, which promptctl does not read', /postgres:\/\/user@127\.0\.0\.1:5432\/database/],
    ['PGHOSTADDR', 'postgres://u@db/prompts', { PGHOSTADDR: '10.0.0.5' }, 'PGHOSTADDR=10.0.0.5 is set, and promptctl does not read it', /unset PGHOSTADDR/],
    ['PGSERVICE with a URL that leaves out the port and user', 'postgres://localhost/prompts', { PGSERVICE: 'promptctl' }, 'PGSERVICE=promptctl is set, and promptctl does not read connection service files', /write the port, user from the service's entry/],
    ['a PGHOST list', 'postgres:///prompts', { PGHOST: '127.0.0.1,localhost', PGUSER: 'u' }, 'PGHOST names more than one host (127.0.0.1,localhost); promptctl connects to one', /^set PGHOST \(or the URL's host\) to one host/],
  ])('%s: exit 2', (_, url, env, message, hint) => {
    const e = refusal(url, env);
    expect(e).toBeInstanceOf(InputError);
    expect(e!.exitCode).toBe(2);
    expect(e!.message).toBe(message);
    expect(e!.hint).toMatch(hint);
  });

  it.each([
    ['PGSERVICE beside a URL that names host, port, user and database', 'postgres://u@db:5432/prompts', { PGSERVICE: 'promptctl' }],
    ['one host in PGHOST', 'postgres:///prompts', { PGHOST: '127.0.0.1', PGUSER: 'u' }],
    ['a PGHOST list the URL overrides with its own host', 'postgres://u@db/prompts', { PGHOST: 'a,b' }],
  ])('%s: accepted as before', (_, url, env) => {
    expect(refusal(url, env)).toBeUndefined();
  });

  it('a host no server listens on, taken from PGHOST and PGPORT, is named in the hint with where it came from', async () => {
    const port = await freePort();
    const err = await firstReadFault('postgres:///prompts', { PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'u' });
    expect(err.hint).toContain(`(it names none: promptctl used the host 127.0.0.1 from PGHOST and the port ${port} from PGPORT)`);
  });
});
