import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { appendForged } from '../support/forge.js';
import { patchConfig, readChain } from '../support/registry-cli.js';

/**
 * The previous-environment gate lets a version on because that environment's record says it ran
 * there. In a signing project a database writer who appends a deploy there (hashes and chain head
 * recomputed, but no deployer signature) must not talk the gate round: the deploy and its dry run
 * refuse (exit 3) as `get` refuses to serve such a record, and nothing is written.
 */

const ID = 'support-answer';
const evaluator = generateSigningKey();
const deployer = generateSigningKey();
const KEYS = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
const WHO = ['--actor', 'release@example.com'];

describe('a forged deploy in the previous environment', () => {
  it.for([{ since: 1 }, {}])('does not let a version on (signing %o): exit 3 naming the event, nothing recorded', async (anchor, { simProject: dir }) => {
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey], ...anchor };
    });
    relaxLatencyGate(dir);
    expect((await runCliInProcess(['eval', `${ID}@1.1.0`], { cwd: dir, env: KEYS })).code).toBe(0);
    // An unsigned deploy of 1.1.0 to development, as someone with write access to the file could add it: every hash and the head made to match.
    appendForged(dir, { env: 'development', prompt_id: ID, version: '1.1.0', previous_version: null, action: 'deploy', actor: 'release@example.com', reason: null, detail: null, at: new Date().toISOString() });
    const before = readChain(dir).length;
    for (const args of [['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], ['deploy', `${ID}@1.1.0`, '--env', 'staging'], ['promote', ID, '--from', 'development', '--to', 'staging']]) {
      const r = await runCliInProcess([...args, ...WHO], { cwd: dir, env: KEYS });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(3);
      expect(r.stderr).toMatch(/the registry's deploy record of support-answer@1\.1\.0 in development does not verify: it may be forged/);
      expect(r.stderr).toMatch(/event 2 \(deploy\) is not signed/);
      expect(r.stderr).toMatch(/promptctl audit verify/);
    }
    expect(readChain(dir).length).toBe(before);
  });
});
