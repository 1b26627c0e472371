import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { selectRuns } from '../../src/app/report-runs.js';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import { runCliInProcess } from '../support/cli.js';
import { allAttackPacks, generatedGoldenSuite, makeSimProject, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';
import { systemClock } from '../../src/infra/clock.js';

/**
 * `eval --case/--tag/--sample`: only the selected cases run; the run is partial, labelled so in
 * every output, never earns a tested mark, and never becomes the default report over a complete run.
 */

const sim = simulatorForFile();

// A named actor: without one, every eval spawns git to find who records its tested marks.
const cli = (dir: string, ...args: string[]) => runCliInProcess(args, { cwd: dir, env: SCRIPT_ENV });

function project(): string {
  const dir = makeSimProject(sim.url, {}, 'promptctl-select-');
  writeProjectFile(dir, 'evalsets/support-answer/bulk.yaml', generatedGoldenSuite({ count: 30, versions: '1.1.0' }));
  return dir;
}

describe('selecting cases', () => {
  it('runs only the selected cases, as a partial run labelled in text, JSON and JUnit, with no tested mark', async () => {
    const dir = project();
    const r = await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'bulk', '--case', 'gen-0000*', '--json', '--junit', 'j.xml');
    // 20 of its 30 cases have no result yet: nothing to merge with, so the selection is judged on its own.
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].asLastRan).toBeUndefined();
    const report = JSON.parse(r.stdout) as EvalReport;
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]!.run.summary).toMatchObject({ cases: 10, partial: true });
    expect(report.runs[0]!.cases.map((c) => c.caseId)).toEqual(Array.from({ length: 10 }, (_, i) => `gen-0000${i}`));
    expect(report.versions[0]!.tested).toBe(false);
    const text = await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'bulk', '--sample', '7');
    expect(text.stdout).toMatch(/support-answer@1\.1\.0 \[partial\]/);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${dir}/j.xml`, 'utf8')).toContain('name="support-answer@1.1.0 [partial] bulk"');
  });

  it('--sample is deterministic, and a selection that matches nothing is exit 2', async () => {
    const dir = project();
    const ids = async () => (JSON.parse((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'bulk', '--sample', '5', '--json')).stdout) as EvalReport).runs[0]!.cases.map((c) => c.caseId);
    const first = await ids();
    expect(first).toHaveLength(5);
    expect(await ids()).toEqual(first);
    const none = await cli(dir, 'eval', 'support-answer@1.1.0', '--case', 'nope-*');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no case matches --case nope-\*/);
  });

  it.each([
    // The only pattern, matching nothing: no run at all.
    { args: ['--case', 'refund-windw'], gives: 'did you mean --case refund-window? ' },
    // One of two, the other matching: the run would narrow without a word.
    { args: ['--case', 'shipping-time', 'refund-windw'], gives: 'did you mean --case refund-window? ' },
    { args: ['--case', 'refund-*', 'nope-*'], gives: '' },
  ])('$args: a case id that matches nothing is exit 2 with a close id, and the hint says where case ids are', async ({ args, gives }) => {
    const dir = project();
    const r = await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'golden', 'adversarial', ...args);
    expect(r.code, r.output).toBe(2);
    const hint = r.stderr.replace(/\s+/g, ' ');
    expect(hint).toContain(
      `hint: ${gives}check the ids (globs: * and ?)`,
    );
    expect(hint).toContain("a case's id is its `id:` in evalsets/support-answer/adversarial.yaml, evalsets/support-answer/golden.yaml; an attack case's is atk-<attack id>, as eval's results name it");
    // show lists a version's suites, not their case ids.
    expect(hint).not.toContain('promptctl show');
  });

  it.each([
    { args: ['--suite', 'golden', 'support-answer@1.0.0'], error: /^error: no suite "support-answer@1\.0\.0" applies to support-answer@1\.1\.0 \(--suite\)/m },
    { args: ['support-answer@1.0.0', '--suite', 'golden', 'nosuch'], error: /^error: no suite "nosuch" applies to support-answer@1\.0\.0 \(--suite\)/m },
    { args: ['--case', 'refund-window', 'support-answer@1.0.0'], error: /^error: no case matches "support-answer@1\.0\.0" \(--case\)/m },
    { args: ['--model', 'sim-model', 'support-answer@1.0.0'], error: /^error: "support-answer@1\.0\.0" after --model is a prompt version, not a model/m },
  ])('a version written after a list option ($args.0) is exit 2 saying so, never another version run in its place', async ({ args, error }) => {
    const dir = project();
    const r = await cli(dir, 'eval', ...args);
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(error);
    expect(r.stderr).toMatch(/takes every word after it/);
  });

  it('--tag takes an attack category as the attack table names it, and --sample draws from every category', async () => {
    const dir = project();
    allAttackPacks(dir);
    const r = await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'adversarial', '--tag', 'pii-exfiltration', 'hand-written', '--json');
    // The other categories' attacks never ran: nothing to merge with, the selection is judged on its own.
    expect(r.code, r.output).toBe(0);
    const cases = (JSON.parse(r.stdout) as EvalReport).runs[0]!.cases;
    // A suite's own cases carry no category: reports show them as hand-written.
    expect(new Set(cases.map((c) => c.category ?? 'hand-written'))).toEqual(new Set(['pii-exfiltration', 'hand-written']));
    expect(cases.filter((c) => c.category === undefined)).toHaveLength(2);
    // A version written after --tag is read as a tag: refused, not a silently narrowed run of the default version.
    const swallowed = await cli(dir, 'eval', '--suite', 'adversarial', '--tag', 'pii-exfiltration', 'support-answer@1.0.0');
    expect(swallowed.code, swallowed.output).toBe(2);
    expect(swallowed.stderr).toContain('error: no case has the tag "support-answer@1.0.0" (--tag)');
    // A pack's name as `attacks:` lists it is not a tag of its cases: the hint names the one that is.
    const pack = await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'adversarial', '--tag', 'pii-exfil');
    expect(pack.code, pack.output).toBe(2);
    expect(pack.stderr).toMatch(/^hint: did you mean --tag pack:pii-exfil \(the attack cases of the pack pii-exfil\)\? /m);
    // A misspelt category: the close one.
    expect((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'adversarial', '--tag', 'pii-exfiltraton', 'hand-written')).stderr).toMatch(/^hint: did you mean --tag pii-exfiltration\? /m);
    // The long form still works.
    expect((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'adversarial', '--tag', 'category:pii-exfiltration')).code).toBe(0);
    const sampled = (JSON.parse((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'adversarial', '--sample', '10', '--json')).stdout) as EvalReport).runs[0]!.cases;
    expect(new Set(sampled.map((c) => c.category ?? 'hand-written')).size).toBe(9);
  });

  it.each([
    ['--sample at the suite size', ['--sample', '30']],
    ['--sample above it', ['--sample', '1000']],
    ['a glob matching every id', ['--case', 'gen-*']],
  ])('a selection that leaves no case out (%s) is the whole suite: a full run, not labelled partial', async (_what, selection) => {
    const dir = project();
    const r = await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'bulk', ...selection, '--json');
    expect(r.code, r.output).toBe(0);
    const run = (JSON.parse(r.stdout) as EvalReport).runs[0]!.run;
    expect(run.summary!.cases).toBe(30);
    expect(run.summary!.partial ?? false).toBe(false);
    expect((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'bulk', ...selection)).stdout).not.toContain('[partial]');
  });

  it('a selected run never becomes the default report over a complete one', async () => {
    const dir = project();
    expect((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'bulk')).code).toBe(0);
    expect((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'bulk', '--sample', '3')).code).toBe(0);
    const registry = openProjectRegistry(loadProject(dir), { env: {}, clock: systemClock, readonly: true });
    try {
      const runs = await selectRuns(registry, undefined);
      expect(runs.map((r) => r.summary?.partial ?? false)).toEqual([false]);
      expect(runs[0]!.summary!.cases).toBe(30);
    } finally {
      await registry.close();
    }
  });

  it('a selected run after a complete one leaves the complete one counting: the gates still pass', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-select-');
    expect((await cli(dir, 'eval', 'support-answer@1.1.0')).code).toBe(0);
    // The newest run of golden now holds one case of four: it must not stand in for the suite.
    expect((await cli(dir, 'eval', 'support-answer@1.1.0', '--suite', 'golden', '--case', 'refund-window')).code).toBe(0);
    const deploy = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--actor', 'rm@example.com'], { cwd: dir });
    expect(deploy.code, deploy.output).toBe(0);
    expect(deploy.output).not.toContain('has no run of its current content');
  });
});
