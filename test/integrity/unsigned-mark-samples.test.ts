import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { patchConfig, tamper } from '../support/registry-cli.js';

/**
 * Report h46 #5: in a project that does not sign marks, a database writer flipped the samples of the
 * run a version's tested mark rests on from pass to fail, and deploy blamed the prompt ("'golden'
 * failed; fix the prompt in a new version", exit 1) though nothing was evaluated again. The mark
 * holds its runs' sample fingerprints signed or not: the gates compare them and name the mismatch
 * (exit 3), as a signing project does, in words that claim no signature.
 *
 * Review of that fix: the deployed version's (the baseline's) samples went unchecked, so flipping
 * them from pass to fail made a regressing candidate look better than what it replaces, and deploy
 * let it through. The baseline's runs are held to its own tested mark the same way.
 */

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

async function cli(dir: string, args: string[]) {
  return runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'ci@example.com' } });
}

/**
 * 1.1.0 tested and deployed in staging, whose gates block an inconclusive drop; 1.2.0 is 1.1.0
 * without its refund line, tested: one golden case of four fails, within the 0.75 threshold and 25
 * points below 1.1.0.
 */
async function regressingCandidate(dir: string): Promise<void> {
  relaxLatencyGate(dir);
  patchConfig(dir, (c) => {
    c.environments.find((e: { name: string }) => e.name === 'staging').gates.on_inconclusive = 'block';
  });
  const v110 = readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`);
  writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, v110.replace('version: 1.1.0', 'version: 1.2.0').replace(/ {6}- Refunds are available within 30 days of purchase\.\n/, ''));
  expect((await cli(dir, ['eval', `${ID}@1.1.0`])).stdout).toMatch(/✓ support-answer@1\.1\.0 tested on sim-model/);
  const d = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO]);
  expect(d.code, d.output).toBe(0);
  expect((await cli(dir, ['eval', `${ID}@1.2.0`])).stdout).toMatch(/✓ support-answer@1\.2\.0 tested on sim-model/);
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

  it("changed under the deployed version's mark: deploy refuses with exit 3 naming the baseline's run, not a pass", async ({ simProject: dir }) => {
    await regressingCandidate(dir);
    tamper(dir, (db) => db.prepare("UPDATE samples SET verdict = 'fail' WHERE run_id IN (SELECT id FROM runs WHERE version = '1.1.0' AND suite = 'golden')").run());
    const r = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', '--dry-run', ...WHO]);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/the registry's runs do not match the tested mark: the samples of run \w{8} \(suite 'golden'\), which tested mark #\d+ of support-answer@1\.1\.0 rests on, were changed, added or deleted after the mark was earned/);
    expect(r.stderr).not.toMatch(/signed|signature/);
    expect((await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', ...WHO])).code).toBe(3);
  });

  it("unchanged under the deployed version's mark: the regression refuses as before", async ({ simProject: dir }) => {
    await regressingCandidate(dir);
    const r = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', '--dry-run', ...WHO]);
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/FAIL golden suite 'golden': inconclusive: 1 of 4 cases got worse/);
    expect(r.output).not.toMatch(/do not match the tested mark/);
  });
});
