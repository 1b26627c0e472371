import Database from 'better-sqlite3';
import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { appendForged, appendSignedDeploy } from '../support/forge.js';
import { patchConfig, projectRegistryPath, readChain } from '../support/registry-cli.js';

/**
 * What deploy and rollback stand on in the environment they change is verified as `get` verifies
 * what it serves. In a signing project a database writer who appends a deploy (hashes and chain
 * head recomputed, but no deployer signature) must neither choose what a deploy is compared with
 * (the active version: baseline and previous version) nor become the version a rollback returns
 * to, signed by the deployer who ran it: both refuse (exit 3) naming the event, nothing written.
 */

const ID = 'support-answer';
const evaluator = generateSigningKey();
const deployer = generateSigningKey();
const KEYS = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
const WHO = ['--actor', 'release@example.com'];

/** An unsigned deploy of 1.0.0 to `env`, hashes and head recomputed, as a database writer without the key could append. */
function forgeDeploy(dir: string, env: string, contentHash: string): void {
  appendForged(dir, { env, prompt_id: ID, version: '1.0.0', previous_version: null, action: 'deploy', actor: 'release@example.com', reason: null, detail: null, content_hash: contentHash, at: new Date().toISOString() });
}

async function cli(dir: string, args: string[]) {
  return runCliInProcess([...args, ...WHO], { cwd: dir, env: KEYS });
}

/** A signing project with 1.0.0 and 1.1.0 tested (signed marks); returns their content hashes. */
async function signedProject(dir: string, anchor: { since?: number }): Promise<Record<string, string>> {
  patchConfig(dir, (c) => {
    c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey], ...anchor };
  });
  relaxLatencyGate(dir);
  for (const v of ['1.0.0', '1.1.0']) expect((await runCliInProcess(['eval', `${ID}@${v}`], { cwd: dir, env: KEYS })).code).toBe(0);
  return Object.fromEntries(readChain(dir).map((e) => [e.version, e.contentHash!]));
}

function expectForged(r: { code: number | null; output: string; stderr: string }, env: string, seq: number): void {
  expect(r.code, r.output).toBe(3);
  expect(r.stderr).toContain(`the registry's deploy record of ${ID}@1.0.0 in ${env} does not verify: it may be forged`);
  expect(r.stderr).toContain(`event ${seq} (deploy) is not signed`);
  expect(r.stderr).toMatch(/promptctl audit verify/);
}

describe('a forged active deploy in the target environment', () => {
  it.for([{ since: 1 }, {}])('does not become the baseline of a deploy (signing %o): exit 3, nothing recorded', async (anchor, { simProject: dir }) => {
    const hashes = await signedProject(dir, anchor);
    forgeDeploy(dir, 'staging', hashes['1.0.0']!);
    const before = readChain(dir).length;
    for (const args of [['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], ['deploy', `${ID}@1.1.0`, '--env', 'staging']]) {
      expectForged(await cli(dir, args), 'staging', 3);
    }
    expect(readChain(dir).length).toBe(before);
  });
});

describe('a forged deploy below the active one', () => {
  it.for([{ since: 1 }, {}])('is not where a rollback goes (signing %o): exit 3, nothing recorded', async (anchor, { simProject: dir }) => {
    const hashes = await signedProject(dir, anchor);
    forgeDeploy(dir, 'development', hashes['1.0.0']!);
    // A signed deploy over it, as any deploy from before deploys checked the active event made.
    appendSignedDeploy(dir, { env: 'development', promptId: ID, version: '1.1.0', contentHash: hashes['1.1.0']! }, KEYS);
    const before = readChain(dir).length;
    for (const args of [['rollback', ID, '--env', 'development', '--dry-run'], ['rollback', ID, '--env', 'development'], ['rollback', ID, '--env', 'development', '--to', '1.0.0']]) {
      expectForged(await cli(dir, args), 'development', 3);
    }
    expect(readChain(dir).length).toBe(before);
  });
});

/** How many runs the registry holds. */
function runCount(dir: string): number {
  const db = new Database(projectRegistryPath(dir), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('a forged active deploy in the baseline environment of an eval', () => {
  it('eval --baseline: exit 3, and the hint says what was recorded (its runs), not that nothing was; a deploy still says nothing was written', async ({ simProject: dir }) => {
    const hashes = await signedProject(dir, { since: 1 });
    forgeDeploy(dir, 'staging', hashes['1.0.0']!);
    const runs = runCount(dir);
    const r = await runCliInProcess(['eval', `${ID}@1.1.0`, '--baseline', 'staging'], { cwd: dir, env: KEYS });
    expectForged(r, 'staging', 3);
    // The runs were recorded before the comparison read staging: the hint says so, and no "nothing was written".
    expect(runCount(dir)).toBeGreaterThan(runs);
    expect(r.stderr).toContain("hint: the eval's runs and the tested marks they earn or withdraw are recorded; only the comparison with what staging runs, and its gates, were refused; run `promptctl audit verify`");
    expect(r.stderr).not.toContain('nothing was written');
    const deploy = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run']);
    expectForged(deploy, 'staging', 3);
    expect(deploy.stderr).toContain('hint: the gates were not judged on it and nothing was written;');
  });
});
