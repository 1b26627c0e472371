import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { markTested, patchConfig, readChain, recomputeChainFrom } from '../support/registry-cli.js';

/**
 * Optional signatures, one key per role. An attacker with database write access can recompute
 * every hash; only a signature (or an anchored head) stops them. Once keys are pinned in
 * .promptrc.yaml, a tested mark counts only with the evaluator's signature, and `audit verify`
 * alone catches a recomputed rewrite.
 */

const ID = 'support-answer';
const evaluator = generateSigningKey();
const deployer = generateSigningKey();
const KEYS = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
const WHO = ['--actor', 'release@example.com'];

function signing(dir: string): void {
  patchConfig(dir, (c) => {
    c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey] };
  });
  relaxLatencyGate(dir);
}

async function cli(dir: string, args: string[], env: Record<string, string> = KEYS) {
  return runCliInProcess(args, { cwd: dir, env });
}

describe('a signed registry', () => {
  it('signs tested marks with the evaluator key and deploys with the deployer key; verify says so', async ({ simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    const d = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO]);
    expect(d.code, d.output).toBe(0);
    const chain = readChain(dir);
    expect(chain.map((e) => `${e.action}:${e.signer?.split(':')[0]}`)).toEqual(['tested:evaluator', 'deploy:deployer']);
    const v = await cli(dir, ['audit', 'verify']);
    expect(v.code, v.output).toBe(0);
    expect(v.stdout).toMatch(/signed: 1 by the deployer, 1 by the evaluator; 0 unsigned/);
    expect(v.output).not.toContain(deployer.privateKey);
  });

  it('refuses to write without the role key, or with a key that is not pinned (exit 2, nothing recorded)', async ({ simProject: dir }) => {
    signing(dir);
    const noKey = await cli(dir, ['eval', `${ID}@1.1.0`], {});
    expect(noKey.code, noKey.output).toBe(2);
    expect(noKey.stderr).toMatch(/this project signs evaluator events, and PROMPTCTL_EVALUATOR_KEY is not set/);
    const stranger = generateSigningKey();
    const wrong = await cli(dir, ['eval', `${ID}@1.1.0`], { ...KEYS, PROMPTCTL_EVALUATOR_KEY: stranger.privateKey });
    expect(wrong.code, wrong.output).toBe(2);
    expect(wrong.stderr).toMatch(/is not pinned in \.promptrc\.yaml \(signing\.evaluator\)/);
    expect(wrong.output).not.toContain(stranger.privateKey);
    expect(readChain(dir)).toEqual([]);
  });

  it('refuses a malformed private key without echoing it, and a malformed pinned key naming the file and field (exit 2)', async ({ simProject: dir }) => {
    signing(dir);
    const garbage = 'ed25519:not-a-key-at-all';
    const bad = await cli(dir, ['eval', `${ID}@1.1.0`], { ...KEYS, PROMPTCTL_EVALUATOR_KEY: garbage });
    expect(bad.code, bad.output).toBe(2);
    expect(bad.stderr).toMatch(/PROMPTCTL_EVALUATOR_KEY is not an Ed25519 private key/);
    expect(bad.output).not.toContain(garbage);
    expect(readChain(dir)).toEqual([]);
    patchConfig(dir, (c) => {
      c.signing = { evaluator: ['ssh-ed25519 AAAA'], deployer: [] };
    });
    const pinned = await cli(dir, ['status']);
    expect(pinned.code, pinned.output).toBe(2);
    expect(pinned.stderr).toMatch(/\.promptrc\.yaml/);
    expect(pinned.stderr).toMatch(/signing\.evaluator/);
    expect(pinned.stderr).toMatch(/must be an Ed25519 public key/);
  });

  it('a mark with no evaluator signature counts for nothing, however its hashes were made', async ({ project: dir }) => {
    markTested(dir, `${ID}@1.0.0`); // an unsigned tested event, as a database writer could append
    signing(dir);
    const r = await cli(dir, ['deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHO]);
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/1\.0\.0 has not been tested on sim-model/);
  });

  it('catches a recomputing attacker with verify alone', async ({ simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    for (const env of ['development', 'staging']) expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', env, ...WHO])).code).toBe(0);
    recomputeChainFrom(dir, 2, (row) => {
      row.actor = 'mallory@example.com';
    });
    const v = await cli(dir, ['audit', 'verify']);
    expect(v.code, v.output).toBe(1);
    expect(v.stderr).toMatch(/event #2: its deployer signature does not verify: the event was changed after it was signed/);
    const status = await cli(dir, ['status', '--env', 'development']);
    expect(status.stderr).toMatch(/its deployer signature does not verify/);
  });

  it('an unsigned event appended after signed ones is a break', async ({ simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    // Signing switched off (keys unpinned) for one deploy: the log now holds an unsigned event after a signed one.
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [] };
    });
    expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO], {})).code).toBe(0);
    signing(dir);
    const v = await cli(dir, ['audit', 'verify']);
    expect(v.code, v.output).toBe(1);
    expect(v.stderr).toMatch(/event 2 \(deploy\) is not signed, though the registry holds signed events before it/);
  });
});

describe('keys generate', () => {
  it('prints a key pair that signs and verifies', async ({ project: dir }) => {
    const r = await runCliInProcess(['keys', 'generate', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const keys = JSON.parse(r.stdout);
    expect(keys.publicKey).toMatch(/^ed25519:[A-Za-z0-9_-]{43}$/);
    const { signHash, verifyHash } = await import('../../src/infra/ed25519.js');
    expect(verifyHash(keys.publicKey, 'abc', signHash(keys.privateKey, 'abc'))).toBe(true);
    expect(verifyHash(keys.publicKey, 'abd', signHash(keys.privateKey, 'abc'))).toBe(false);
  });
});
