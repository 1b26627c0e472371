import { caseOutcomes, judgeTally, type CaseSpec, type RunTally } from '../../core/eval/aggregate.js';
import type { CaseOutcome, CaseVerdict } from '../../core/schemas/report.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Registry } from '../registry/types.js';
import { samplePages } from './recorded-cases.js';
import { noteRecomputedVerdicts, runCaseSpecs, type SuiteSpec } from './stored-runs.js';

/**
 * A stored run as `report` reads it when its cases may not fit in memory: judged from the
 * registry's tally (counts and latencies, no output), its case outcomes then read a page of
 * `CASE_PAGE` cases at a time, in the suite's order. Same cases, verdicts and notes as
 * `outcomeFromRegistry`, which reads every sample at once.
 */
export interface PagedRun {
  run: RunRecord;
  /** NaN without the suite file (as `outcomeFromRegistry`). */
  threshold: number;
  cases: CaseSpec[];
  /** Each case's verdict, in `cases` order. */
  verdicts: CaseVerdict[];
  /** The tally without its per-case counts (a 100,000-case run would hold 100,000 of them). */
  tally: Omit<RunTally, 'cases'> & { samples: number; errorSamples: number };
  /** The case outcomes, a page at a time (one getSamples call per page). */
  pages(): AsyncGenerator<CaseOutcome[]>;
}

export async function pagedRunFromRegistry(registry: Registry, run: RunRecord, spec: SuiteSpec | undefined, notes: string[]): Promise<PagedRun> {
  const tally = await registry.sampleTally(run.id);
  const counts = new Map(tally.cases.map((c) => [c.caseId, { n: c.pass + c.fail + c.error }]));
  const cases = runCaseSpecs(run, spec, counts, notes);
  const { verdicts } = judgeTally({ cases, tally, threshold: spec?.threshold ?? 1, maxErrorRate: spec?.maxErrorRate ?? 0.05, adversarial: run.suiteKind === 'adversarial' });
  noteRecomputedVerdicts(run, verdicts, notes);
  return {
    run,
    threshold: spec?.threshold ?? Number.NaN,
    cases,
    verdicts,
    tally: {
      latencies: tally.latencies,
      tokensIn: tally.tokensIn,
      tokensOut: tally.tokensOut,
      samples: tally.cases.reduce((n, c) => n + c.pass + c.fail + c.error, 0),
      errorSamples: tally.cases.reduce((n, c) => n + c.error, 0),
    },
    async *pages() {
      for await (const { page, samples } of samplePages(registry, run.id, cases)) yield caseOutcomes(page, samples);
    },
  };
}
