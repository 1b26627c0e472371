import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A template problem was placed at the `content:` key of its message (line 18 of the version below),
 * whatever line of the block scalar held the placeholder: an editor, and CI's annotations, jumped to
 * the wrong line. It is now at the placeholder's own line and column, in lint's text and JSON and in
 * render's and eval's refusals alike.
 */

afterAll(() => cleanupTempDirs());

const V120 = 'prompts/support-answer/1.2.0.yaml';
const LINE = '      - Contact {{ contact_email }} for help {{#if x}}.';

/** examples/quickstart with 1.2.0: 1.1.0 whose system message gains LINE as its line 25. */
function project(): string {
  const dir = makeProject();
  const lines = readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.2.0').split('\n');
  expect(lines[17]).toBe('    content: |');
  lines.splice(24, 0, LINE);
  writeProjectFile(dir, V120, lines.join('\n'));
  return dir;
}

const colOf = (needle: string) => LINE.indexOf(needle) + 1;

describe('a template problem inside a block scalar', () => {
  it('is placed at the placeholder in lint --json and lint text', async () => {
    const dir = project();
    const json = await runCliInProcess(['lint', '--json'], { cwd: dir });
    const mine = (JSON.parse(json.stdout).problems as Array<{ file: string; line: number; col: number; rule: string }>).filter((p) => p.file === V120 && p.rule.startsWith('template/'));
    expect(mine.map((p) => `${p.rule} ${p.line}:${p.col}`).sort()).toEqual([`template/syntax 25:${colOf('{{#if')}`, `template/undeclared-variable 25:${colOf('{{ contact')}`]);
    const text = await runCliInProcess(['lint'], { cwd: dir });
    expect(text.code).toBe(2);
    expect(text.output).toContain(`${V120}:25:${colOf('{{#if')} error messages.0.content: "{{#if x}}" is not a variable`);
    expect(text.output).toContain(`${V120}:25:${colOf('{{ contact')} error messages.0.content: uses {{contact_email}}`);
  });

  it("is placed at the placeholder in render's and eval's refusals", async () => {
    const dir = project();
    const render = await runCliInProcess(['render', 'support-answer@1.2.0', '--var', 'question=hi'], { cwd: dir });
    expect(render.code, render.output).toBe(2);
    expect(render.output).toContain(`${V120}:25:${colOf('{{#if')}`);
    expect(render.output).toContain(`${V120}:25:${colOf('{{ contact')}`);
    expect(render.output).not.toContain(`${V120}:18:`);
    const evaluated = await runCliInProcess(['eval', 'support-answer@1.2.0'], { cwd: dir });
    expect(evaluated.code, evaluated.output).toBe(2);
    expect(evaluated.output).toContain(`${V120}:25:${colOf('{{#if')}`);
    expect(evaluated.output).not.toContain(`${V120}:18:`);
  });
});
