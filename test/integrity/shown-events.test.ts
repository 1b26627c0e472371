import { afterAll, describe, expect, it } from 'vitest';
import { computeEventHash } from '../../src/core/audit-chain.js';
import { toEvent, type EventRow } from '../../src/infra/registry/sqlite-rows.js';
import { runCliInProcess } from '../support/cli.js';
import { deployedInStagingTwice } from '../support/forge.js';
import { cleanupTempDirs } from '../support/project.js';
import { tamper } from '../support/registry-cli.js';

/**
 * status, get, export and history show a few events without verifying the whole log: each shown
 * event is checked against its own hash, its successor's link and the chain head, so a forged
 * middle event is never shown without a warning, and never served: get and export refuse it.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

/** #1, #2: the tested marks. #3, #4: staging. #5: development, so #4 is in the middle. */
const project = (): Promise<string> => deployedInStagingTwice(WHO);

function forgeVersion(dir: string, opts: { recomputeHash: boolean }): void {
  tamper(dir, (db) => {
    db.prepare("UPDATE events SET version = '1.0.0' WHERE seq = 4").run();
    if (!opts.recomputeHash) return;
    const row = db.prepare('SELECT * FROM events WHERE seq = 4').get() as EventRow;
    db.prepare('UPDATE events SET hash = ? WHERE seq = 4').run(computeEventHash(toEvent(row)));
  });
}

describe.each([
  ['the forged event keeps its old hash', false, /event #4 does not match its own hash: it was edited/],
  ['the forged event has its hash recomputed', true, /event #4 is not the event #5 was chained onto: it was rewritten/],
])('a middle event edited by hand (%s)', (_name, recomputeHash, problem) => {
  it('status and history still answer, and warn naming the event; get and export refuse the swapped version', async () => {
    const dir = await project();
    const clean = await runCliInProcess(['status'], { cwd: dir });
    expect(clean.stderr).toBe('');
    expect(JSON.parse((await runCliInProcess(['status', '--json'], { cwd: dir })).stdout)).not.toHaveProperty('warnings');
    forgeVersion(dir, { recomputeHash });
    for (const args of [['status'], ['history', ID]]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.output}`).toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(problem);
      expect(r.stderr).toContain('promptctl audit verify');
      // A machine reading --json is told as well, in the data itself.
      const json = await runCliInProcess([...args, '--json'], { cwd: dir });
      expect(json.code, json.output).toBe(0);
      expect((JSON.parse(json.stdout) as { warnings?: string[] }).warnings, `${args.join(' ')} --json`).toEqual([expect.stringMatching(problem)]);
    }
    // The event names the content it deployed (1.1.0's), which is not the forged version's: what
    // was edited is the event, so it is a record that does not verify, not a row edited under it.
    for (const args of [['get', ID, '--env', 'staging'], ['export', '--env', 'staging']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, r.output).toBe(3);
      expect(r.stderr).toMatch(/support-answer@1\.0\.0 in staging does not verify: it may be forged/);
      expect(r.stderr).toMatch(problem);
    }
    // What is not forged is shown without a word.
    const dev = await runCliInProcess(['get', ID, '--env', 'development'], { cwd: dir });
    expect(dev.stderr).toBe('');
  });
});

describe('a middle event whose actor was rewritten, hash recomputed', () => {
  it('get and export refuse it (exit 3) though its content is intact; status and history warn', async () => {
    const dir = await project();
    tamper(dir, (db) => {
      db.prepare("UPDATE events SET actor = 'mallory@example.com' WHERE seq = 4").run();
      const row = db.prepare('SELECT * FROM events WHERE seq = 4').get() as EventRow;
      db.prepare('UPDATE events SET hash = ? WHERE seq = 4').run(computeEventHash(toEvent(row)));
    });
    for (const args of [['get', ID, '--env', 'staging'], ['export', '--env', 'staging']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, r.output).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/the registry's deploy record of support-answer@1\.1\.0 in staging does not verify: it may be forged/);
      expect(r.stderr).toMatch(/event #4 is not the event #5 was chained onto: it was rewritten/);
    }
    const status = await runCliInProcess(['status', '--json'], { cwd: dir });
    expect(status.code, status.output).toBe(0);
    expect(JSON.parse(status.stdout).warnings).toEqual([expect.stringMatching(/event #4 is not the event #5 was chained onto/)]);
  });
});

describe('a middle event deleted that no command shows (staging\'s first deploy, #3)', () => {
  it('status and history warn that the log lacks an event, in text and --json, and still answer', async () => {
    const dir = await project();
    tamper(dir, (db) => db.prepare('DELETE FROM events WHERE seq = 3').run());
    const problem = /1 event of the 5 the chain head records is missing from the log: events were deleted/;
    for (const args of [['status'], ['history'], ['history', '--env', 'staging']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.output}`).toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(problem);
      expect(r.stderr).toContain('promptctl audit verify');
      const json = await runCliInProcess([...args, '--json'], { cwd: dir });
      expect((JSON.parse(json.stdout) as { warnings?: string[] }).warnings, `${args.join(' ')} --json`).toEqual([expect.stringMatching(problem)]);
    }
  });
});

describe('an event added by hand past the chain head', () => {
  it('status and history warn once, as added by hand, not as something deleted', async () => {
    const dir = await project();
    // A copy of #5 (development) as #6, its hash recomputed, the head left at #5.
    tamper(dir, (db) => {
      db.exec('DROP TRIGGER IF EXISTS chain_head_update; DROP TRIGGER IF EXISTS chain_head_insert;');
      const newest = db.prepare('SELECT * FROM events ORDER BY seq DESC LIMIT 1').get() as EventRow;
      const row = { ...newest, seq: newest.seq + 1, prev_hash: newest.hash, signer: null, signature: null, idempotency_key: null } as EventRow;
      row.hash = computeEventHash(toEvent(row));
      const cols = Object.keys(row);
      db.prepare(`INSERT INTO events (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
    });
    for (const args of [['status', '--json'], ['history', ID, '--json']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, r.output).toBe(0);
      const warnings = (JSON.parse(r.stdout) as { warnings?: string[] }).warnings ?? [];
      expect(warnings.filter((w) => /added by hand/.test(w)), `${args.join(' ')}: ${warnings.join(' | ')}`).toHaveLength(1);
      expect(warnings.join(' ')).not.toMatch(/leave out what was deleted/);
    }
  });
});
