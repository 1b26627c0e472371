import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { openRegistry } from '../../src/index.js';
import { postgresAvailable } from '../support/postgres.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { teamRegistryForFile } from '../support/team-registry.js';

/**
 * A typo in a server setting the registry URL gives the session (options=-c name=value, or a
 * startup parameter such as statement_timeout=) makes PostgreSQL refuse the connection (22023, 42704):
 * exit 2 naming the setting and where it is written. Before, a bad value was "a value promptctl
 * sent" (report a bug, eval --resume) and an unknown name "see the PostgreSQL server log".
 */

const pgOk = postgresAvailable();
const team = teamRegistryForFile(pgOk, 'support-answer@1.0.0');
const url = (query: string) => `${team.cluster.url(team.database, { withPassword: true })}?${query}`;

describe.runIf(pgOk)("a server setting in the registry URL that PostgreSQL refuses", () => {
  it.each([
    ['options=-c%20lock_timeout%3Dten', 'the registry URL sets lock_timeout in the `options` parameter (-c lock_timeout=…) to a value PostgreSQL refuses'],
    ['options=-c%20statment_timeout%3D60000', 'the registry URL sets statment_timeout in the `options` parameter (-c statment_timeout=…), and PostgreSQL has no setting of that name'],
    ['statement_timeout=soon', 'write statement_timeout= as a whole number of milliseconds'],
  ])('%s: a command exits 2 naming it', async (query, message) => {
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url(query) } });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(message);
    expect(r.output).toContain('PROMPTCTL_REGISTRY_URL');
    expect(r.output).not.toMatch(/promptctl bug|eval --resume|server log/);
    expect(r.output).not.toContain(team.cluster.password);
  });

  it("a setting that is no time is given the server's own hint, not a time's example", async () => {
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url('options=-c%20work_mem%3D64XB') } });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('(the server says: Valid units for this parameter are');
    expect(r.output).not.toContain('work_mem=10s');
  });

  it("the library's reader: InputError naming the setting, with the url given to openRegistry as the place", async () => {
    const reader = openRegistry({ url: url('options=-c%20lock_timeout%3Dten') });
    try {
      const err = await reader.getActive('support-answer', 'staging').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toContain('lock_timeout');
      expect((err as InputError).hint).toContain('the url given to openRegistry');
    } finally {
      await reader.close();
    }
  });
});
