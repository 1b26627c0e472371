import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliWith, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { runCliInProcess } from '../support/cli.js';
import { markTested, tamper } from '../support/registry-cli.js';

/**
 * ci prints the audit log's head for CI to keep (audit verify --since), by `audit head`'s rule: a
 * log that does not verify gets no head, and ci says why instead (text, summary, annotation).
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';

/** A project whose staging deploy (event #3 of 4) was edited by hand, on a branch that changes no prompt. */
async function branchWithBrokenLog(): Promise<string> {
  const dir = makeProject();
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  for (const env of ['staging', 'production']) {
    const r = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', env, '--actor', 'alice@example.com', '--reason', 'r'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
  }
  tamper(dir, (db) => db.prepare("UPDATE events SET actor = 'mallory@example.com', reason = 'forged' WHERE action = 'deploy' AND env = 'staging'").run());
  initRepo(dir, 'base');
  git(dir, 'checkout', '-q', '-b', 'docs');
  writeProjectFile(dir, 'README.md', '# Support prompts\n');
  commitAll(dir, 'docs');
  return dir;
}

describe('ci and an audit log that does not verify', () => {
  it('gives no head to keep: a warning in its lines, its summary and a GitHub annotation; the verdict stands', async () => {
    const dir = await branchWithBrokenLog();
    const head = await runCliInProcess(['audit', 'head'], { cwd: dir });
    expect(head.code, head.output).toBe(3);
    const r = await cliWith(dir, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: undefined }, 'ci', '--base', 'main', '--summary', 's.md');
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toMatch(/audit head: \d+:/);
    expect(r.stdout).toMatch(/^warning: no head anchored: the audit log does not verify at event #3 \(event 3: stored hash does not match its content[^)]*\); run `promptctl audit verify`/m);
    expect(r.stdout).toMatch(/^::warning title=promptctl ci%3A audit log::no head anchored: the audit log does not verify at event #3/m);
    const summary = readFileSync(path.join(dir, 's.md'), 'utf8');
    expect(summary).not.toMatch(/Audit log head/);
    expect(summary).toMatch(/> ⚠️ no head anchored: the audit log does not verify at event #3 \(event 3: stored hash does not match its content/);
    const json = await cliWith(dir, {}, 'ci', '--base', 'main', '--json');
    const result = JSON.parse(json.stdout);
    expect(result.auditHead).toBeUndefined();
    expect(result.auditUnverified.message).toBe('no head anchored: the audit log does not verify at event #3');
  });

  it('a log that verifies still gets its head, as `audit head` prints it', async () => {
    const dir = await branchWithBrokenLog();
    tamper(dir, (db) => db.prepare("UPDATE events SET actor = 'alice@example.com', reason = 'r' WHERE action = 'deploy' AND env = 'staging'").run());
    const head = await runCliInProcess(['audit', 'head'], { cwd: dir });
    expect(head.code, head.output).toBe(0);
    const r = await cliWith(dir, {}, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`audit head: ${head.stdout.trim()} (keep it; \`promptctl audit verify --since ${head.stdout.trim()}\` checks the log still extends it)`);
  });
});
