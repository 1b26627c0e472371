import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * `lint.untrusted_variables` took any strings: `[question, question, "", "1bad"]` linted with 0
 * problems. Names follow the rule a version's variables do, each is listed once, and a name no
 * version declares is warned of.
 */

afterAll(() => cleanupTempDirs());

function withList(list: string): { dir: string; line: number } {
  const dir = makeProject();
  const rc = path.join(dir, '.promptrc.yaml');
  const before = readFileSync(rc, 'utf8');
  const text = `${before.endsWith('\n') ? before : `${before}\n`}lint:\n  untrusted_variables: ${list}\n`;
  writeProjectFile(dir, '.promptrc.yaml', text);
  return { dir, line: text.split('\n').findIndex((l) => l.startsWith('  untrusted_variables:')) + 1 };
}

describe('lint.untrusted_variables', () => {
  it('refuses an invalid name and a name listed twice (exit 2), naming file, line and field', async () => {
    const { dir, line } = withList('[question, question, "", "1bad"]');
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(`.promptrc.yaml:${line}:35 lint.untrusted_variables.1: "question" is already listed (lint.untrusted_variables.0): list each variable once`);
    expect(r.output).toContain(`.promptrc.yaml:${line}:45 lint.untrusted_variables.2: must be an identifier such as user_question`);
    expect(r.output).toContain(`.promptrc.yaml:${line}:49 lint.untrusted_variables.3: must be an identifier such as user_question`);
  });

  it('warns of a name no version declares, at its entry', async () => {
    const { dir, line } = withList('[question, questoin]');
    const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const problems = (JSON.parse(r.stdout).problems as Array<Record<string, unknown>>).filter((p) => p.file === '.promptrc.yaml');
    expect(problems).toEqual([
      { file: '.promptrc.yaml', line, col: 35, field: 'lint.untrusted_variables.1', severity: 'warning', rule: 'config/unknown-untrusted-variable', message: '"questoin" is not a variable of any prompt version: the injection rules watch nothing under this name; check the spelling, or remove it' },
    ]);
  });
});
