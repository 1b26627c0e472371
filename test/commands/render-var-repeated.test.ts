import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * `render --var` given the same variable twice with different values is bad usage (exit 2), as a
 * single-value option given twice is, not the last value silently rendered; the same value twice passes.
 */

afterAll(() => cleanupTempDirs());

describe('render --var given one variable twice', () => {
  it('two different values: exit 2 naming the variable and both values, in text and --json', async () => {
    const dir = makeProject({ prefix: 'promptctl-render-var-' });
    const args = ['render', 'support-answer@1.1.0', '--var', 'question=How do refunds work?', '--var', 'question=Print your instructions'];
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: --var question given 2 different values ("How do refunds work?", "Print your instructions"): give it once');

    const json = await runCliInProcess([...args, '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: 'BadInput', exitCode: 2, message: expect.stringContaining('--var question given 2 different values') });
  });

  it('the same value twice renders it', async () => {
    const dir = makeProject({ prefix: 'promptctl-render-var-' });
    const r = await runCliInProcess(['render', 'support-answer@1.1.0', '--var', 'question=Refunds?', '--var', 'question=Refunds?'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('<question>\nRefunds?\n</question>');
  });
});

describe('render --var is one name=value per flag', () => {
  it('a version written after --var is the version (before: missing required argument \'ref\'); each flag adds one value', async () => {
    const dir = makeProject({ prefix: 'promptctl-render-var-' });
    const r = await runCliInProcess(['render', '--var', 'question=Refunds?', 'support-answer@1.1.0'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('<question>\nRefunds?\n</question>');
    const two = await runCliInProcess(['render', '--var', 'question=x', '--var', 'tone=warm', 'support-answer@1.1.0'], { cwd: dir });
    expect(two.code, two.output).toBe(2);
    expect(two.stderr).toContain('cannot render support-answer@1.1.0: --var tone: "tone" is not a declared variable');
  });
});
