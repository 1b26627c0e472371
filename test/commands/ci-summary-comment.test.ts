import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchOf, cliWith, commitAll, ciRepoForFile, readJUnit } from '../support/ci-repo.js';
import { writeProjectFile } from '../support/project.js';

/**
 * The example workflows post `ci --summary`'s file as a pull-request comment (`gh pr comment
 * --body-file`), and GitHub takes at most 65,536 characters in one. The file was cut only at the
 * step summary's 1 MiB, so a suite failing a few hundred cases gave a file the posting step could
 * not send, exactly when the pull request failed. It now fits a comment, saying how many cases it
 * left out and where they all are; the step summary keeps its own, larger, limit.
 */
const repo = ciRepoForFile();
const COMMENT_LIMIT = 65_536;
const ROWS = 300;

describe("ci --summary on a pull request whose suite fails hundreds of cases", () => {
  it('fits a comment, with the verdict and a note on the cases left out; the step summary lists more', async () => {
    const dir = branchOf(repo.base, 'many-failures');
    const words = Array.from({ length: 30 }, (_, j) => `word${j}`).join(' ');
    writeProjectFile(dir, 'data/many.csv', ['id,q', ...Array.from({ length: ROWS }, (_, i) => `r${i},Question ${i} ${words}`)].join('\n') + '\n');
    writeProjectFile(dir, 'evalsets/support-answer/many.yaml', [
      'prompt: support-answer', 'versions: ">=1.0.0"', 'kind: golden', 'threshold: 0.5',
      'cases_from:', '  file: data/many.csv', '  vars: { question: q }', '  expect:', '    - icontains: "zzz-never-said"', '',
    ].join('\n'));
    commitAll(dir, 'a suite every case of which fails');
    const step = path.join(dir, 'step.md');
    writeFileSync(step, '');
    const r = await cliWith(dir, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: step }, 'ci', '--base', 'main', '--summary', 's.md', '--junit', 'j.xml');
    expect(r.code, r.output).toBe(1);
    const comment = readFileSync(path.join(dir, 's.md'), 'utf8');
    expect([...comment].length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toMatch(/^## ❌ promptctl ci: a gate failed \(exit 1\)/);
    expect(comment).toMatch(/…and \d+ more not listed here, to fit a pull-request comment \(GitHub takes at most 65,536 characters\): every case is in the JUnit file and the HTML report/);
    const stepText = readFileSync(step, 'utf8');
    expect(stepText.length).toBeGreaterThan(comment.length);
    expect(stepText).not.toContain('to fit a pull-request comment');
    // Every case is where the note says: the JUnit file.
    expect(readJUnit(dir).flatMap((s) => s.testcase).filter((c) => c.failure !== undefined).length).toBeGreaterThanOrEqual(ROWS);
    expect(comment).toContain("and the job's step summary lists more.");
    // A job with no step summary (GitLab, or GitHub without the variable): the note names none.
    const alone = await cliWith(dir, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' }, 'ci', '--base', 'main', '--summary', 'alone.md');
    expect(alone.code, alone.output).toBe(1);
    const aloneText = readFileSync(path.join(dir, 'alone.md'), 'utf8');
    expect(aloneText).toMatch(/every case is in the JUnit file and the HTML report \(the `--html` artifact, or `promptctl report [^`]+`\)\./);
    expect(aloneText).not.toContain('step summary');
  });
});
