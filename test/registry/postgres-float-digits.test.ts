import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject } from '../support/project.js';

/**
 * A database (or role) that sets extra_float_digits to -12 or lower makes the server print a
 * double with fewer digits than it holds: 123.456 as "1e+02". Samples' latency_ms is a double, and
 * a tested mark hashes the samples as read back. Before, a mark earned under the setting hashed the
 * rounded latencies, and `audit verify` reported it tampered with for ever after (the stored values
 * were exact). Each session now sets the exact output for itself, so the setting changes nothing.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const live = postgresAndSimulatorForFile();

describe.runIf(pgOk)("a database's extra_float_digits", () => {
  it('at -15: eval earns a mark whose samples audit verify checks intact, under the setting and after RESET', async () => {
    const db = await live.cluster.createDatabase();
    const team = { PROMPTCTL_REGISTRY_URL: live.cluster.url(db, { withPassword: true }) };
    const dir = makeSimProject(live.sim.url);
    const run = async (...args: string[]) => {
      const r = await runCliInProcess(args, { cwd: dir, env: team });
      expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
      return r;
    };
    await run('registry', 'migrate');
    await live.cluster.query(`ALTER DATABASE ${db} SET extra_float_digits = -15`);
    await run('eval', `${ID}@1.0.0`);
    // The stored latencies are what a rounded read would change (any of 10 ms or more, or with a fraction).
    const [stored] = await live.cluster.query<{ changed: string }>('SELECT count(*) AS changed FROM promptctl.samples WHERE latency_ms <> trunc(latency_ms) OR latency_ms >= 10', [], db);
    expect(Number(stored!.changed)).toBeGreaterThan(0);
    expect((await run('audit', 'verify')).stdout).toMatch(/intact/);
    await live.cluster.query(`ALTER DATABASE ${db} RESET extra_float_digits`);
    expect((await run('audit', 'verify')).stdout).toMatch(/intact/);
  });
});
