import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A suite file that stops loading (a typo, broken YAML) was left out of `compare` and of a
 * two-version `report` without a word: its regressions vanished and both exited 0, where eval,
 * deploy and promote refuse the same tree. Now refused as eval refuses it, naming file, line and
 * field, whether the runs are stored or compare would evaluate them.
 */

const sim = simulatorForFile();
const GOLDEN = 'evalsets/support-answer/golden.yaml';

describe('compare and report with a suite file that does not load', () => {
  it('refuse it (exit 2, at file:line field) instead of comparing without that suite', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-broken-');
    for (const v of ['1.0.0', '1.1.0']) expect((await runCliInProcess(['eval', `support-answer@${v}`], { cwd })).code).toBeLessThan(2);
    const stored = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--no-eval', '--json'], { cwd });
    expect(stored.code, stored.output).toBe(0);
    expect(JSON.parse(stored.stdout).rows.some((r: { suite: string }) => r.suite === 'golden')).toBe(true);

    const text = readProjectFile(cwd, GOLDEN);
    const line = text.split('\n').findIndex((l) => l.startsWith('threshold:')) + 2;
    writeProjectFile(cwd, GOLDEN, text.replace(/^(threshold:.*)$/m, '$1\nthreshhold: 1'));
    for (const args of [
      ['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--no-eval'],
      ['compare', 'support-answer@1.0.0', 'support-answer@1.1.0'],
      ['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden'],
      ['report', 'support-answer@1.0.0', 'support-answer@1.1.0', '-o', 'r.html'],
    ]) {
      const r = await runCliInProcess(args, { cwd });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(2);
      expect(r.stderr).toContain('error: 1 problem in the files of support-answer');
      expect(r.stderr).toContain(`${GOLDEN}:${line}:1 threshhold`);
      expect(r.stderr).toContain('why: a comparison reads the suites that apply to both versions');
    }
  });

  it('do not refuse for what they do not compare: a suite for other versions, another version\'s broken file', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-unrelated-');
    for (const v of ['1.0.0', '1.1.0']) expect((await runCliInProcess(['eval', `support-answer@${v}`], { cwd })).code).toBeLessThan(2);
    // Work in progress: a suite whose range matches no version yet (a lint error), and a draft that does not load.
    writeProjectFile(cwd, 'evalsets/support-answer/next.yaml', ['prompt: support-answer', 'versions: ">=2.0.0"', 'kind: golden', 'cases:', '  - id: a', '    vars: { question: hi }', '    expect: [{ contains: x }]', ''].join('\n'));
    writeProjectFile(cwd, 'prompts/support-answer/2.0.0.yaml', 'id: support-answer\nversion: 2.0.0\nmesages: []\n');
    for (const args of [
      ['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--no-eval'],
      ['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--no-eval', '--suite', 'golden'],
      ['report', 'support-answer@1.0.0', 'support-answer@1.1.0', '-o', 'r.html'],
    ]) {
      const r = await runCliInProcess(args, { cwd });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(0);
    }
    // A suite --suite leaves out may be broken too.
    const text = readProjectFile(cwd, 'evalsets/support-answer/adversarial.yaml');
    writeProjectFile(cwd, 'evalsets/support-answer/adversarial.yaml', text.replace(/^(prompt:.*)$/m, '$1\nthreshhold: 1'));
    expect((await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--no-eval', '--suite', 'golden'], { cwd })).code).toBe(0);
  });
});
