import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { tamper } from '../support/registry-cli.js';

/**
 * Report h46 #5: in a project that does not sign marks, a database writer flipped the samples of the
 * run a version's tested mark rests on from pass to fail, and deploy blamed the prompt ("'golden'
 * failed; fix the prompt in a new version", exit 1) though nothing was evaluated again. The mark
 * holds its runs' sample fingerprints signed or not: the gates compare them and name the mismatch
 * (exit 3), as a signing project does, in words that claim no signature.
 */

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

async function cli(dir: string, args: string[]) {
  return runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'ci@example.com' } });
}

describe('the samples under an unsigned tested mark', () => {
  it('changed after the mark: deploy refuses with exit 3 naming the mismatch, not the prompt', async ({ simProject: dir }) => {
    relaxLatencyGate(dir);
    const e = await cli(dir, ['eval', `${ID}@1.1.0`]);
    expect(e.stdout, e.output).toMatch(/✓ support-answer@1\.1\.0 tested on sim-model/);
    expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run', ...WHO])).code).toBe(0);
    tamper(dir, (db) => db.prepare("UPDATE samples SET verdict = 'fail' WHERE run_id IN (SELECT id FROM runs WHERE version = '1.1.0' AND suite = 'golden')").run());
    const r = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run', ...WHO]);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/the registry's runs do not match the tested mark: the samples of run \w{8} \(suite 'golden'\), which tested mark #\d+ of support-answer@1\.1\.0 rests on, were changed, added or deleted after the mark was earned/);
    expect(r.stderr).toMatch(/a tested mark records the fingerprints of its runs' samples/);
    expect(r.stderr).not.toMatch(/signed|signature/);
    expect(r.output).not.toMatch(/fix the prompt/);
  });

  it('unchanged: the mark counts as before', async ({ simProject: dir }) => {
    relaxLatencyGate(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    const r = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO]);
    expect(r.code, r.output).toBe(0);
  });
});
