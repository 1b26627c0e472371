import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { readProjectFile, relaxLatencyGate, withRegistry, writeProjectFile } from '../support/project.js';
import { markTested, patchConfig, readChain, recomputeChainFrom, tamper, withProjectRegistry } from '../support/registry-cli.js';
import { signerFor } from '../../src/infra/signing.js';

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
  // A named actor: without one, every eval spawns git to find who records its tested marks.
  return runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'ci@example.com', ...env } });
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

  it("a release manager deploys a draft's revised content with the deployer key alone: the supersession is the deployer's", async ({ simProject: dir }) => {
    signing(dir);
    const draft = `prompts/${ID}/1.2.0.yaml`;
    writeProjectFile(dir, draft, readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0'));
    expect((await cli(dir, ['eval', `${ID}@1.2.0`])).code).toBe(0);
    // Another branch's revision of the draft: development takes it untested.
    writeProjectFile(dir, draft, readProjectFile(dir, draft).replace(/^description: .*$/m, 'description: Revised on another branch.'));
    const d = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'development', ...WHO], { PROMPTCTL_DEPLOYER_KEY: deployer.privateKey });
    expect(d.code, d.output).toBe(0);
    expect(readChain(dir).map((e) => `${e.action}:${e.signer?.split(':')[0]}`)).toEqual(['tested:evaluator', 'supersede:deployer', 'deploy:deployer']);
    const v = await cli(dir, ['audit', 'verify']);
    expect(v.code, v.output).toBe(0);
    expect(v.stdout).toMatch(/signed: 2 by the deployer, 1 by the evaluator; 0 unsigned/);
  });

  it('refuses to write without the role key, or with a key that is not pinned (exit 2, nothing recorded)', async ({ simProject: dir }) => {
    signing(dir);
    const noKey = await cli(dir, ['eval', `${ID}@1.1.0`], {});
    expect(noKey.code, noKey.output).toBe(2);
    expect(noKey.stderr).toMatch(/this project signs evaluator events, and PROMPTCTL_EVALUATOR_KEY is not set/);
    // A fork's pull request gets the secret empty: said as for the registry URL and the API key.
    const empty = await cli(dir, ['eval', `${ID}@1.1.0`], { CI: 'true', GITHUB_ACTIONS: 'true', PROMPTCTL_EVALUATOR_KEY: '' });
    expect(empty.code, empty.output).toBe(2);
    expect(empty.stderr).toContain('error: PROMPTCTL_EVALUATOR_KEY is set but empty in this CI job');
    expect(empty.stderr).toContain('GitHub passes empty secrets to pull requests from forks');
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

  it("a signed mark edited to name another version counts for nothing: the signature vouches for the hash, not the edited row", async ({ simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    expect((await cli(dir, ['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO])).code).toBe(0);
    const untested = readChain(dir).find((e) => e.version === '1.0.0')!.contentHash;
    // A database writer moves 1.1.0's signed mark, and its runs, onto the untested 1.0.0, leaving the hash and signature.
    tamper(dir, (db) => {
      db.prepare("UPDATE events SET version = '1.0.0', content_hash = ? WHERE action = 'tested'").run(untested);
      db.prepare("UPDATE runs SET version = '1.0.0', prompt_hash = ? WHERE version = '1.1.0'").run(untested);
    });
    const r = await cli(dir, ['deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHO]);
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/1\.0\.0 has not been tested on sim-model/);
    expect((await cli(dir, ['status', '--env', 'development'])).stdout).toMatch(/development +1\.0\.0 +NO/);
  });

  it.for([
    ['another version', "version = '1.0.0'"],
    ['another model', `detail = json_set(detail, '$.model', 'other-model')`],
  ])("a signed mark's withdrawal edited to name %s does not make the mark count again", async ([, edit], { simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    const hash = readChain(dir)[0]!.contentHash!;
    // A failing re-run withdraws the mark with an `untested` event signed by the evaluator.
    withProjectRegistry(dir, (registry, project) => registry.revokeTestedMark(ID, '1.1.0', hash, 'sim-model', 'ci@example.com', signerFor(project.config.signing, KEYS, 'evaluator')));
    // A database writer points the withdrawal elsewhere, leaving its hash and signature.
    tamper(dir, (db) => db.prepare(`UPDATE events SET ${edit} WHERE action = 'untested'`).run());
    const r = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO]);
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/1\.1\.0 has not been tested on sim-model/);
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

  it('refuses to write an unsigned event after signed ones: the pin removed, the log stays intact (exit 2)', async ({ simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    // A change to .promptrc.yaml drops the deployer's pin: the next deploy would be unsigned after a signed mark.
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [] };
    });
    // Nobody holds a deployer key any more: nothing tells the deploy to sign.
    const unpinned = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey };
    const dry = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run', ...WHO], unpinned);
    expect(dry.code, dry.output).toBe(2);
    expect(dry.stdout).toMatch(/^ {2}FAIL the audit log is signed \(event #1 by evaluator:[0-9a-f]{16}\), and this deploy event would not be: /m);
    const d = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO], unpinned);
    expect(d.code, d.output).toBe(2);
    expect(d.stderr).toMatch(/the audit log is signed \(event #1 by evaluator:[0-9a-f]{16}\), and this deploy event would not be/);
    expect(d.stderr).toMatch(/pin the deployer's public keys under signing\.deployer in \.promptrc\.yaml .* and set PROMPTCTL_DEPLOYER_KEY/);
    expect(readChain(dir).map((e) => e.action)).toEqual(['tested']);
    signing(dir);
    const v = await cli(dir, ['audit', 'verify']);
    expect(v.code, v.output).toBe(0);
    expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO])).code).toBe(0);
  });

  it('eval with no evaluator pin on a signed log stops before sending anything (exit 2), not after the run', async ({ simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    // An older branch's .promptrc.yaml, from before the project signed.
    patchConfig(dir, (c) => {
      delete c.signing;
    });
    const runsBefore = withRegistry(dir, (db) => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n);
    const r = await cli(dir, ['eval', `${ID}@1.1.0`, '--no-cache', '--suite', 'golden'], {});
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(/the audit log is signed \(event #1 by evaluator:[0-9a-f]{16}\), and this tested event would not be/);
    expect(withRegistry(dir, (db) => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n)).toBe(runsBefore);
  });

  it('a dry run without the deployer key says the real deploy and rollback stop there (exit 2), not that they would go ahead', async ({ simProject: dir }) => {
    signing(dir);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO])).code).toBe(0);
    const noKey = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey };
    const dry = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run', ...WHO], noKey);
    expect(dry.code, dry.output).toBe(2);
    expect(dry.stdout).toMatch(/^ {2}FAIL this project signs deployer events, and PROMPTCTL_DEPLOYER_KEY is not set: /m);
    expect(dry.stdout).not.toMatch(/would be deployed/);
    const json = JSON.parse((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run', '--json', ...WHO], noKey)).stdout);
    expect(json.checks[0]).toMatchObject({ id: 'accountability-signing', ok: false, kind: 'accountability', requirement: 'signing' });
    const back = await cli(dir, ['rollback', ID, '--env', 'development', '--dry-run', ...WHO], noKey);
    expect(back.code, back.output).toBe(2);
    expect(back.output).toMatch(/this project signs deployer events, and PROMPTCTL_DEPLOYER_KEY is not set/);
    // With the key, the same dry run has nothing to say about signing.
    expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run', ...WHO])).code).toBe(0);
  });

  it('events from before signing began are history, not forgeries; an unsigned event after a signed one is warned about', async ({ project: dir }) => {
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    expect((await cli(dir, ['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO], {})).code).toBe(0);
    signing(dir);
    for (const args of [['status'], ['history', ID]]) {
      const r = await cli(dir, args);
      expect(r.code, r.output).toBe(0);
      expect(r.stderr, args.join(' ')).not.toMatch(/not signed|forged/);
    }
    expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO])).code).toBe(0);
    expect((await cli(dir, ['rollback', ID, '--env', 'development', ...WHO])).code).toBe(0);
    expect(readChain(dir).map((e) => `${e.seq}:${e.action}:${e.signer ? 'signed' : 'unsigned'}`)).toEqual(['1:tested:unsigned', '2:tested:unsigned', '3:deploy:unsigned', '4:deploy:signed', '5:rollback:signed']);
    // A database writer strips the newest signature (it is beside the hash, so no hash changes).
    tamper(dir, (db) => db.prepare('UPDATE events SET signer = NULL, signature = NULL WHERE seq = 5').run());
    const history = await cli(dir, ['history', ID, '--env', 'development']);
    expect(history.stderr).toMatch(/event 5 \(rollback\) is not signed, though the registry holds signed events before it/);
    expect(history.stderr).not.toMatch(/event [34]\b/);
    expect((await cli(dir, ['audit', 'verify'])).code).toBe(1);
  });
});

describe('keys generate', () => {
  it('prints a key pair that signs and verifies', async ({ project: dir }) => {
    const r = await runCliInProcess(['keys', 'generate', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const keys = JSON.parse(r.stdout);
    expect(keys.publicKey).toMatch(/^ed25519:[A-Za-z0-9_-]{43}$/);
    expect(keys.privateKey).toMatch(/^ed25519-private:[A-Za-z0-9_-]{43}$/);
    const { signHash, verifyHash } = await import('../../src/infra/ed25519.js');
    expect(verifyHash(keys.publicKey, 'abc', signHash(keys.privateKey, 'abc'))).toBe(true);
    expect(verifyHash(keys.publicKey, 'abd', signHash(keys.privateKey, 'abc'))).toBe(false);
  });
});
