import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadProject } from '../../src/infra/project.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Issue 14 §2: `redteam generate --out cases.jsonl` writes the attack cases as JSONL rows and a
 * suite that reads them with `cases_from`: the file lints, evaluates, and holds the same cases the
 * inline form does.
 */

const sim = simulatorForFile();

describe('redteam generate --out <file.jsonl>', () => {
  it('round-trips: the rows lint, evaluate and are the cases the inline suite has', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-redteam-jsonl-');
    const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'me@example.com' } });
    const packs = ['--packs', 'extraction,pii-exfil'];

    const made = await cli('redteam', 'generate', 'support-answer', ...packs, '--name', 'from-file', '--out', 'data/redteam.jsonl', '--json');
    expect(made.code, made.output).toBe(0);
    const generated = JSON.parse(made.stdout) as { file: string; casesFile: string; cases: number };
    expect(generated).toMatchObject({ file: 'evalsets/support-answer/from-file.yaml', casesFile: 'data/redteam.jsonl' });
    const rows = readProjectFile(dir, 'data/redteam.jsonl').trimEnd().split('\n');
    expect(rows).toHaveLength(generated.cases);
    const suite = parseYaml(readProjectFile(dir, generated.file)) as Record<string, unknown>;
    expect(suite).toMatchObject({ kind: 'adversarial', cases_from: { file: 'data/redteam.jsonl' } });
    expect(suite.cases).toBeUndefined();

    // The same packs inline: the project reads the same cases from both suites.
    expect((await cli('redteam', 'generate', 'support-answer', ...packs, '--name', 'inline')).code).toBe(0);
    const project = loadProject(dir);
    const casesOf = (name: string) => project.suites.find((s) => s.name === name)!.data.cases;
    expect(casesOf('from-file')).toHaveLength(generated.cases);
    expect(casesOf('from-file')).toEqual(casesOf('inline'));

    const lint = await cli('lint');
    expect(lint.code, lint.output).toBe(0);
    const evaluated = await cli('eval', 'support-answer@1.1.0', '--suite', 'from-file', '--json');
    expect([0, 1], evaluated.output).toContain(evaluated.code);
    const report = JSON.parse(evaluated.stdout) as { runs: Array<{ run: { suite: string; suiteKind: string; summary: { cases: number; notRun: number; attacks: number } } }> };
    expect(report.runs.map((r) => r.run.suite)).toEqual(['from-file']);
    expect(report.runs[0]!.run.suiteKind).toBe('adversarial');
    expect(report.runs[0]!.run.summary).toMatchObject({ cases: generated.cases, notRun: 0, attacks: generated.cases });
  });

  it('keeps multi-turn attacks in the suite (a row holds no conversation): the suite lints and holds every case', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-redteam-jsonl-');
    const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'me@example.com' } });
    const made = await cli('redteam', 'generate', 'support-answer', '--packs', 'extraction,crescendo', '--name', 'mixed', '--out', 'data/mixed.jsonl', '--json');
    expect(made.code, made.output).toBe(0);
    const generated = JSON.parse(made.stdout) as { casesFile: string; cases: number; warnings: string[] };
    const suite = parseYaml(readProjectFile(dir, 'evalsets/support-answer/mixed.yaml')) as { cases: Array<{ messages?: unknown }>; cases_from: unknown };
    const rows = readProjectFile(dir, 'data/mixed.jsonl').trimEnd().split('\n');
    expect(suite.cases.length).toBeGreaterThan(0);
    expect(suite.cases.every((c) => c.messages !== undefined)).toBe(true);
    expect(rows.some((r) => r.includes('"messages"'))).toBe(false);
    expect(suite.cases.length + rows.length).toBe(generated.cases);
    expect(generated.warnings).toContain(`${suite.cases.length} multi-turn attacks kept in the suite's cases: a row of data/mixed.jsonl holds no conversation`);

    // Only multi-turn attacks: no file, every case in the suite.
    const only = await cli('redteam', 'generate', 'support-answer', '--packs', 'crescendo', '--name', 'multi', '--out', 'data/multi.jsonl', '--json');
    expect(only.code, only.output).toBe(0);
    expect(JSON.parse(only.stdout)).not.toHaveProperty('casesFile');
    expect(() => readProjectFile(dir, 'data/multi.jsonl')).toThrow();
    expect((parseYaml(readProjectFile(dir, 'evalsets/support-answer/multi.yaml')) as { cases: unknown[]; cases_from?: unknown }).cases_from).toBeUndefined();

    const inline = await cli('redteam', 'generate', 'support-answer', '--packs', 'extraction,crescendo', '--name', 'inline');
    expect(inline.code).toBe(0);
    const project = loadProject(dir);
    const casesOf = (name: string) => project.suites.find((s) => s.name === name)!.data.cases.map((c) => c.id).sort();
    expect(casesOf('mixed')).toEqual(casesOf('inline'));
    const lint = await cli('lint');
    expect(lint.code, lint.output).toBe(0);
  });

  it('refuses a path that cannot be a cases_from file, writing nothing', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-redteam-jsonl-');
    for (const [out, message] of [
      ['data/redteam.csv', /--out data\/redteam\.csv is not a \.jsonl file/],
      ['../outside.jsonl', /--out \.\.\/outside\.jsonl is outside the project/],
    ] as const) {
      const r = await runCliInProcess(['redteam', 'generate', 'support-answer', '--out', out], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(() => readProjectFile(dir, 'evalsets/support-answer/redteam.yaml')).toThrow();
  });
});
