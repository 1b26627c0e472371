import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/core/audit-chain.js';
import { EVENT_QUERIES, LATEST_EVENTS } from '../../src/infra/registry/sqlite-events.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { NewEvent, Registry } from '../../src/infra/registry/types.js';
import { makeTempDir } from './harness.js';

let tmp: ReturnType<typeof makeTempDir>;
let path: string;
let reg: Registry;
let tick = 0;
// A clock that moves, so every event has its own time.
const clock = { date: () => new Date(Date.UTC(2025, 0, 1) + tick++ * 1000) };

beforeEach(async () => {
  tmp = makeTempDir();
  path = join(tmp.dir, 'registry.db');
  reg = openSqliteRegistry({ path, clock });
});
afterEach(async () => {
  await reg.close();
  tmp.cleanup();
});

const event = (version: string, over: Partial<NewEvent> = {}): NewEvent => ({
  env: 'production',
  promptId: 'support',
  version,
  previousVersion: null,
  action: 'deploy',
  actor: 'ana',
  reason: null,
  ...over,
});

async function appendFive(): Promise<void> {
  for (let i = 1; i <= 5; i++) await reg.appendEvent(event(`1.${i}.0`, { previousVersion: i > 1 ? `1.${i - 1}.0` : null }));
}

/** A raw connection, as someone editing the file by hand would use. */
function byHand<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('audit events', () => {
  it('appends a hash chain and lists events back exactly', async () => {
    const first = await reg.appendEvent(event('1.0.0', { detail: { skipped: ['tested'], n: 1, nested: { b: 2, a: [1] } }, reason: 'first' }));
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2025-01-01T00:00:00.000Z' });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const second = await reg.appendEvent(event('1.1.0', { env: 'staging', action: 'override', previousVersion: '1.0.0' }));
    expect(second.prevHash).toBe(first.hash);
    expect(second).not.toHaveProperty('detail');
    expect(await reg.listEvents()).toEqual([first, second]);
    expect(await reg.verifyChain()).toEqual({ ok: true, events: 2 });
  });

  it('filters by prompt and environment; limit keeps the newest, in seq order', async () => {
    await appendFive();
    await reg.appendEvent(event('2.0.0', { env: 'staging' }));
    await reg.appendEvent(event('0.1.0', { promptId: 'other' }));
    expect((await reg.listEvents({ promptId: 'support', env: 'production' })).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await reg.listEvents({ promptId: 'support', env: 'production', limit: 2 })).map((e) => e.seq)).toEqual([4, 5]);
    expect((await reg.listEvents({ promptId: 'support' })).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await reg.listEvents({ env: 'production' })).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 7]);
    expect((await reg.listEvents({ limit: 1 })).map((e) => e.seq)).toEqual([7]);
    expect(await reg.listEvents({ limit: 0 })).toEqual([]);
  });

  it('triggers refuse UPDATE and DELETE of events, and any rewind of the chain head', async () => {
    await appendFive();
    byHand((db) => {
      expect(() => db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = 2").run()).toThrow(/append-only: UPDATE/);
      expect(() => db.prepare('DELETE FROM events WHERE seq = 5').run()).toThrow(/append-only: DELETE/);
      expect(() => db.prepare('INSERT INTO events SELECT * FROM events WHERE seq = 2').run()).toThrow();
      expect(() => db.prepare('UPDATE chain_head SET seq = 4, hash = (SELECT hash FROM events WHERE seq = 4)').run()).toThrow(/only moves forward/);
      expect(() => db.prepare('DELETE FROM chain_head').run()).toThrow(/cannot be deleted/);
    });
    expect(await reg.verifyChain()).toEqual({ ok: true, events: 5 });
  });

  it('verify names a row edited by hand with the trigger dropped', async () => {
    await appendFive();
    byHand((db) => {
      db.exec('DROP TRIGGER events_no_update');
      db.prepare("UPDATE events SET actor = 'mallory' WHERE seq = 3").run();
    });
    const verdict = await reg.verifyChain();
    expect(verdict.ok).toBe(false);
    expect(verdict.broken).toEqual({ seq: 3, problem: expect.stringMatching(/edited/) });
  });

  it('verify names the row after one deleted in the middle', async () => {
    await appendFive();
    byHand((db) => {
      db.exec('DROP TRIGGER events_no_delete');
      db.prepare('DELETE FROM events WHERE seq = 3').run();
    });
    expect((await reg.verifyChain()).broken).toEqual({ seq: 4, problem: expect.stringMatching(/event 3 is missing/) });
  });

  it('verify detects the last event deleted, and later appends keep the gap visible', async () => {
    await appendFive();
    byHand((db) => {
      db.exec('DROP TRIGGER events_no_delete');
      db.prepare('DELETE FROM events WHERE seq = 5').run();
    });
    expect(await reg.verifyChain()).toEqual({ ok: false, events: 4, broken: { seq: 5, problem: expect.stringMatching(/event 5 is deleted from the end/) } });
    // Deploys keep working (availability), but the deletion stays on record.
    const next = await reg.appendEvent(event('1.6.0'));
    expect(next.seq).toBe(6);
    expect((await reg.verifyChain()).broken).toEqual({ seq: 6, problem: expect.stringMatching(/event 5 is missing/) });
  });

  it('refuses to append once the chain head is gone (with the newest events): the head is never rebuilt', async () => {
    await appendFive();
    byHand((db) => {
      db.exec('DROP TRIGGER events_no_delete');
      db.exec('DROP TRIGGER chain_head_no_delete');
      db.prepare('DELETE FROM events WHERE seq >= 4').run();
      db.prepare('DELETE FROM chain_head').run();
    });
    await expect(reg.appendEvent(event('1.6.0'))).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/chain head record is missing although events up to #3 exist/) });
    // Nothing was written, and verify still names the break.
    expect((await reg.listEvents()).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await reg.verifyChain()).broken?.problem).toMatch(/chain head record is missing although 3 events exist/);
  });

  it('verify detects the whole log emptied', async () => {
    await appendFive();
    byHand((db) => {
      db.exec('DROP TRIGGER events_no_delete');
      db.prepare('DELETE FROM events').run();
    });
    expect((await reg.verifyChain()).broken?.problem).toMatch(/events 1–5 are deleted from the end/);
  });
});

describe('scale', () => {
  it('answers with 10,000 versions and 50,000 events, using indexes', { timeout: 300_000 }, async () => {
    const prompts = Array.from({ length: 100 }, (_, i) => `prompt-${i}`);
    const envs = ['staging', 'production'];
    await reg.transaction(async (tx) => {
      for (const promptId of prompts) {
        for (let v = 0; v < 100; v++) {
          await tx.registerVersion({ promptId, version: `1.${v}.0`, contentHash: `h${v}`, content: '{}', description: '', author: 'a' });
        }
      }
      for (let i = 0; i < 50_000; i++) {
        const promptId = prompts[i % prompts.length]!;
        await tx.appendEvent(event(`1.${i % 100}.0`, { promptId, env: envs[Math.floor(i / prompts.length) % 2]! }));
      }
    });

    // Speed is for `npm run bench`; here, that the answers are right and the queries use indexes.
    for (let i = 0; i < 3; i++) {
      expect(await reg.listEvents({ promptId: 'prompt-7', env: 'production' })).toHaveLength(250);
      expect(await reg.listEvents({ promptId: 'prompt-7', limit: 20 })).toHaveLength(20);
      expect(await reg.getVersion('prompt-7', '1.50.0')).toBeDefined();
    }
    expect(await reg.listPromptIds()).toHaveLength(100);
    expect(await reg.verifyChain()).toEqual({ ok: true, events: 50_000 });

    byHand((db) => {
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sql.split('?').slice(1).map(() => 'x')) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
      expect(plan(EVENT_QUERIES.byPromptEnv)).toMatch(/USING INDEX events_by_prompt_env/);
      expect(plan(EVENT_QUERIES.byPrompt)).toMatch(/USING INDEX events_by_prompt_env/);
      expect(plan(EVENT_QUERIES.byEnv)).toMatch(/USING INDEX events_by_env/);
      // status's newest event per pair: an index search per pair, then the rows by seq.
      expect(plan(LATEST_EVENTS)).toMatch(/SEARCH events USING INTEGER PRIMARY KEY.*SEARCH events USING COVERING INDEX events_by_prompt_env \(prompt_id=\? AND env=\?\)/);
      for (const q of [EVENT_QUERIES.byPromptEnvVersion, EVENT_QUERIES.byPromptVersion, EVENT_QUERIES.byPromptVersionAllEnvs]) expect(plan(q)).toMatch(/USING INDEX events_by_prompt_env/);
    });
  });
});
