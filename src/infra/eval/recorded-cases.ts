import { caseOutcomes, judgeTally, type CaseSpec, type SummaryInput } from '../../core/eval/aggregate.js';
import type { CaseOutcome } from '../../core/schemas/report.js';
import type { RunSummary, SampleResult } from '../../core/schemas/run.js';
import { promptTokensSaved } from '../../core/eval/n-sampling.js';
import type { Registry } from '../registry/types.js';

/** Cases whose samples are read at once: bounds the outputs held while a large run is judged. */
export const CASE_PAGE = 1000;

/**
 * A run's summary from the registry's counts (no output read) and the outcomes of only the cases
 * that did not pass, their samples read a page of cases at a time: judging a 100,000-case run that
 * passed holds its counts, not its 100,000 answers. Same rule as `summarizeRun` (summarizeTally).
 */
export async function judgeNotPassing(
  registry: Registry,
  runId: string,
  input: Omit<SummaryInput, 'samples'>,
): Promise<{ summary: RunSummary; cases: CaseOutcome[] }> {
  const { summary, verdicts } = judgeTally({ ...input, tally: await registry.sampleTally(runId) });
  const wanted = input.cases.filter((_, i) => verdicts[i] !== 'pass');
  return { summary, cases: await pagedOutcomes(registry, runId, wanted) };
}

/** These cases a page at a time, each page with its recorded samples: one getSamples call per `CASE_PAGE` cases. */
export async function* samplePages<C extends { id: string }>(registry: Registry, runId: string, specs: readonly C[]): AsyncGenerator<{ page: C[]; samples: SampleResult[] }> {
  for (let i = 0; i < specs.length; i += CASE_PAGE) {
    const page = specs.slice(i, i + CASE_PAGE);
    yield { page, samples: await registry.getSamples(runId, { caseIds: page.map((s) => s.id) }) };
  }
}

/** The outcomes of these cases, their samples read `CASE_PAGE` cases at a time. */
export async function pagedOutcomes(registry: Registry, runId: string, specs: readonly CaseSpec[]): Promise<CaseOutcome[]> {
  const cases: CaseOutcome[] = [];
  for await (const { page, samples } of samplePages(registry, runId, specs)) cases.push(...caseOutcomes(page, samples));
  return cases;
}

/** An n-mode run's prompt tokens saved (n-sampling.ts): pages split by case, so per-page sums add up. */
export async function pagedPromptTokensSaved(registry: Registry, runId: string, specs: ReadonlyArray<{ id: string }>): Promise<number> {
  let saved = 0;
  for await (const { samples } of samplePages(registry, runId, specs)) saved += promptTokensSaved(samples);
  return saved;
}
