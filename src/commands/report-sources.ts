import { attackCategoryOf } from '../core/attacks/expand.js';
import { summarizeRun, type CaseSpec } from '../core/eval/aggregate.js';
import type { Expectation } from '../core/schemas/evalset.js';
import type { RunOutcome } from '../core/schemas/report.js';
import type { RunRecord, SampleResult } from '../core/schemas/run.js';
import { expandSuiteAttacks } from '../infra/eval/attacks.js';
import type { Project, SuiteFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';
import { describeExpectation } from '../render/html/expectations.js';
import type { HistorySeries } from '../render/html/model.js';

/**
 * Where `promptctl report` gets its data: run outcomes rebuilt from the registry's samples (judged
 * with the suite file's case rules when the file still has the content the run used), the
 * expectations of each case, and every version's latest finished run for the version chart.
 */

export interface SuiteSpec {
  cases: CaseSpec[];
  expectations: Map<string, Expectation[]>;
  threshold: number;
  maxErrorRate: number;
}

/** The cases a suite runs (attack-pack cases expanded), with their repeat and min_pass_rate. */
export function suiteSpec(s: SuiteFile): SuiteSpec {
  const d = s.data;
  const all = [
    ...d.cases.map((c) => ({ c, category: attackCategoryOf(c) as string | undefined })),
    ...(d.kind === 'adversarial' ? expandSuiteAttacks(s).map((g) => ({ c: g.case, category: g.category as string | undefined })) : []),
  ];
  return {
    cases: all.map(({ c, category }) => ({ id: c.id, repeat: c.repeat ?? d.repeat, minPassRate: c.min_pass_rate ?? d.min_pass_rate, ...(category ? { category } : {}) })),
    expectations: new Map(all.map(({ c }) => [c.id, c.expect])),
    threshold: d.threshold,
    maxErrorRate: d.max_error_rate,
  };
}

/**
 * A run's case outcomes from its recorded samples. With the suite's rules, a complete run's repeat
 * is what was recorded (so `eval --repeat n` is judged as it ran) and a `--filter-failing` subset
 * keeps only its cases. Without them (the suite file changed or is gone), cases are judged from
 * their samples with min_pass_rate 1, and the report says so.
 */
export function outcomeFromRegistry(registry: Registry, run: RunRecord, spec: SuiteSpec | undefined, notes: string[]): RunOutcome {
  const samples = registry.getSamples(run.id);
  const counts = new Map<string, { n: number; category?: string }>();
  for (const s of samples) {
    const c = counts.get(s.caseId) ?? { n: 0, category: s.category };
    c.n++;
    counts.set(s.caseId, c);
  }
  const where = `${run.promptId}@${run.version} ${run.suite} (run ${run.id.slice(0, 8)})`;
  let cases: CaseSpec[];
  if (spec) {
    const complete = run.summary !== undefined && run.summary.notRun === 0;
    const subset = run.summary !== undefined && run.summary.cases < spec.cases.length;
    cases = spec.cases
      .filter((c) => !subset || counts.has(c.id))
      .map((c) => ({ ...c, repeat: complete && counts.has(c.id) ? counts.get(c.id)!.n : Math.max(c.repeat, counts.get(c.id)?.n ?? 0) }));
    if (subset) notes.push(`${where} ran only ${run.summary!.cases} of the suite's ${spec.cases.length} cases (--filter-failing)`);
  } else {
    cases = [...counts.entries()].map(([id, c]) => ({ id, repeat: c.n, minPassRate: 1, ...(c.category ? { category: c.category } : {}) }));
    notes.push(`${where}: the suite file has changed since this run (or is gone), so its cases are judged from their samples with min_pass_rate 1 and their expectations are not shown`);
  }
  if (run.status === 'running') notes.push(`${where} has not finished (still running, or interrupted: eval --resume continues it)`);
  const { cases: outcomes } = summarizeRun({
    cases,
    samples: samples as SampleResult[],
    threshold: spec?.threshold ?? 1,
    maxErrorRate: spec?.maxErrorRate ?? 0.05,
    adversarial: run.suiteKind === 'adversarial',
  });
  const s = run.summary;
  if (s) {
    const n = (v: string) => outcomes.filter((c) => c.verdict === v).length;
    if (n('pass') !== s.passed || n('fail') !== s.failed || n('error') !== s.errored) {
      notes.push(`${where}: case verdicts recomputed from the samples (${n('pass')} passed, ${n('fail')} failed) differ from the recorded summary (${s.passed} passed, ${s.failed} failed); the summary is what gates used`);
    }
  }
  // NaN: the threshold is unknown without the suite file; the report then shows none.
  return { run, threshold: spec?.threshold ?? Number.NaN, cases: outcomes };
}

/** Described expectations per case, from the suite file with the content the run used. */
export function expectationsLookup(project: Project): (o: RunOutcome, caseId: string) => string[] {
  const specs = new Map<string, SuiteSpec | null>();
  const described = new Map<string, string[]>();
  return (o, caseId) => {
    const key = `${o.run.promptId}/${o.run.suite}/${o.run.suiteHash}`;
    if (!specs.has(key)) {
      const file = project.suites.find((s) => s.promptId === o.run.promptId && s.name === o.run.suite && s.hash === o.run.suiteHash);
      specs.set(key, file ? suiteSpec(file) : null);
    }
    const spec = specs.get(key);
    if (!spec) return [];
    const dkey = `${key}/${caseId}`;
    let lines = described.get(dkey);
    if (!lines) {
      lines = (spec.expectations.get(caseId) ?? []).map(describeExpectation);
      described.set(dkey, lines);
    }
    return lines;
  };
}

/**
 * For the version chart: per prompt and suite, each version's latest finished complete run on the
 * report's model(s). Runs of a subset of cases (--filter-failing) are left out: their pass rate
 * would not be comparable.
 */
export function historyFor(registry: Registry, promptIds: string[], models: Set<string>): HistorySeries[] {
  const series: HistorySeries[] = [];
  for (const promptId of promptIds) {
    const runs = registry.listRuns({ promptId, status: 'finished' }).filter((r) => r.summary && models.has(r.model));
    const bySuite = new Map<string, RunRecord[]>();
    for (const r of runs) bySuite.set(r.suite, [...(bySuite.get(r.suite) ?? []), r]);
    for (const [suite, list] of [...bySuite.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const byVersion = new Map<string, RunRecord[]>();
      for (const r of list) byVersion.set(r.version, [...(byVersion.get(r.version) ?? []), r]);
      const points = [...byVersion.entries()].map(([version, rs]) => {
        const full = Math.max(...rs.map((r) => r.summary!.cases));
        const latest = rs.filter((r) => r.summary!.cases === full).sort((a, b) => (a.endedAt ?? a.startedAt).localeCompare(b.endedAt ?? b.startedAt)).at(-1)!;
        return { version, passRate: latest.summary!.passRate, p95: latest.summary!.latencyP95, runId: latest.id, at: latest.endedAt ?? latest.startedAt };
      });
      series.push({ promptId, suite, points });
    }
  }
  return series;
}
