import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { patchConfig, readChain } from '../support/registry-cli.js';

/**
 * On a signed log, a change that would write an unsigned event (the deployer's pins removed) stops
 * with exit 2. Its dry run says so before the gates' verdict ("stops at the policy above with exit
 * 2"), so the real change must stop there too: a refused deploy, a rollback with nothing to roll
 * back and a redeploy of the active version used to exit 1 or 0 where the dry run exited 2.
 */

const ID = 'support-answer';
const evaluator = generateSigningKey();
const deployer = generateSigningKey();
const WHO = ['--actor', 'release@example.com'];

const cases: Array<[string, string[]]> = [
  ['a deploy the gates refuse (untested, in staging)', ['deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHO]],
  ['a redeploy of the version active there', ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO]],
  ['a rollback with nothing to roll back', ['rollback', ID, '--env', 'staging', ...WHO]],
  ['a rollback to the version active there', ['rollback', ID, '--env', 'development', '--to', '1.1.0', ...WHO]],
];

describe('an unsigned change on a signed log: the dry run predicts the real exit code', () => {
  it.for(cases)('%s: exit 2 with and without --dry-run, nothing recorded', async ([, args], { simProject: dir }) => {
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey] };
    });
    relaxLatencyGate(dir);
    const keys = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
    expect((await runCliInProcess(['eval', `${ID}@1.1.0`], { cwd: dir, env: keys })).code).toBe(0);
    expect((await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO], { cwd: dir, env: keys })).code).toBe(0);
    // The deployer's pin is dropped (retired, so the deploy it signed still verifies, as deploy
    // checks the active event and get serves it): every change would be unsigned.
    const signed = readChain(dir).at(-1)!.seq;
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [], retired: [{ key: deployer.publicKey, role: 'deployer', until: signed }] };
    });
    const env = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey };
    const before = readChain(dir).length;
    const dry = await runCliInProcess([...args, '--dry-run'], { cwd: dir, env });
    const real = await runCliInProcess(args, { cwd: dir, env });
    expect(dry.code, dry.output).toBe(2);
    expect(real.code, real.output).toBe(2);
    expect(real.stderr).toMatch(/the audit log is signed \(event #\d+ by deployer:[0-9a-f]{16}\), and this (deploy|rollback) event would not be/);
    expect(real.stderr).toMatch(/pin the deployer's public keys under signing\.deployer in \.promptrc\.yaml/);
    expect(readChain(dir).length).toBe(before);
  });
});
