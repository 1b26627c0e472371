import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyFor, outcomeFromRegistry, type SuiteSpec } from '../../src/app/report-sources.js';
import { selectRuns } from '../../src/app/report.js';
import { summarizeRun } from '../../src/core/eval/aggregate.js';
import { InputError } from '../../src/core/errors.js';
import { versionCharts } from '../../src/render/html/chart.js';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { runRecord, sample } from './fixtures.js';

let dir: string;
let registry: Registry;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'promptctl-report-'));
  registry = openSqliteRegistry({ path: path.join(dir, 'registry.db') });
});
afterEach(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const spec: SuiteSpec = {
  cases: [
    { id: 'a', repeat: 1, minPassRate: 1 },
    { id: 'b', repeat: 1, minPassRate: 1 },
    { id: 'c', repeat: 1, minPassRate: 0.5 },
  ],
  expectations: new Map(),
  threshold: 0.75,
  maxErrorRate: 0.05,
};

/** Records a finished run with these samples, its summary computed the way eval does. */
async function recordRun(id: string, over: Parameters<typeof runRecord>[0], samples: SampleResult[], caseSpecs = spec.cases, partial = false): Promise<void> {
  const run = runRecord({ id, inputsKey: id, ...over });
  const { status: _s, endedAt: _e, summary: _u, ...create } = run;
  await registry.createRun(create);
  await registry.recordSamples(samples.map((s) => ({ ...s, runId: id })));
  const { summary } = summarizeRun({ cases: caseSpecs, samples, threshold: 0.75, maxErrorRate: 0.05, adversarial: false });
  await registry.finishRun(id, 'finished', partial ? { ...summary, partial: true } : summary, run.endedAt!);
}

const fail = (caseId: string, n = 0) => sample({ caseId, sample: n, verdict: 'fail', reasons: [{ expectation: 'contains', message: 'missing' }] });

describe('selectRuns', () => {
  beforeEach(async () => {
    // Each ends before the next starts: a run is never dated before the latest run time recorded.
    await recordRun('run-old-1', { invocationId: 'inv-old', startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:00:05.000Z' }, [sample({ caseId: 'a' })]);
    await recordRun('run-new-1', { invocationId: 'inv-new', startedAt: '2025-01-02T00:00:00.000Z', endedAt: '2025-01-02T00:00:00.500Z', suite: 'golden' }, [sample({ caseId: 'a' })]);
    await recordRun('run-new-2', { invocationId: 'inv-new', startedAt: '2025-01-02T00:00:01.000Z', endedAt: '2025-01-02T00:00:02.000Z', suite: 'adversarial' }, [sample({ caseId: 'a' })]);
  });

  it('defaults to every run of the latest invocation', async () => {
    expect((await selectRuns(registry, undefined)).map((r) => r.id)).toEqual(['run-new-1', 'run-new-2']);
  });

  it('takes a run id, an invocation id, or a unique prefix of either', async () => {
    expect((await selectRuns(registry, 'run-old-1')).map((r) => r.id)).toEqual(['run-old-1']);
    expect((await selectRuns(registry, 'inv-old')).map((r) => r.id)).toEqual(['run-old-1']);
    expect((await selectRuns(registry, 'run-new-2')).map((r) => r.id)).toEqual(['run-new-2']);
    expect((await selectRuns(registry, 'inv-ne')).map((r) => r.id)).toEqual(['run-new-1', 'run-new-2']);
  });

  it('refuses an unknown id (exit 2) with recent invocations in the hint', async () => {
    let error: unknown;
    try {
      await selectRuns(registry, 'nope-nope');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('no run or invocation "nope-nope"');
    expect(e.hint).toMatch(/inv-new.*support-answer@1\.1\.0 \(adversarial, golden\)/);
    expect(e.hint).toContain('inv-old');
    await expect(selectRuns(registry, 'run-ne')).rejects.toThrow(/more than one/);
  });
});

describe('outcomeFromRegistry', () => {
  it('judges cases with the suite rules, as eval did', async () => {
    await recordRun('r1', {}, [sample({ caseId: 'a' }), fail('b'), fail('c')]);
    const notes: string[] = [];
    const o = await outcomeFromRegistry(registry, (await registry.getRun('r1'))!, spec, notes);
    expect(o.cases.map((c) => [c.caseId, c.verdict])).toEqual([
      ['a', 'pass'],
      ['b', 'fail'],
      ['c', 'fail'],
    ]);
    expect(o.threshold).toBe(0.75);
    expect(notes).toEqual([]);
  });

  it('takes the repeat a complete run actually used (eval --repeat)', async () => {
    const samples = ['a', 'b', 'c'].flatMap((id) => [sample({ caseId: id }), id === 'c' ? fail(id, 1) : sample({ caseId: id, sample: 1 })]);
    await recordRun('r2', {}, samples, spec.cases.map((c) => ({ ...c, repeat: 2 })));
    const notes: string[] = [];
    const o = await outcomeFromRegistry(registry, (await registry.getRun('r2'))!, spec, notes);
    // c passes at 1 of 2 with min_pass_rate 0.5; nothing is "not run".
    expect(o.cases.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(notes).toEqual([]);
  });

  it('keeps only the cases of a --filter-failing run, and says so', async () => {
    await recordRun('r3', {}, [fail('b')], [spec.cases[1]!]);
    const notes: string[] = [];
    const o = await outcomeFromRegistry(registry, (await registry.getRun('r3'))!, spec, notes);
    expect(o.cases.map((c) => c.caseId)).toEqual(['b']);
    expect(notes.join('\n')).toContain('ran only 1 of the suite');
  });

  it('without the suite file, judges from the samples and says so', async () => {
    await recordRun('r4', {}, [sample({ caseId: 'a' }), fail('b'), fail('c')]);
    const notes: string[] = [];
    const o = await outcomeFromRegistry(registry, (await registry.getRun('r4'))!, undefined, notes);
    expect(o.cases.map((c) => c.verdict)).toEqual(['pass', 'fail', 'fail']);
    expect(Number.isNaN(o.threshold)).toBe(true);
    expect(notes.join('\n')).toContain('the suite file has changed since this run');
  });
});

describe('historyFor', () => {
  it("keeps each version's latest complete run per suite, on the report's model", async () => {
    const all = [sample({ caseId: 'a' }), sample({ caseId: 'b' }), sample({ caseId: 'c' })];
    await recordRun('h1', { version: '1.0.0', endedAt: '2025-01-01T00:00:00.000Z' }, [sample({ caseId: 'a' }), fail('b'), fail('c')]);
    await recordRun('h2', { version: '1.0.0', endedAt: '2025-01-02T00:00:00.000Z' }, all);
    // A subset of the cases (--filter-failing): partial, never a point of the chart.
    await recordRun('h3', { version: '1.0.0', endedAt: '2025-01-03T00:00:00.000Z' }, [fail('b')], [spec.cases[1]!], true);
    await recordRun('h4', { version: '1.1.0', endedAt: '2025-01-04T00:00:00.000Z', model: 'other-model' }, all);
    await recordRun('h5', { version: '1.1.0', endedAt: '2025-01-05T00:00:00.000Z', suite: 'adversarial' }, [fail('a'), fail('b'), fail('c')]);
    const series = await historyFor(registry, ['support-answer'], new Set(['sim-model']));
    expect(series.map((s) => [s.suite, s.points.map((p) => [p.version, p.runId, p.passRate])])).toEqual([
      ['adversarial', [['1.1.0', 'h5', 0]]],
      ['golden', [['1.0.0', 'h2', 1]]],
    ]);
  });

  it('a report on several models gets one series per suite and model, never one line across models', async () => {
    const all = [sample({ caseId: 'a' }), sample({ caseId: 'b' }), sample({ caseId: 'c' })];
    await recordRun('m1', { version: '1.0.0', endedAt: '2025-01-01T00:00:00.000Z' }, all);
    await recordRun('m2', { version: '1.1.0', endedAt: '2025-01-02T00:00:00.000Z' }, all);
    // The newest run of 1.1.0 is on the weaker model: it must not stand for 1.1.0 on sim-model.
    await recordRun('m3', { version: '1.1.0', endedAt: '2025-01-03T00:00:00.000Z', model: 'sim-model-next' }, [fail('a'), fail('b'), sample({ caseId: 'c' })]);
    const series = await historyFor(registry, ['support-answer'], new Set(['sim-model', 'sim-model-next']));
    expect(series.map((s) => [s.suite, s.model, s.points.map((p) => [p.version, p.runId])])).toEqual([
      ['golden', 'sim-model', [['1.0.0', 'm1'], ['1.1.0', 'm2']]],
      ['golden', 'sim-model-next', [['1.1.0', 'm3']]],
    ]);
    // On one model, as before: no model on the series.
    expect((await historyFor(registry, ['support-answer'], new Set(['sim-model'])))[0]!.model).toBeUndefined();
  });

  it("prefers a run of the suite's current content, however many cases another content had or however newer", async () => {
    const all = [sample({ caseId: 'a' }), sample({ caseId: 'b' }), sample({ caseId: 'c' })];
    // Another branch's suite (a case more), run later: the same suite name, other cases.
    await recordRun('c1', { version: '1.0.0', suiteHash: 's1', endedAt: '2025-01-01T00:00:00.000Z' }, all);
    await recordRun('c2', { version: '1.0.0', suiteHash: 's-branch', endedAt: '2025-01-02T00:00:00.000Z' }, [...all, fail('d')], [...spec.cases, { id: 'd', repeat: 1, minPassRate: 1 }]);
    const checkout = (suite: string) => ({ contentHash: () => runRecord().promptHash, suiteHash: () => suite });
    const current = await historyFor(registry, ['support-answer'], new Set(['sim-model']), checkout('s1'));
    expect(current[0]!.points.map((p) => [p.runId, p.cases])).toEqual([['c1', 3]]);
    // A version with no run of the current content shows its latest run.
    expect((await historyFor(registry, ['support-answer'], new Set(['sim-model']), checkout('s-new')))[0]!.points.map((p) => p.runId)).toEqual(['c2']);
  });

  it('marks versions the checkout does not have (inProject false), and only with a predicate', async () => {
    await recordRun('k1', { version: '1.0.0' }, [sample({ caseId: 'a' }), sample({ caseId: 'b' }), sample({ caseId: 'c' })]);
    await recordRun('k2', { version: '9.0.0' }, [fail('a'), fail('b'), fail('c')]);
    const marked = await historyFor(registry, ['support-answer'], new Set(['sim-model']), { contentHash: (_id, v) => (v === '1.0.0' ? runRecord().promptHash : undefined), suiteHash: () => undefined });
    expect(marked[0]!.points.map((p) => [p.version, p.inProject])).toEqual([
      ['1.0.0', undefined],
      ['9.0.0', false],
    ]);
    expect((await historyFor(registry, ['support-answer'], new Set(['sim-model'])))[0]!.points.every((p) => p.inProject === undefined)).toBe(true);
  });

  it("prefers a run of a draft's current content, however newer a run of its earlier content, and marks a point with none", async () => {
    const all = [sample({ caseId: 'a' }), sample({ caseId: 'b' }), sample({ caseId: 'c' })];
    await recordRun('d1', { version: '1.1.0', promptHash: 'p-now', endedAt: '2025-01-01T00:00:00.000Z' }, all);
    // The draft's earlier content, run after (a branch that had not been rebased): another prompt.
    await recordRun('d2', { version: '1.1.0', promptHash: 'p-before', endedAt: '2025-01-02T00:00:00.000Z' }, [fail('a'), fail('b'), fail('c')]);
    const now = await historyFor(registry, ['support-answer'], new Set(['sim-model']), { contentHash: () => 'p-now', suiteHash: () => undefined });
    expect(now[0]!.points.map((p) => [p.runId, p.passRate, p.earlierContent])).toEqual([['d1', 1, undefined]]);
    // Edited again and not run since: the latest run is shown, marked as of an earlier content.
    const edited = await historyFor(registry, ['support-answer'], new Set(['sim-model']), { contentHash: () => 'p-later', suiteHash: () => undefined });
    expect(edited[0]!.points.map((p) => [p.runId, p.earlierContent])).toEqual([['d2', true]]);
  });

  it('a version whose latest run judged no case (every request failed) is a gap in the chart, not 0% at 0 ms', async () => {
    const all = [sample({ caseId: 'a' }), sample({ caseId: 'b' }), sample({ caseId: 'c' })];
    const error = (caseId: string) => sample({ caseId, verdict: 'error', error: '400 bad request', output: '', latencyMs: 0, tokensOut: 0 });
    await recordRun('g1', { version: '1.0.0', endedAt: '2025-01-01T00:00:00.000Z' }, all);
    await recordRun('g2', { version: '1.1.0', endedAt: '2025-01-02T00:00:00.000Z' }, all);
    // The newest run of 1.1.0 is unjudged: it stands for 1.1.0 (the run report and gates count), as a gap.
    await recordRun('g3', { version: '1.1.0', endedAt: '2025-01-03T00:00:00.000Z' }, [error('a'), error('b'), error('c')]);
    await recordRun('g4', { version: '1.2.0', endedAt: '2025-01-04T00:00:00.000Z' }, all);
    const series = await historyFor(registry, ['support-answer'], new Set(['sim-model']));
    expect(series[0]!.points.map((p) => p.runId)).toEqual(['g1', 'g3', 'g4']);
    const html = versionCharts(series);
    const rows = [...html.matchAll(/<tr><td.*?<\/tr>/g)].map((m) => [...m[0].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]));
    expect(rows).toEqual([
      ['golden', '1.0.0', '100.0%', '43.8–100.0%', '40ms', 'yes'],
      ['golden', '1.1.0', '–', '–', '–', 'yes'],
      ['golden', '1.2.0', '100.0%', '43.8–100.0%', '40ms', 'yes'],
    ]);
    // No dot at 1.1.0 in either panel, and each panel's line breaks there: no segment joins two points.
    // Two dots per panel, and the legend's swatch.
    expect(html.match(/<circle /g)).toHaveLength(5);
    expect(html).not.toMatch(/1\.1\.0: pass rate|p95 0ms/);
    expect([...html.matchAll(/<path d="M[^"]*"/g)].every((m) => !m[0].includes(' L'))).toBe(true);
    expect(html).toContain('a gap at 1.1.0: the latest run is incomplete with no pass rate (no case judged, or cases not run), not 0%');
  });
});
