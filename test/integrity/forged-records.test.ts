import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { addFinishedRun, eventCount, markTested, tamper } from '../support/registry-cli.js';

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
