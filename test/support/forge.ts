import { computeEventHash } from '../../src/core/audit-chain.js';
import { toEvent, type EventRow } from '../../src/infra/registry/sqlite-rows.js';
import { expect } from 'vitest';
import { runCliInProcess } from './cli.js';
import { makeProject } from './project.js';
import { markTested, tamper, withProjectRegistry } from './registry-cli.js';
import { loadProject } from '../../src/infra/project.js';
import { signerFor } from '../../src/infra/signing.js';

/**
 * A database writer's forgeries, as the audit hunt reproduced them: signatures stripped (they sit
 * beside the hash, so no hash changes) and events appended with their hashes and the head
 * recomputed. Only signatures checked against a start kept outside the database can tell.
 */

export function stripSignatures(root: string): void {
  tamper(root, (db) => db.prepare('UPDATE events SET signer = NULL, signature = NULL').run());
}

/** Appends unsigned copies of the newest event of `env`, each with `patch` applied, chained and headed. */
export function appendForged(root: string, ...patches: Array<Partial<EventRow>>): void {
  tamper(root, (db) => {
    db.exec('DROP TRIGGER IF EXISTS chain_head_update; DROP TRIGGER IF EXISTS chain_head_insert;');
    for (const patch of patches) {
      const newest = db.prepare('SELECT * FROM events ORDER BY seq DESC LIMIT 1').get() as EventRow;
      const model = (patch.env ? db.prepare('SELECT * FROM events WHERE env = ? ORDER BY seq DESC LIMIT 1').get(patch.env) : undefined) as EventRow | undefined;
      const row: EventRow = { ...(model ?? newest), signer: null, signature: null, ...patch, seq: newest.seq + 1, prev_hash: newest.hash } as EventRow;
      row.hash = computeEventHash(toEvent(row));
      const cols = ['seq', 'env', 'prompt_id', 'version', 'previous_version', 'action', 'actor', 'reason', 'detail', 'content_hash', 'signer', 'signature', 'at', 'prev_hash', 'hash'] as const;
      db.prepare(`INSERT INTO events (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(Object.fromEntries(cols.map((c) => [c, (row as unknown as Record<string, unknown>)[c] ?? null])));
      db.prepare('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1').run(row.seq, row.hash);
    }
  });
}

/**
 * Appends a deploy signed with the deployer key in `keys` through the registry's own append, as
 * promptctl writes one: what a forgery sits below once a release from before a check deployed over it.
 */
export function appendSignedDeploy(root: string, e: { env: string; promptId: string; version: string; contentHash: string }, keys: Record<string, string>): void {
  const sign = signerFor(loadProject(root).config.signing, keys, 'deployer');
  if (!sign) throw new Error('no deployer key to sign with');
  withProjectRegistry(root, (registry) => {
    registry.appendEvent({ ...e, previousVersion: null, action: 'deploy', actor: 'release@example.com', reason: null, sign });
  });
}

/**
 * A project whose log holds support-answer's two tested marks (#1, #2), its deploys of 1.0.0 and
 * 1.1.0 to staging (#3, #4) and of 1.0.0 to development (#5): #4 is an event in the middle.
 */
export async function deployedInStagingTwice(who: string[]): Promise<string> {
  const id = 'support-answer';
  const dir = makeProject();
  markTested(dir, `${id}@1.0.0`, `${id}@1.1.0`);
  for (const [v, env] of [['1.0.0', 'staging'], ['1.1.0', 'staging'], ['1.0.0', 'development']]) {
    expect((await runCliInProcess(['deploy', `${id}@${v}`, '--env', env!, ...who], { cwd: dir })).code).toBe(0);
  }
  return dir;
}
