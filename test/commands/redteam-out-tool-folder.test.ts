import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * `redteam generate --out` refuses a cases file in .promptctl/ (the registry's folder, git-ignored)
 * or .git/, as lint refuses a `cases_from` file there. Before, it wrote both files and exited 0,
 * leaving a suite that failed lint (exit 2) and whose cases were never committed.
 */

afterAll(() => cleanupTempDirs());

describe('redteam generate --out in a tool folder', () => {
  it.each([
    ['.promptctl/redteam.jsonl', '.promptctl'],
    ['.git/redteam.jsonl', '.git'],
  ])('--out %s is exit 2 naming the folder, writing nothing', async (out, folder) => {
    const dir = makeProject({ prefix: 'promptctl-redteam-out-' });
    const r = await runCliInProcess(['redteam', 'generate', 'support-answer', '--out', out], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: --out ${out} is in ${folder}/`);
    expect(r.stderr).toContain('hint: choose a path such as data/redteam.jsonl.');
    expect(existsSync(path.join(dir, out))).toBe(false);
    expect(existsSync(path.join(dir, 'evalsets', 'support-answer', 'redteam.yaml'))).toBe(false);
  });
});
