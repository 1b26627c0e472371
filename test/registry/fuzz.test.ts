import { closeSync, copyFileSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrng } from '../../src/sim/prng.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, registryPath } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/**
 * Fuzz: random pages of a registry are overwritten, 200 times with a fixed seed, half of them in a
 * registry left by a crash (its write-ahead log still there). Whatever the damage, no command hits a bug (exit 70),
 * and a registry that fails SQLite's quick_check is never written to: the write command
 * refuses (exit 3) and leaves the file as it was. In-process, on a small registry.
 */

const SEED = 20261203;
const TRIES = 200;
const ID = 'support-answer';
const PAGE = 4096;

let template: string;
beforeAll(async () => {
  template = makeProject();
  markTested(template, `${ID}@1.0.0`, `${ID}@1.1.0`);
  for (const env of ['development', 'staging']) {
    const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', env, '--actor', 'a@example.com', '--reason', 'r'], { cwd: template });
    expect(r.code, r.output).toBe(0);
  }
  // Leave the registry as a killed process does: its last writes only in the -wal.
  const file = registryPath(template);
  const db = new Database(file);
  db.pragma('wal_autocheckpoint = 0');
  db.prepare("INSERT INTO secrets (name, value, created_at) VALUES ('fuzz', 'v', '2000-01-01T00:00:00.000Z')").run();
  copyFileSync(file, `${file}.crashed`);
  copyFileSync(`${file}-wal`, `${file}.crashed-wal`);
  db.close();
  copyFileSync(`${file}.crashed`, file);
  copyFileSync(`${file}.crashed-wal`, `${file}-wal`);
});
afterAll(() => cleanupTempDirs());

/**
 * Damaged as a writer's check sees it: SQLite's quick_check (every page and index; only the full
 * integrity_check, which `audit verify` runs, also matches index entries against their rows).
 */
function quickCheckFails(file: string): boolean {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.pragma('quick_check') as Array<{ quick_check: string }>).some((r) => r.quick_check !== 'ok');
    } finally {
      db.close();
    }
  } catch {
    return true;
  }
}

const READERS = [['status'], ['history'], ['audit', 'verify'], ['get', ID, '--env', 'staging'], ['export', '--env', 'development']];

describe('fuzz: corrupt pages of a registry', () => {
  // Generous: 200 tries take about 10 s alone, much longer beside other test files on 2 cores.
  it(`${TRIES} tries (seed ${SEED}): no exit 70, and a damaged registry is never written to`, { timeout: 300_000 }, async () => {
    const random = createPrng(SEED);
    const pick = (n: number): number => Math.floor(random() * n);
    const pages = statSync(registryPath(template)).size / PAGE;
    const outcomes = { damaged: 0, refused: 0, written: 0 };
    for (let t = 0; t < TRIES; t++) {
      // A fresh copy each time: SQLite shares one index of the log per file within a process.
      const dir = makeProject({ from: template });
      const file = registryPath(dir);
      // Every other try a registry closed cleanly (no log left): no writer checks it, by design, so
      // there only "never exit 70" is asserted.
      const crashed = t % 2 === 0;
      if (!crashed) rmSync(`${file}-wal`);
      // 1 to 3 runs of random bytes, in the middle of random pages (past the 100-byte file header).
      const fd = openSync(file, 'r+');
      for (let k = 1 + pick(3); k > 0; k--) {
        const page = pick(pages);
        const offset = page * PAGE + 100 + pick(PAGE - 100 - 64);
        const junk = Buffer.from(Array.from({ length: 1 + pick(64) }, () => pick(256)));
        writeSync(fd, junk, 0, junk.length, offset);
      }
      closeSync(fd);
      const damaged = quickCheckFails(file);
      const before = readFileSync(file);
      const what = `try ${t} (seed ${SEED})`;
      for (const args of [READERS[pick(READERS.length)]!, READERS[pick(READERS.length)]!]) {
        const r = await runCliInProcess(args, { cwd: dir });
        expect(r.code, `${what}: ${args.join(' ')}\n${r.output}`).not.toBe(70);
        expect(r.stderr, `${what}: ${args.join(' ')}`).not.toMatch(/hit a bug/);
      }
      const w = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'development', '--actor', 'a@example.com', '--reason', 'r'], { cwd: dir });
      expect(w.code, `${what}: deploy\n${w.output}`).not.toBe(70);
      expect(w.stderr, `${what}: deploy`).not.toMatch(/hit a bug/);
      if (damaged && crashed) {
        outcomes.damaged++;
        expect(w.code, `${what}: deploy into a damaged registry\n${w.output}`).toBe(3);
        expect(readFileSync(file).equals(before), `${what}: the damaged registry was written to`).toBe(true);
        outcomes.refused++;
      } else if (w.code === 0) outcomes.written++;
    }
    // The seed must exercise both sides, or the test proves nothing.
    expect(outcomes.damaged).toBeGreaterThan(10);
    expect(outcomes.written).toBeGreaterThan(0);
  });
});
