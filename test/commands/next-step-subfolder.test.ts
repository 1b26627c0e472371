import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * `new` and `redteam generate` run in a folder below the project root end with a `promptctl lint`
 * that works there: lint takes paths from the current folder. Before, the hint named the file from
 * the project root, and lint run as shown stopped with "no such file or folder" (exit 2).
 */

afterAll(() => cleanupTempDirs());

/** The path inside the `promptctl lint ...` of the last line. */
const lintArg = (stdout: string): string => /`promptctl lint ([^`]+)`/.exec(stdout.trim().split('\n').at(-1)!)![1]!;

describe('the lint step of new and redteam generate, from a sub-folder', () => {
  it('new in prompts/<id> names the file from there, and that lint passes', async () => {
    const dir = makeProject({ prefix: 'promptctl-next-sub-' });
    const cwd = path.join(dir, 'prompts', 'support-answer');
    const r = await runCliInProcess(['new', 'support-answer'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('created prompts/support-answer/1.1.1.yaml from 1.1.0');
    expect(lintArg(r.stdout)).toBe('1.1.1.yaml');
    expect((await runCliInProcess(['lint', lintArg(r.stdout)], { cwd })).code).toBe(0);
    const json = await runCliInProcess(['new', 'support-answer', '--json'], { cwd });
    expect(JSON.parse(json.stdout)).toMatchObject({ file: 'prompts/support-answer/1.1.2.yaml', fromCwd: '1.1.2.yaml' });
  });

  it('redteam generate in evalsets/ names the suite from there; from the root, as before', async () => {
    const dir = makeProject({ prefix: 'promptctl-next-sub-' });
    const cwd = path.join(dir, 'evalsets');
    const r = await runCliInProcess(['redteam', 'generate', 'support-answer'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(lintArg(r.stdout)).toBe('support-answer/redteam.yaml');
    expect((await runCliInProcess(['lint', lintArg(r.stdout)], { cwd })).code).toBe(0);
    const root = await runCliInProcess(['redteam', 'generate', 'support-answer', '--name', 'more'], { cwd: dir });
    expect(lintArg(root.stdout)).toBe('evalsets/support-answer/more.yaml');
    const rootNew = await runCliInProcess(['new', 'support-answer', '--json'], { cwd: dir });
    expect(JSON.parse(rootNew.stdout)).not.toHaveProperty('fromCwd');
  });
});
