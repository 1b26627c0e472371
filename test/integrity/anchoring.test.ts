import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested, recomputeChainFrom, tamper } from '../support/registry-cli.js';

/**
 * An attacker with write access to the registry can recompute every hash. Only something kept
 * outside the registry stops that: a head printed by `audit head` and checked later with
 * `audit verify --since`. (Signatures are the other way.)
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

async function cli(dir: string, ...args: string[]) {
  return runCliInProcess(args, { cwd: dir });
}

async function historyOfFour(): Promise<{ dir: string; anchor: string }> {
  const dir = makeProject();
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  for (const v of ['1.0.0', '1.1.0']) expect((await cli(dir, 'deploy', `${ID}@${v}`, '--env', 'staging', ...WHO)).code).toBe(0);
  const head = await cli(dir, 'audit', 'head', '--json');
  expect(head.code, head.output).toBe(0);
  const anchor = JSON.parse(head.stdout).anchor as string;
  expect(anchor).toMatch(/^4:[0-9a-f]{64}$/);
  // Work goes on after the head was anchored.
  expect((await cli(dir, 'rollback', ID, '--env', 'staging', ...WHO)).code).toBe(0);
  return { dir, anchor };
}

describe('audit head and audit verify --since', () => {
  it('an intact log extends its anchored head', async () => {
    const { dir, anchor } = await historyOfFour();
    const r = await cli(dir, 'audit', 'verify', '--since', anchor);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/audit log verified: 5 events, hash chain intact\n(.*\n)?it extends the anchored head #4 \(\w{12}…, 20\d\d-/);
    // Without signatures, verify says plainly what it cannot see.
    expect(r.stdout).toMatch(/no event is signed: someone with write access to the registry could rewrite it and recompute every hash/);
    // stdout is the anchor alone, so a script captures it as `H=$(promptctl audit head)`; the advice is on stderr.
    const text = await cli(dir, 'audit', 'head');
    expect(text.stdout).toMatch(/^5:[0-9a-f]{64}\n$/);
    expect(text.stderr).toMatch(/^event #5 at .*promptctl audit verify --since 5:/);
    const captured = text.stdout.trim();
    expect((await cli(dir, 'audit', 'verify', '--since', captured)).code).toBe(0);
  });

  it('catches a recomputing attacker that plain verify cannot see', async () => {
    const { dir, anchor } = await historyOfFour();
    recomputeChainFrom(dir, 3, (row) => {
      row.actor = 'mallory@example.com';
    });
    expect((await cli(dir, 'audit', 'verify')).code).toBe(0); // every hash was recomputed
    const r = await cli(dir, 'audit', 'verify', '--since', anchor);
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/event #4: its hash is sha256:[0-9a-f]{64}, not the anchored sha256:[0-9a-f]{64}: the log up to the anchor was rewritten since, or the anchor was copied wrong/);
  });

  it('shows both hashes in full, so an anchor mistyped in its last digit is told from a rewrite', async () => {
    const { dir, anchor } = await historyOfFour();
    const typo = anchor.slice(0, -1) + (anchor.endsWith('0') ? '1' : '0');
    const r = await cli(dir, 'audit', 'verify', '--since', typo);
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toContain(`not the anchored sha256:${typo.split(':')[1]}`);
    expect(r.stderr).toContain('events checked and intact on their own; the anchored head given does not match them');
    expect(r.stderr).toMatch(/hint: compare the anchor with where it was kept \(a mistyped digit or sequence number reads the same way\)/);
  });

  it('catches a truncation followed by a rebuilt head', async () => {
    const { dir, anchor } = await historyOfFour();
    tamper(dir, (db) => {
      db.exec('DROP TRIGGER IF EXISTS chain_head_update; DROP TRIGGER IF EXISTS chain_head_no_delete; DROP TRIGGER IF EXISTS chain_head_insert;');
      db.prepare('DELETE FROM events WHERE seq >= 4').run();
      db.prepare('UPDATE chain_head SET seq = 3, hash = (SELECT hash FROM events WHERE seq = 3)').run();
    });
    expect((await cli(dir, 'audit', 'verify')).code).toBe(0);
    const r = await cli(dir, 'audit', 'verify', '--since', anchor);
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/the anchored head is event 4, but the log has only 3 events: it was truncated/);
  });

  it('audit head anchors no head of a log that does not verify: exit 3 naming the broken event', async () => {
    const { dir } = await historyOfFour();
    tamper(dir, (db) => db.prepare("UPDATE events SET actor = 'mallory@example.com' WHERE seq = 2").run());
    const r = await cli(dir, 'audit', 'head');
    expect(r.code, r.output).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no head anchored: the audit log does not verify at event #2/);
    expect(r.stderr).toMatch(/promptctl audit verify/);
  });

  it('a malformed --since is exit 2', async () => {
    const { dir } = await historyOfFour();
    const r = await cli(dir, 'audit', 'verify', '--since', 'yesterday');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--since "yesterday" is not an anchored head/);
  });
});

describe('an empty or missing registry', () => {
  it('audit verify and audit head say there is no registry: exit 2, never "intact"', async () => {
    const dir = makeProject();
    for (const args of [['audit', 'verify'], ['audit', 'head']]) {
      const r = await cli(dir, ...args);
      expect(r.code, r.output).toBe(2);
      expect(r.stderr).toMatch(/no registry at .*registry\.db/);
      expect(r.output).not.toMatch(/intact/);
    }
  });

  it('a registry with no events has nothing to verify: exit 2', async () => {
    const dir = makeProject();
    markTested(dir); // creates the registry, records nothing
    const r = await cli(dir, 'audit', 'verify');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(/has no audit events yet: there is nothing to verify/);
    const head = await cli(dir, 'audit', 'head');
    expect(head.code, head.output).toBe(2);
    expect(head.stderr).toMatch(/has no audit events yet: there is no head to anchor/);
  });
});
