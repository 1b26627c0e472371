import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { patchConfig, readChain } from '../support/registry-cli.js';

/**
 * Rotating a signing key: the old key moves to signing.retired with `until` (the last event it
 * signed). Its marks and deploys keep counting and `audit verify` stays intact; a signature by it
 * after `until` is a break, and no command signs with it any more.
 */

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];
const evaluator = generateSigningKey();
const oldDeployer = generateSigningKey();
const newDeployer = generateSigningKey();

async function cli(dir: string, args: string[], deployerKey: string) {
  return runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployerKey } });
}

function pin(dir: string, deployer: string[], retired: Array<{ key: string; role: string; until: number }> = []): void {
  patchConfig(dir, (c) => {
    c.signing = { evaluator: [evaluator.publicKey], deployer, ...(retired.length ? { retired } : {}) };
  });
}

/** One mark and one deploy signed by the old deployer key (events 1 and 2). */
async function historyUnderTheOldKey(dir: string): Promise<void> {
  relaxLatencyGate(dir);
  pin(dir, [oldDeployer.publicKey]);
  expect((await cli(dir, ['eval', `${ID}@1.1.0`], oldDeployer.privateKey)).code).toBe(0);
  const d = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO], oldDeployer.privateKey);
  expect(d.code, d.output).toBe(0);
}

describe('rotating a signing key', () => {
  it('un-pinning the old key without retiring it breaks verify, with a hint that says how to retire it', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    pin(dir, [newDeployer.publicKey]);
    const v = await cli(dir, ['audit', 'verify'], newDeployer.privateKey);
    expect(v.code, v.output).toBe(1);
    expect(v.stderr).toMatch(/event 2 is signed by deployer key [0-9a-f]{16}, which \.promptrc\.yaml does not pin/);
    expect(v.stderr).toMatch(/list it under signing\.retired in \.promptrc\.yaml \(key, role: deployer, until: the last event it signed\)/);
    // get refuses to serve the deploy that key signed, and says the fix is the config, not a backup.
    const get = await cli(dir, ['get', ID, '--env', 'staging'], newDeployer.privateKey);
    expect(get.code, get.output).toBe(3);
    expect(get.stderr).toMatch(/which \.promptrc\.yaml does not pin/);
    expect(get.stderr).toMatch(/hint: if that key was rotated out, list it under signing\.retired in \.promptrc\.yaml \(key, role: deployer, until: the last event it signed\)/);
    // Retired as the hint says, the same deploy is served again.
    pin(dir, [newDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 2 }]);
    const served = await cli(dir, ['get', ID, '--env', 'staging'], newDeployer.privateKey);
    expect(served.code, served.output).toBe(0);
  });

  it('status and a deploy that check the log after a mark give the same key hint as verify and get, not "restore from a backup"', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    // Rotated out without signing.retired: the fix is the config.
    pin(dir, [newDeployer.publicKey]);
    for (const args of [['status'], ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO]]) {
      const r = await cli(dir, args, newDeployer.privateKey);
      expect(r.code, r.output).toBe(3);
      expect(r.stderr).toMatch(/event 2 is signed by deployer key [0-9a-f]{16}, which \.promptrc\.yaml does not pin/);
      expect(r.stderr).toMatch(/hint: if that key was rotated out, list it under signing\.retired in \.promptrc\.yaml/);
    }
    // Retired with an until too low: the hint says to correct it.
    pin(dir, [newDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 1 }]);
    const s = await cli(dir, ['status'], newDeployer.privateKey);
    expect(s.code, s.output).toBe(3);
    expect(s.stderr).toMatch(/hint: if #1 is not the last event that key signed legitimately, correct `until` under signing\.retired/);
    expect(readChain(dir)).toHaveLength(2);
  });

  it('a retired key keeps its history: verify intact, the deploy still served, new events signed by the new key', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    pin(dir, [newDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 2 }]);
    const v = await cli(dir, ['audit', 'verify'], newDeployer.privateKey);
    expect(v.code, v.output).toBe(0);
    expect(v.output).not.toMatch(/warning/i);
    const get = await cli(dir, ['get', ID, '--env', 'staging'], newDeployer.privateKey);
    expect(get.code, get.output).toBe(0);
    expect(get.output).not.toMatch(/forged/);
    const d = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO], newDeployer.privateKey);
    expect(d.code, d.output).toBe(0);
    expect((await cli(dir, ['audit', 'verify'], newDeployer.privateKey)).code).toBe(0);
  });

  it("a mark signed by a retired evaluator key still counts for the gate: rotating CI's key asks for no new eval", async ({ simProject: dir }) => {
    relaxLatencyGate(dir);
    const oldEvaluator = generateSigningKey();
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [oldEvaluator.publicKey], deployer: [newDeployer.publicKey] };
    });
    const env = { PROMPTCTL_EVALUATOR_KEY: oldEvaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: newDeployer.privateKey };
    expect((await runCliInProcess(['eval', `${ID}@1.1.0`], { cwd: dir, env })).code).toBe(0);
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [newDeployer.publicKey], retired: [{ key: oldEvaluator.publicKey, role: 'evaluator', until: 1 }] };
    });
    const d = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO], newDeployer.privateKey);
    expect(d.code, d.output).toBe(0);
    expect(readChain(dir).map((e) => e.action)).toEqual(['tested', 'deploy']);
  });

  it('refuses to sign with the retired key (exit 2, nothing recorded, the key never echoed)', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    pin(dir, [newDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 2 }]);
    const d = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'development', ...WHO], oldDeployer.privateKey);
    expect(d.code, d.output).toBe(2);
    expect(d.stderr).toMatch(/the key in PROMPTCTL_DEPLOYER_KEY was retired after event 2 \(signing\.retired in \.promptrc\.yaml\)/);
    expect(d.output).not.toContain(oldDeployer.privateKey);
    expect(readChain(dir)).toHaveLength(2);
  });

  it('a signature by the retired key after its retirement is a break that says the key is still held', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    // The key leaked: it signed event 2 (the deploy) after the last event known genuine (1).
    pin(dir, [newDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 1 }]);
    const v = await cli(dir, ['audit', 'verify'], newDeployer.privateKey);
    expect(v.code, v.output).toBe(1);
    expect(v.stderr).toMatch(/event 2 is signed by deployer key [0-9a-f]{16}, retired after event 1 .*still holds the retired key/);
    expect(v.stderr).toMatch(/treat the events it signed after #1 as forged/);
    // What get prints is served: a deploy the leaked key signed is refused, not printed with a warning.
    const get = await cli(dir, ['get', ID, '--env', 'staging'], newDeployer.privateKey);
    expect(get.code, get.output).toBe(3);
    expect(get.stdout).toBe('');
    expect(get.stderr).toMatch(/the registry's deploy record of support-answer@1\.1\.0 in staging does not verify: it may be forged/);
    expect(get.stderr).toMatch(/retired after event 1/);
  });

  it('warns when a key is retired after an event the log does not hold yet', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    pin(dir, [newDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 50 }]);
    const v = await cli(dir, ['audit', 'verify'], newDeployer.privateKey);
    expect(v.code, v.output).toBe(0);
    expect(v.output).toMatch(/retired after event 50, but the log ends at #2: its holder could still sign events up to #50/);
  });

  it('refuses a key both pinned and retired, naming the file and field (exit 2)', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    pin(dir, [oldDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 2 }]);
    const v = await cli(dir, ['audit', 'verify'], newDeployer.privateKey);
    expect(v.code, v.output).toBe(2);
    expect(v.stderr).toMatch(/\.promptrc\.yaml/);
    expect(v.stderr).toMatch(/signing\.retired\.0\.key.*also pinned under signing\.deployer/);
  });

  it('refuses a retired deployer key pinned again as the evaluator: lint and eval exit 2 naming the field, nothing signed', async ({ simProject: dir }) => {
    await historyUnderTheOldKey(dir);
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey, oldDeployer.publicKey], deployer: [newDeployer.publicKey], retired: [{ key: oldDeployer.publicKey, role: 'deployer', until: 2 }] };
    });
    const lint = await cli(dir, ['lint', '.promptrc.yaml'], newDeployer.privateKey);
    expect(lint.code, lint.output).toBe(2);
    expect(lint.output).toMatch(/\.promptrc\.yaml:\d+:\d+ .*signing\.retired\.0\.key: is also pinned under signing\.evaluator: it was retired from signing\.deployer/);
    const e = await runCliInProcess(['eval', `${ID}@1.1.0`, '--no-cache'], { cwd: dir, env: { PROMPTCTL_EVALUATOR_KEY: oldDeployer.privateKey } });
    expect(e.code, e.output).toBe(2);
    expect(e.stderr).toContain('signing.retired.0.key');
    pin(dir, [newDeployer.publicKey], [{ key: oldDeployer.publicKey, role: 'deployer', until: 2 }]);
    expect(readChain(dir)).toHaveLength(2);
  });
});
