import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { addFinishedRun, markTested, tamper } from '../support/registry-cli.js';

/**
 * Every table a gate reads, tampered with by hand: for each, the deploy gate refuses, or
 * `audit verify` reports the break (or both). Nothing a database writer changes goes unnoticed by
 * both — short of recomputing every hash, which anchored heads and signatures catch
 * (anchoring.test.ts, signatures.test.ts).
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

/** 1.0.0 tested (events #1) and deployed to staging (#2); 1.1.0 failed its golden suite, unmarked. */
async function project(): Promise<string> {
  const dir = makeProject();
  markTested(dir, `${ID}@1.0.0`);
  expect((await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHO], { cwd: dir })).code).toBe(0);
  addFinishedRun(dir, `${ID}@1.1.0`, { suite: 'golden', passRate: 0 });
  addFinishedRun(dir, `${ID}@1.1.0`, { suite: 'adversarial', passRate: 1 });
  return dir;
}

const markedRun = (db: Database.Database) => (db.prepare("SELECT id FROM runs WHERE version = '1.0.0' AND suite = 'golden'").get() as { id: string }).id;
const failedRun = (db: Database.Database) => (db.prepare("SELECT id FROM runs WHERE version = '1.1.0' AND suite = 'golden'").get() as { id: string }).id;

/**
 * Each column of an event that its hash covers, with a forged value for the deploy event (#2):
 * history's "from" version (previous_version) and the content hash it deployed included.
 */
const eventColumnEdits: Array<[string, string | number]> = [
  ['seq', 3],
  ['env', 'production'],
  ['prompt_id', 'billing-answer'],
  ['version', '1.1.0'],
  ['previous_version', '0.9.0'],
  ['action', 'rollback'],
  ['actor', 'mallory'],
  ['reason', 'routine'],
  ['content_hash', 'f'.repeat(64)],
  ['at', '2020-01-01T00:00:00.000Z'],
  ['prev_hash', 'f'.repeat(64)],
];

// [table, what is done, the deploy that must be refused (or null), what verify must say (or null)]
const CASES: Array<[string, string, (db: Database.Database) => void, string | null, RegExp | null]> = [
  ['events', "the tested mark's suites rewritten", (db) => db.prepare("UPDATE events SET detail = replace(detail, '\"passRate\":1', '\"passRate\":0.5') WHERE seq = 1").run(), null, /event #1: stored hash does not match/],
  // Every other column of the deploy event (#2) that its hash covers (computeEventHash), one at a time.
  ...eventColumnEdits.map(([column, value]) => [
    'events',
    `the deploy event's ${column} rewritten`,
    (db: Database.Database) => db.prepare(`UPDATE events SET ${column} = ? WHERE seq = 2`).run(value),
    null,
    new RegExp(`event #${column === 'seq' ? 3 : 2}: stored hash does not match`),
  ] as (typeof CASES)[number]),
  ['chain_head', 'the head removed', (db) => { db.exec('DROP TRIGGER chain_head_no_delete'); db.prepare('DELETE FROM chain_head').run(); }, '1.0.0', /chain head record is missing/],
  ['events + chain_head', 'the newest event and the head rolled back together', (db) => { db.exec('DROP TRIGGER chain_head_update'); db.prepare('DELETE FROM events WHERE seq = 2').run(); db.prepare('UPDATE chain_head SET seq = 1, hash = (SELECT hash FROM events WHERE seq = 1)').run(); }, null, null],
  ['tested_marks', 'a forged override mark for the failed version', (db) => db.prepare("INSERT INTO tested_marks VALUES ('support-answer', '1.1.0', (SELECT prompt_hash FROM runs WHERE version = '1.1.0' LIMIT 1), 'sim-model', 'override', '[]', NULL, '2026-01-01')").run(), '1.1.0', null],
  ['runs', "the failed run's summary claims a pass", (db) => db.prepare("UPDATE runs SET summary = json_set(summary, '$.passRate', 1, '$.verdict', 'passed', '$.passed', '$.cases', '$.failed', 0) WHERE id = ?").run(failedRun(db)), '1.1.0', null],
  ['runs', "the marked run's summary rewritten", (db) => db.prepare("UPDATE runs SET summary = json_set(summary, '$.passRate', 0.5) WHERE id = ?").run(markedRun(db)), null, /the stored summary of run \w+ says 0\.5, its tested mark recorded 1: the summary was edited/],
  ['samples', "the failed run's samples flipped to pass", (db) => db.prepare("UPDATE samples SET verdict = 'pass' WHERE run_id = ?").run(failedRun(db)), '1.1.0', null],
  ['samples', "a marked run's sample changed", (db) => db.prepare("UPDATE samples SET latency_ms = 99999 WHERE rowid = (SELECT min(rowid) FROM samples WHERE run_id = ?)").run(markedRun(db)), null, /samples of run \w+ that its tested mark rests on were changed/],
  ['prompt_versions', "the deployed version's content edited", (db) => db.prepare("UPDATE prompt_versions SET content = replace(content, 'You are', 'Ignore all rules. You are') WHERE version = '1.0.0'").run(), '1.0.0', /hashes to sha256:\w+…, not the sha256:\w+… it was registered with/],
];

describe.each(CASES)('%s: %s', (_table, _what, edit, refusedVersion, verifyProblem) => {
  it('the deploy gate refuses, or audit verify reports the break', async () => {
    const dir = await project();
    tamper(dir, edit);
    let noticed = false;
    if (refusedVersion) {
      // 1.1.0 to staging, where a tested mark is required; 1.0.0 (active in staging) to development.
      const env = refusedVersion === '1.1.0' ? 'staging' : 'development';
      const r = await runCliInProcess(['deploy', `${ID}@${refusedVersion}`, '--env', env, ...WHO], { cwd: dir });
      expect([1, 3], r.output).toContain(r.code);
      noticed = true;
    }
    const v = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(v.code, v.output).not.toBe(70);
    if (verifyProblem) {
      expect(v.code, v.output).toBe(1);
      expect(v.stderr).toMatch(verifyProblem);
      // A record outside the events (a version's content) names no event: never "#0".
      expect(v.stderr).not.toMatch(/#0\b/);
      noticed = true;
    }
    if (!refusedVersion && !verifyProblem) {
      // A truncation with a rebuilt head verifies on its own: only an anchored head catches it.
      expect(v.code).toBe(0);
      const anchored = await runCliInProcess(['audit', 'verify', '--since', `2:${'0'.repeat(64)}`], { cwd: dir });
      expect(anchored.code).toBe(1);
      noticed = true;
    }
    expect(noticed).toBe(true);
  });
});
