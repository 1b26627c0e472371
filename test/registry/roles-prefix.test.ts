import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * `registry roles --prefix`: PostgreSQL cuts a role name longer than 63 bytes without an error, so a
 * long prefix made the printed SQL create roles other than those named, or one role for all three
 * (reader, evaluator and deployer merged); and pg_ names are the server's own. No server is needed:
 * the command only prints SQL.
 */

afterAll(() => cleanupTempDirs());

const env = { PROMPTCTL_REGISTRY_URL: 'postgres://owner@127.0.0.1:5432/prompts' };

describe('registry roles --prefix', () => {
  it('refuses a prefix whose role names PostgreSQL would cut, or a pg_ one (exit 2, named why); the longest allowed fits', async () => {
    const dir = makeProject();
    const long = await runCliInProcess(['registry', 'roles', '--prefix', 'x'.repeat(55)], { cwd: dir, env });
    expect(long.code, long.output).toBe(2);
    expect(long.stderr).toContain('--prefix: must be at most 54 characters long: PostgreSQL cuts a role name at 63');
    expect(long.stdout).toBe('');

    const merged = await runCliInProcess(['registry', 'roles', '--prefix', 'x'.repeat(63)], { cwd: dir, env });
    expect(merged.code, merged.output).toBe(2);

    const reserved = await runCliInProcess(['registry', 'roles', '--prefix', 'pg_'], { cwd: dir, env });
    expect(reserved.code, reserved.output).toBe(2);
    expect(reserved.stderr).toContain('--prefix: must not start with pg_: PostgreSQL reserves those role names');

    const fits = await runCliInProcess(['registry', 'roles', '--prefix', 'x'.repeat(54), '--json'], { cwd: dir, env });
    expect(fits.code, fits.output).toBe(0);
    const roles = Object.values((JSON.parse(fits.stdout) as { roles: Record<string, string> }).roles);
    expect(new Set(roles).size).toBe(3);
    for (const name of roles) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
  });
});
