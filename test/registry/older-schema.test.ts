import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/infra/registry/migrations.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import { onRegistryNotice } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, registryPath } from '../support/project.js';
import { fileSha256 as sha, makeTempDir, userVersion } from './harness.js';
import { systemClock } from '../../src/infra/clock.js';

/**
 * A reader never upgrades a registry written by an older promptctl: it reads it as it is, and
 * sees what the upgraded file would show (sqlite-older.ts). Only a writer upgrades, and says so.
 */

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());
afterAll(() => cleanupTempDirs());


/** A registry at schema `version` (the first `version` migrations), in WAL mode, with a version, an event, a run and a sample. */
function olderRegistry(version: number): string {
  const file = join(tmp.dir, `schema-${version}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const step of MIGRATIONS.slice(0, version)) db.exec(step);
  db.pragma(`user_version = ${version}`);
  db.prepare("INSERT INTO prompt_versions VALUES ('p', '1.0.0', 'h', '{}', 'd', 'a', '2026-01-01T00:00:00.000Z')").run();
  db.prepare("INSERT INTO events (seq, env, prompt_id, version, action, actor, at, prev_hash, hash) VALUES (1, 'staging', 'p', '1.0.0', 'deploy', 'alice', '2026-01-01T00:00:00.000Z', 'genesis', 'x')").run();
  db.prepare("INSERT INTO runs VALUES ('r1', 'i', 'k', 'p', '1.0.0', 'h', 'golden', 'golden', 'sh', 'm', 's', '0.1.0', 'finished', '2026-01-01T00:00:00.000Z', NULL, NULL)").run();
  for (const c of ['b', 'a']) db.prepare(`INSERT INTO samples (run_id, case_id, sample, verdict, output, reasons, latency_ms, tokens_in, tokens_out, cached) VALUES ('r1', '${c}', 0, 'pass', 'out ${c}', '[]', 5, 1, 1, 0)`).run();
  db.close(); // A clean close checkpoints the log into the file.
  return file;
}

describe('a reader of an older registry', () => {
  // Every schema since the first: READABLE_FROM is 1 (migrations.ts), and migrations-additive.test.ts holds it there.
  for (let version = 1; version < SCHEMA_VERSION; version++) {
    it(`reads schema ${version} as it is: what an upgrade would show, and not one byte written`, async () => {
      const file = olderRegistry(version);
      const before = sha(file);
      const reader = openSqliteRegistry({ path: file, readonly: true });
      try {
        expect((await reader.getVersion('p', '1.0.0'))?.contentHash).toBe('h');
        const [event] = await reader.listEvents({ promptId: 'p', env: 'staging' });
        expect(event).toMatchObject({ seq: 1, version: '1.0.0', actor: 'alice' });
        expect(event?.contentHash ?? null).toBeNull();
        // In the order recorded (rowid), with no exchange where the file had no such column.
        expect((await reader.getSamples('r1')).map((s) => [s.caseId, s.output, s.exchange ?? null])).toEqual([['b', 'out b', null], ['a', 'out a', null]]);
        expect(await reader.getCachedResponse('nothing')).toBeUndefined();
        expect((await reader.stats()).schemaVersion).toBe(version);
        await expect(reader.registerVersion({ promptId: 'p', version: '2.0.0', contentHash: 'h2', content: '{}', description: 'd', author: 'a' })).rejects.toThrow(/opened read-only/);
      } finally {
        await reader.close();
      }
      expect(userVersion(file)).toBe(version);
      expect(sha(file)).toBe(before);
    });
  }

  it('a writer upgrades it, and says so once: from which schema to which', async () => {
    const file = olderRegistry(2);
    const told: Array<[number, number]> = [];
    const onUpgrade = (from: number, to: number) => void told.push([from, to]);
    await openSqliteRegistry({ path: file, onUpgrade }).close();
    await openSqliteRegistry({ path: file, onUpgrade }).close();
    expect(told).toEqual([[2, SCHEMA_VERSION]]);
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
  });
});

describe("a project's writer on an older file", () => {
  it('says the upgrade to whoever listens (the CLI: stderr), and nothing when no one does (a library host)', async () => {
    const file = olderRegistry(2);
    const project = (path: string) => ({ root: tmp.dir, config: { registry: { path, schema: 'promptctl' } } }) as unknown as Parameters<typeof openProjectRegistry>[0];
    const heard: string[] = [];
    onRegistryNotice((m) => heard.push(m));
    try {
      await openProjectRegistry(project(file), { env: {}, clock: systemClock }).close();
    } finally {
      onRegistryNotice(undefined);
    }
    expect(heard).toEqual([expect.stringMatching(new RegExp(`upgraded the registry at .* from schema 2 to ${SCHEMA_VERSION}`))]);
    const unheard = olderRegistry(3);
    await openProjectRegistry(project(unheard), { env: {}, clock: systemClock }).close();
    expect(heard).toHaveLength(1);
    expect(userVersion(unheard)).toBe(SCHEMA_VERSION);
  });
});

describe('commands on a registry of the previous schema', () => {
  it('readers show it and leave it at its schema; `registry migrate` upgrades it and says from which', async () => {
    const dir = makeProject();
    expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir })).code).toBe(0);
    const file = registryPath(dir);
    const db = new Database(file);
    // What the previous schema held (migration 10 added the runs_by_recency index).
    db.exec('DROP INDEX runs_by_recency');
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    for (const args of [['status'], ['history']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(0);
    }
    expect((await runCliInProcess(['registry', 'info'], { cwd: dir })).stdout).toMatch(new RegExp(`schema version +${SCHEMA_VERSION - 1}\n`));
    expect(userVersion(file)).toBe(SCHEMA_VERSION - 1);
    const migrated = await runCliInProcess(['registry', 'migrate'], { cwd: dir });
    expect(migrated.stdout).toContain(`schema version ${SCHEMA_VERSION - 1} → ${SCHEMA_VERSION}`);
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
  });
});
