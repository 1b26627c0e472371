import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { addFinishedRun, eventCount, markTested, tamper, withProjectRegistry } from '../support/registry-cli.js';

function contentHashOf(dir: string, version: string): string {
  return withProjectRegistry(dir, (_r, project) => project.prompts.find((p) => p.id === ID && p.version === version)!.hash);
}

/**
 * Someone with write access to the registry file forges what a gate trusts. The gate must not be
 * talked round by a row it cannot check: it counts runs from their samples, and takes a tested
 * mark only from the chained audit log.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

async function deployStaging(dir: string, version: string) {
  return runCliInProcess(['deploy', `${ID}@${version}`, '--env', 'staging', ...WHO], { cwd: dir });
}

describe('a forged run summary', () => {
  it('does not pass a gate: the gate counts the run from its samples', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    // The newest golden run failed every case.
    const runId = addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 0 });
    expect((await deployStaging(dir, '1.0.0')).code).toBe(1);
    tamper(dir, (db) => {
      const row = db.prepare('SELECT summary FROM runs WHERE id = ?').get(runId) as { summary: string };
      const forged = { ...JSON.parse(row.summary), passed: 4, failed: 0, passRate: 1, verdict: 'passed' };
      db.prepare('UPDATE runs SET summary = ? WHERE id = ?').run(JSON.stringify(forged), runId);
    });
    const r = await deployStaging(dir, '1.0.0');
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/'golden' failed/);
    expect(eventCount(dir)).toBe(0);
  });
});

describe('a forged tested mark', () => {
  it.each(['override', 'run'])('a %s mark inserted into tested_marks counts for nothing: marks are chained events', async (source) => {
    const dir = makeProject();
    // 1.0.0 failed its suite at 0% and was never marked tested.
    for (const suite of ['golden', 'adversarial']) addFinishedRun(dir, `${ID}@1.0.0`, { suite, passRate: 0 });
    const refused = await deployStaging(dir, '1.0.0');
    expect(refused.code).toBe(1);
    const hash = contentHashOf(dir, '1.0.0');
    tamper(dir, (db) =>
      db
        .prepare('INSERT INTO tested_marks (prompt_id, version, content_hash, model, source, suites, invocation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)')
        .run(ID, '1.0.0', hash, 'sim-model', source, '[]', '2026-01-01T00:00:00.000Z'),
    );
    const r = await deployStaging(dir, '1.0.0');
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/1\.0\.0 is not tested on sim-model/);
    expect(eventCount(dir)).toBe(0);
  });

  it.each(['override', 'run'])('a %s mark inserted beside passing runs does not make status call the deployed version tested', async (source) => {
    // status says "tested" only of an active version, and a failed run alone makes it untested: so
    // passing runs, and 1.0.0 active in development (no mark required), where only the mark is missing.
    const dir = makeProject();
    for (const suite of ['golden', 'adversarial']) addFinishedRun(dir, `${ID}@1.0.0`, { suite, passRate: 1 });
    expect((await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO], { cwd: dir })).code).toBe(0);
    tamper(dir, (db) =>
      db
        .prepare('INSERT INTO tested_marks (prompt_id, version, content_hash, model, source, suites, invocation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)')
        .run(ID, '1.0.0', contentHashOf(dir, '1.0.0'), 'sim-model', source, '[]', '2026-01-01T00:00:00.000Z'),
    );
    const status = await runCliInProcess(['status', '--json'], { cwd: dir });
    expect(JSON.parse(status.stdout).rows).toContainEqual(expect.objectContaining({ env: 'development', version: '1.0.0', tested: false }));
  });
});

describe('an edited sample', () => {
  it('of a run a tested mark rests on is reported by audit verify', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    expect((await deployStaging(dir, '1.0.0')).code).toBe(0);
    expect((await runCliInProcess(['audit', 'verify'], { cwd: dir })).code).toBe(0);
    tamper(dir, (db) => db.prepare("UPDATE samples SET verdict = 'fail' WHERE rowid = (SELECT min(rowid) FROM samples)").run());
    const r = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/the samples of run \w+ that its tested mark rests on were changed, added or deleted/);
  });

  it.each([
    ['answer', "output = 'A better answer than the model gave.'"],
    ["scorers' reasons", `reasons = '["all good"]'`],
    ['error', "error = 'looked fine'"],
  ])("of a marked run, its %s alone rewritten (what reports and compare show), is reported by audit verify", async (_, set) => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    expect((await deployStaging(dir, '1.0.0')).code).toBe(0);
    tamper(dir, (db) => db.prepare(`UPDATE samples SET ${set} WHERE rowid = (SELECT min(rowid) FROM samples)`).run());
    const r = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/the outputs of run \w+ that its tested mark rests on \(the answers, reasons or errors reports show\) were changed after the mark was earned/);
  });
});
