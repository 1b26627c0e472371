import { describe, expect } from 'vitest';
import { computeEventHash } from '../../src/core/audit-chain.js';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { toEvent, type EventRow } from '../../src/infra/registry/sqlite-rows.js';
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
  const sql = (statement: string) => (dir: string) => tamper(dir, (db) => db.prepare(statement).run());
  it.for([
    ['moved onto another prompt', sql("UPDATE events SET prompt_id = 'x' WHERE action = 'untested'")],
    ['moved onto an environment', sql("UPDATE events SET env = 'development' WHERE action = 'untested'")],
    ['deleted', sql("DELETE FROM events WHERE action = 'untested'")],
    // Hashes recomputed from it to the head: only the signatures (over the old hashes) tell.
    ['moved onto another prompt, every hash after it recomputed', (dir: string) => movedAndRehashed(dir)],
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

    edit(dir);
    const r = await deploy(dir);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/error: the audit log after tested mark #\d+ does not verify: event \d+/);
    expect(readChain(dir).filter((e) => e.action === 'deploy' && e.env === 'staging')).toEqual([]);
  });
});

/** The untested event moved onto another prompt, its hash and every later hash and the head recomputed. */
function movedAndRehashed(dir: string): void {
  const untested = readChain(dir).find((e) => e.action === 'untested')!;
  tamper(dir, (db) => {
    db.exec('DROP TRIGGER IF EXISTS chain_head_update; DROP TRIGGER IF EXISTS chain_head_insert;');
    const rows = db.prepare('SELECT * FROM events ORDER BY seq').all() as EventRow[];
    let prev = rows.find((r) => r.seq === untested.seq - 1)!.hash;
    for (const row of rows.filter((r) => r.seq >= untested.seq)) {
      if (row.seq === untested.seq) row.prompt_id = 'x';
      row.prev_hash = prev;
      row.hash = computeEventHash(toEvent(row));
      db.prepare('UPDATE events SET prompt_id = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(row.prompt_id, row.prev_hash, row.hash, row.seq);
      prev = row.hash;
    }
    db.prepare('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1').run(rows.at(-1)!.seq, prev);
  });
}
