import { describe, expect, it } from 'vitest';
import { runCi } from '../../src/index.js';
import { branchOf, cli, ciRepoForFile, ID, newVersion } from '../support/ci-repo.js';
import { SCRIPT_ENV } from '../support/simulator.js';

/**
 * A report file ci cannot write after its eval (a full disk; /dev/full always is one) is ci's error
 * returned with what ci found: `--json` prints the result, its plan and lint with `error`, and the
 * library's runCi returns it, as for every other error once ci started. Before, the result was lost:
 * `--json` printed the bare error and runCi threw.
 */

const repo = ciRepoForFile();
const FULL = '/dev/full';

describe('ci with a report file on a full disk', () => {
  it('ci --json --junit /dev/full: exit 3, the result printed with the error', async () => {
    const dir = branchOf(repo.base, 'junit-full');
    await newVersion(dir, 'Same answers as 1.1.0.');
    const r = await cli(dir, 'ci', '--base', 'main', '--json', '--junit', FULL);
    expect(r.code, r.output).toBe(3);
    const out = JSON.parse(r.stdout) as { verdict: string; exitCode: number; plan: { candidates: unknown[] }; lint: unknown; error: { error: string; message: string } };
    expect(out).toMatchObject({ verdict: 'error', exitCode: 3, error: { error: 'Unavailable' } });
    expect(out.error.message).toContain(`cannot write --junit ${FULL}`);
    expect(JSON.stringify(out.plan)).toContain(`${ID}@1.2.0`);
    expect(out.lint).toBeDefined();
    expect(r.stderr).toMatch(/^error: cannot write --junit \/dev\/full/m);
  });

  it("the library's runCi returns the result with the error, never throws it", async () => {
    const dir = branchOf(repo.base, 'junit-full-lib');
    await newVersion(dir, 'Same answers as 1.1.0.');
    const r = await runCi({ cwd: dir, env: SCRIPT_ENV, base: 'main', junit: FULL });
    expect(r).toMatchObject({ verdict: 'error', exitCode: 3, error: { error: 'Unavailable' } });
    expect(r.error!.message).toContain(`cannot write junit ${FULL}`);
    expect(JSON.stringify(r.plan)).toContain(`${ID}@1.2.0`);
  });
});
