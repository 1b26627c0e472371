import { afterAll, describe, expect, it } from 'vitest';
import { updateTestedMarks } from '../../src/infra/eval/marks.js';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { addFinishedRun, markTested, readChain } from '../support/registry-cli.js';
import { systemClock } from '../../src/infra/clock.js';
import { formatFinalTable } from '../../src/render/final-table.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { passingReport } from '../render/fixtures.js';

/**
 * A tested mark is withdrawn only by a run that failed on the content and settings it was earned
 * on. A run the server spoiled (errors decide it: incomplete) judged nothing about the prompt, so
 * it leaves the mark standing, with no `untested` event in the audit chain.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';

async function marksAfter(dir: string) {
  const project = loadProject(dir);
  const registry = openProjectRegistry(project, { env: {}, clock: systemClock });
  try {
    const v = project.prompts.find((p) => p.id === ID && p.version === '1.0.0')!;
    return await updateTestedMarks(registry, project, [v], { invocationId: 'test', actor: 'ci@example.com' });
  } finally {
    await registry.close();
  }
}

describe('a later run of a suite a mark was earned on', () => {
  it.each([
    ['incomplete: 2 of 4 cases got server errors, none failed', { passRate: 0.5, errored: 2 }, /suite 'golden' incomplete/, []],
    ['failed: 2 of 4 cases failed', { passRate: 0.5 }, /suite 'golden' failed/, ['untested']],
  ])('%s', async (_, numbers, reason, withdrawn) => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', ...numbers });
    const [outcome] = await marksAfter(dir);
    expect(outcome).toMatchObject({ tested: false, reason: expect.stringMatching(reason) });
    expect(readChain(dir).filter((e) => e.action === 'untested').map((e) => e.action)).toEqual(withdrawn);
  });
});

describe('deploy after an incomplete run of a marked version', () => {
  it('is refused until the suite runs again, and never asks for a new version', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 0.5, errored: 2 });
    const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'rm@example.com'], { cwd: dir });
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/'golden' is incomplete \(server errors decided its latest run, or cases did not run\); run `promptctl eval support-answer@1\.0\.0`/);
    expect(r.output).not.toMatch(/new version|promptctl new/);
    const status = await runCliInProcess(['status'], { cwd: dir });
    expect(status.stdout).not.toMatch(/failed since|promptctl new/);
  });
});

/** A copy of the quickstart whose 1.0.0 has a passing finished run of each of its suites (an earlier eval's), and its registry open. */
function withFinishedRuns() {
  const dir = makeProject();
  const project = loadProject(dir);
  const suites = project.suites.filter((s) => s.promptId === ID).map((s) => s.name);
  const runs = Object.fromEntries(suites.map((suite) => [suite, addFinishedRun(dir, `${ID}@1.0.0`, { suite, passRate: 1 })]));
  const registry = openProjectRegistry(project, { env: {}, clock: systemClock });
  const v = project.prompts.find((p) => p.id === ID && p.version === '1.0.0')!;
  return { project, runs, registry, v };
}

describe('a mark resting on another eval\'s run of a suite this eval ran (two jobs on one version at once)', () => {
  it('names that run beside the mark, in the text and the Markdown; a suite this eval did not run is not named', async () => {
    const { project, runs, registry, v } = withFinishedRuns();
    const ran = [{ id: 'this-eval-run', promptId: ID, version: '1.0.0', suite: 'golden', model: project.config.server.model, status: 'finished' as const }];
    try {
      const [mine] = await updateTestedMarks(registry, project, [v], { invocationId: 'this-eval', actor: 'ci@example.com', ran });
      expect(mine).toMatchObject({ tested: true, otherEvals: [{ suite: 'golden', runId: runs['golden'] }] });
      const [alone] = await updateTestedMarks(registry, project, [v], { invocationId: 'this-eval', actor: 'ci@example.com' });
      expect(alone!.otherEvals).toBeUndefined();
      // A run of some cases only (--case) or interrupted could never count: nothing to name.
      for (const mine of [{ ...ran[0]!, summary: { partial: true } }, { ...ran[0]!, status: 'aborted' as const }]) {
        const [partial] = await updateTestedMarks(registry, project, [v], { invocationId: 'this-eval', actor: 'ci@example.com', ran: [mine as (typeof ran)[number]] });
        expect(partial!.otherEvals).toBeUndefined();
      }
      // A run this eval finished (--resume), started by another invocation, is this eval's.
      const [resumed] = await updateTestedMarks(registry, project, [v], { invocationId: 'this-eval', actor: 'ci@example.com', ran: [{ ...ran[0]!, id: runs['golden']! }] });
      expect(resumed!.otherEvals).toBeUndefined();
      const report = { ...passingReport(), versions: [mine!] };
      const said = `(another eval's run of suite 'golden', ${runs['golden']!.slice(0, 8)}, is the latest and counts, not this eval's)`;
      expect(formatFinalTable(report, { color: false })).toContain(`✓ ${ID}@1.0.0 tested on ${report.model} ${said}`);
      expect(toMarkdownSummary(report)).toContain(`is tested on \`${report.model}\` ${said}`);
    } finally {
      await registry.close();
    }
  });
});

/**
 * Report h46 #4: an eval a signal stopped printed "✓ … tested on sim-model", the mark an earlier eval
 * earned, as if this run had earned it. The mark line names the earlier run it rests on instead.
 */
describe('a mark an interrupted eval finds (its own run of the suite was stopped)', () => {
  it('names the earlier eval\'s run beside the mark, in the text and the Markdown', async () => {
    const { project, runs, registry, v } = withFinishedRuns();
    const stopped = { id: 'this-eval-run', promptId: ID, version: '1.0.0', suite: 'golden', model: project.config.server.model, status: 'aborted' as const };
    try {
      const [mine] = await updateTestedMarks(registry, project, [v], { invocationId: 'this-eval', actor: 'ci@example.com', ran: [stopped] });
      expect(mine).toMatchObject({ tested: true, earlierRuns: [{ suite: 'golden', runId: runs['golden'] }] });
      expect(mine!.otherEvals).toBeUndefined();
      // Finished, the same eval's run is its own (no clause); not run here, nothing to name.
      const [finished] = await updateTestedMarks(registry, project, [v], { invocationId: 'this-eval', actor: 'ci@example.com', ran: [{ ...stopped, id: runs['golden']!, status: 'finished' as const }] });
      expect(finished!.earlierRuns).toBeUndefined();
      const [alone] = await updateTestedMarks(registry, project, [v], { invocationId: 'this-eval', actor: 'ci@example.com' });
      expect(alone!.earlierRuns).toBeUndefined();
      const report = { ...passingReport(), versions: [mine!] };
      const said = `(an earlier eval's run of suite 'golden', ${runs['golden']!.slice(0, 8)}, counts: this eval's was stopped before it could)`;
      expect(formatFinalTable(report, { color: false })).toContain(`✓ ${ID}@1.0.0 tested on ${report.model} ${said}`);
      expect(toMarkdownSummary(report)).toContain(`is tested on \`${report.model}\` ${said}`);
    } finally {
      await registry.close();
    }
  });
});
