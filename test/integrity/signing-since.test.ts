import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { appendForged, stripSignatures } from '../support/forge.js';
import { markTested, patchConfig, readChain } from '../support/registry-cli.js';

/**
 * Where signing began must be kept outside the database (signing.since in .promptrc.yaml): read
 * from the log itself, a writer who strips every signature (they sit beside the hashes, so no hash
 * or anchor changes) makes the log say signing never began, and a forged unsigned deploy verifies.
 */

const ID = 'support-answer';
const deployer = generateSigningKey();
const KEYS = { PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
const WHO = ['--actor', 'release@example.com'];

/** #1, #2 unsigned tested marks (the evaluator pins no key); #3, #4 deploys signed by the deployer. */
async function signedProject(dir: string, since?: number): Promise<void> {
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  patchConfig(dir, (c) => {
    c.signing = { deployer: [deployer.publicKey], ...(since === undefined ? {} : { since }) };
  });
  for (const v of ['1.0.0', '1.1.0']) {
    const r = await runCliInProcess(['deploy', `${ID}@${v}`, '--env', 'development', ...WHO], { cwd: dir, env: KEYS });
    expect(r.code, r.output).toBe(0);
  }
}

describe('signing.since', () => {
  it('without it, verify says signing began by the log\'s own account and prints the line to add', async ({ project: dir }) => {
    await signedProject(dir);
    const v = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(v.code, v.output).toBe(0);
    expect(v.stdout).toMatch(/2 unsigned \(all before #3, when signing began\)/);
    expect(v.stdout).toContain('add `signing.since: 3` to .promptrc.yaml');
    // Stripped and forged: the log still verifies on its own account, but never with advice to pin keys already pinned.
    stripSignatures(dir);
    appendForged(dir, { version: '1.0.0', previous_version: '1.1.0', content_hash: null, reason: 'routine' });
    const stripped = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(stripped.code, stripped.output).toBe(0);
    expect(stripped.stdout).toMatch(/keys are pinned under signing: in \.promptrc\.yaml, but no event is signed/);
    expect(stripped.stdout).not.toMatch(/pin keys under signing/);
  });

  it('with it, stripping every signature and forging a deploy is a break for verify and a refusal for get', async ({ project: dir }) => {
    await signedProject(dir, 3);
    const clean = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(clean.code, clean.output).toBe(0);
    expect(clean.stdout).toMatch(/2 unsigned \(all before #3, where signing\.since in \.promptrc\.yaml says signing began\)/);
    expect(clean.stdout).not.toContain('signing.since: 3');
    stripSignatures(dir);
    appendForged(dir, { version: '1.0.0', previous_version: '1.1.0', content_hash: null, reason: 'routine' });
    const v = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(v.code, v.output).toBe(1);
    expect(v.stderr).toMatch(/event #3: event 3 \(deploy\) is not signed, though signing began at #3 \(signing\.since in \.promptrc\.yaml\)|at event #3: .*is not signed, though signing began at #3/);
    const get = await runCliInProcess(['get', ID, '--env', 'development'], { cwd: dir });
    expect(get.code, get.output).toBe(3);
    expect(get.stderr).toMatch(/event 5 \(deploy\) is not signed, though signing began at #3/);
  });

  it('set past the first signed event (a typo), verify, status and history warn with the value to use; stripped, still warned of', async ({ project: dir }) => {
    await signedProject(dir, 300);
    const v = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(v.code, v.output).toBe(0);
    // The unsigned events are before where signing began by the log (#3), not before #300.
    expect(v.stdout).toMatch(/2 unsigned \(all before #3, when signing began\)/);
    expect(v.stderr).toMatch(/warning: signing\.since: 300 in \.promptrc\.yaml is later than the first signed event, #3: .*set `signing\.since: 3`/);
    stripSignatures(dir);
    const stripped = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(stripped.code, stripped.output).toBe(0);
    expect(stripped.stdout).toMatch(/signing\.since in \.promptrc\.yaml requires signatures only from #300 on, past the newest event \(#4\)/);
    expect(stripped.stderr).toMatch(/warning: signing\.since: 300 in \.promptrc\.yaml is past the log, which ends at #4, and no event is signed/);
    for (const cmd of ['history', 'status']) {
      const r = await runCliInProcess([cmd], { cwd: dir });
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/signing\.since: 300 in \.promptrc\.yaml is past the log/);
    }
  });

  it('a writer refuses an unsigned event from signing.since on, whatever the log holds (exit 2, nothing written)', async ({ project: dir }) => {
    markTested(dir, `${ID}@1.0.0`);
    // Nothing signed yet; the project says signing starts at the next event.
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [], deployer: [], since: 2 };
    });
    const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO], { cwd: dir, env: {} });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(/the audit log is signed from event #2 on \(signing\.since in \.promptrc\.yaml\), and this deploy event would not be/);
    const dry = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development', '--dry-run', ...WHO], { cwd: dir, env: {} });
    expect(dry.code, dry.output).toBe(2);
    expect(readChain(dir).map((e) => e.seq)).toEqual([1]);
  });

  it('without it, the refusal of an unsigned event gives the line that anchors the start', async ({ project: dir }) => {
    await signedProject(dir);
    // The pin retired (the deploys it signed still verify, as deploy checks the active event): the next deploy would be unsigned.
    patchConfig(dir, (c) => {
      c.signing = { deployer: [], retired: [{ key: deployer.publicKey, role: 'deployer', until: 4 }] };
    });
    const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO], { cwd: dir, env: {} });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('add `signing.since: 3` to .promptrc.yaml');
  });
});

describe('shown events in a signing project', () => {
  it('an unsigned decoy in another environment does not hide a forged deploy after it from get, status, history and export', async ({ project: dir }) => {
    await signedProject(dir);
    // #5 a decoy in staging, #6 the forged development deploy: both unsigned, after signed #3 and #4.
    appendForged(dir, { env: 'staging', previous_version: null, actor: 'x', reason: 'noise' }, { env: 'development', version: '1.0.0', previous_version: '1.1.0', content_hash: null, reason: 'routine' });
    const forged = /event 6 \(deploy\) is not signed, though the registry holds signed events before it/;
    for (const args of [['get', ID, '--env', 'development'], ['status', '--env', 'development'], ['history', '--env', 'development', '--limit', '1'], ['export', '--env', 'development']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.stderr, args.join(' ')).toMatch(forged);
      // get and export serve what they print: refused; status and history display it, with the warning.
      expect(r.code, args.join(' ')).toBe(['get', 'export'].includes(args[0]!) ? 3 : 0);
    }
  });
});
