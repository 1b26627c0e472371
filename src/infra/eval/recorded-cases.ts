import { caseOutcomes, judgeTally, type CaseSpec, type SummaryInput } from '../../core/eval/aggregate.js';
import type { CaseOutcome } from '../../core/schemas/report.js';
import type { RunSummary } from '../../core/schemas/run.js';
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

/** The outcomes of these cases, their samples read `CASE_PAGE` cases at a time. */
export async function pagedOutcomes(registry: Registry, runId: string, specs: readonly CaseSpec[]): Promise<CaseOutcome[]> {
  const cases: CaseOutcome[] = [];
  for (let i = 0; i < specs.length; i += CASE_PAGE) {
    const page = specs.slice(i, i + CASE_PAGE);
    cases.push(...caseOutcomes(page, await registry.getSamples(runId, { caseIds: page.map((s) => s.id) })));
  }
  return cases;
}

/** An n-mode run's prompt tokens saved (n-sampling.ts), its samples read a page of cases at a time. */
export async function pagedPromptTokensSaved(registry: Registry, runId: string, specs: ReadonlyArray<{ id: string }>): Promise<number> {
  let saved = 0;
  for (let i = 0; i < specs.length; i += CASE_PAGE) {
    saved += promptTokensSaved(await registry.getSamples(runId, { caseIds: specs.slice(i, i + CASE_PAGE).map((s) => s.id) }));
  }
  return saved;
}
