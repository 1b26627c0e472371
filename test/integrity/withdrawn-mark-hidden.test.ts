import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { signerFor } from '../../src/infra/signing.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { patchConfig, readChain, tamper, withProjectRegistry } from '../support/registry-cli.js';

/**
 * A signed mark withdrawn by a failed run (a signed `untested` event) counted again once a database
 * writer without keys deleted that event, or moved it onto another prompt or environment: the
 * reads of a prompt's marks no longer saw it, and deploy went through with only `audit verify`
 * noticing. A signed mark now counts only while the log after it verifies: else exit 3.
 */

const ID = 'support-answer';
const evaluator = generateSigningKey();
const deployer = generateSigningKey();
const KEYS = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
const deploy = (dir: string) => runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'release@example.com'], { cwd: dir, env: KEYS });

describe('a withdrawn signed mark whose untested event is hidden', () => {
  it.for([
    ['moved onto another prompt', "UPDATE events SET prompt_id = 'x' WHERE action = 'untested'"],
    ['moved onto an environment', "UPDATE events SET env = 'development' WHERE action = 'untested'"],
    ['deleted', "DELETE FROM events WHERE action = 'untested'"],
  ] as const)('%s: deploy refuses (exit 3) naming the break, never counting the mark', async ([, edit], { simProject: dir }) => {
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey] };
    });
    relaxLatencyGate(dir);
    expect((await runCliInProcess(['eval', `${ID}@1.1.0`], { cwd: dir, env: KEYS })).code).toBe(0);
    // A failed run withdrew it (signed by the evaluator, as eval does), and more was recorded after.
    withProjectRegistry(dir, (registry, project) => {
      const mark = readChain(dir).find((e) => e.action === 'tested')!;
      return registry.revokeTestedMark(ID, '1.1.0', mark.contentHash!, project.config.server.model, 'ci@example.com', signerFor(project.config.signing, KEYS, 'evaluator'));
    });
    expect((await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development', '--actor', 'release@example.com'], { cwd: dir, env: KEYS })).code).toBe(0);
    const refused = await deploy(dir);
    expect(refused.code, refused.output).toBe(1);

    tamper(dir, (db) => db.prepare(edit).run());
    const r = await deploy(dir);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/error: the audit log after tested mark #\d+ does not verify: event \d+/);
    expect(readChain(dir).filter((e) => e.action === 'deploy' && e.env === 'staging')).toEqual([]);
  });
});
