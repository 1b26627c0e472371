import { suitesNotCovered, type UncoveredSuite } from '../../core/gate-tested.js';
import type { Judges } from '../../core/eval/grading.js';
import type { Grading } from '../../core/schemas/run.js';
import { cachedSuitesOf } from '../suite-files.js';
import type { Problem } from '../../core/errors.js';
import type { Registry, TestedMark } from '../registry/types.js';
import { passesBy } from './stored-runs.js';
import { runThatCounts } from './vouched-run.js';
import { suitesApplying } from './targets.js';

export type { UncoveredSuite };

/** A deployed version and the mark that counts for it, as `status` shows them. */
export interface MarkedVersion {
  promptId: string;
  version: string;
  mark: TestedMark | undefined;
  /** The content the registry holds for it, and the model it is served on: what its runs ran. */
  contentHash: string;
  model: string;
  /** The request settings its runs send under the config now (core/eval/plan.ts `settingsOf`). */
  settings?: string;
  /** The graders the config names now (core/eval/grading.ts `judgesOf`). */
  judges?: Judges;
}

/**
 * For each version, the suites in the project that apply to it now whose counting run on their
 * current content and settings did not pass (core/gate-tested.ts `suitesNotCovered`, the tested
 * gate's rule, read from the recorded run summaries): the gate refuses such a mark. Only prompts with suites on disk are judged (`local`); a prompt known only to the
 * registry gets none. Marks from before marks named their suites' content read it from their runs.
 * `signed`: the project signs marks, so the counting run is the one the gates count (`runThatCounts`).
 */
export async function suitesSinceMarks(
  registry: Registry,
  root: string,
  versions: readonly MarkedVersion[],
  local: ReadonlySet<string>,
  signed: boolean,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<UncoveredSuite[][]> {
  const judged = versions.map((v) => (v.mark?.source === 'run' && local.has(v.promptId) ? v.mark : undefined));
  const ids = [...new Set(versions.filter((_, i) => judged[i]).map((v) => v.promptId))];
  // Loaded in full (with the suite schema) only when the file cache lacks a suite.
  const problems: Problem[] = [];
  const suites = cachedSuitesOf(root, ids, env) ?? (await import('../project.js')).loadSuitesOf(root, ids, env, problems);
  // A suite file of the prompt that does not load: deploy refuses the prompt's files until it does.
  const broken = (id: string): UncoveredSuite[] =>
    [...new Set(problems.filter((p) => p.severity === 'error' && p.file.startsWith(`evalsets/${id}/`)).map((p) => p.file))].map((file) => ({ suite: file, why: 'broken' as const }));
  const out: UncoveredSuite[][] = [];
  for (const [i, v] of versions.entries()) {
    const mark = judged[i];
    if (!mark) {
      out.push([]);
      continue;
    }
    const applicable = [];
    for (const s of suitesApplying(suites, { id: v.promptId, version: v.version })) {
      const target = { promptId: v.promptId, version: v.version, promptHash: v.contentHash, suite: s.name, suiteHash: s.hash, model: v.model, ...(v.settings ? { settings: v.settings } : {}), ...(v.judges ? { judges: v.judges } : {}) };
      const { run } = await runThatCounts(registry, target, signed ? { mark, side: 'candidate' } : undefined, passesBy(registry, s));
      const verdict = run?.summary?.verdict;
      applicable.push({ name: s.name, hash: s.hash, ...(verdict ? { counting: verdict } : {}) });
    }
    out.push([...broken(v.promptId), ...suitesNotCovered(await withSuiteHashes(registry, mark.suites), applicable, v.settings, v.judges)]);
  }
  return out;
}

/**
 * A mark's suites with the content (and settings) each run ran: recorded in the mark, or else, for
 * a mark from before marks recorded suite content, read from the run.
 */
async function withSuiteHashes(registry: Registry, suites: TestedMark['suites']): Promise<Array<{ suite: string; suiteHash?: string; settings?: string; grading?: Grading }>> {
  const out: Array<{ suite: string; suiteHash?: string; settings?: string; grading?: Grading }> = [];
  for (const s of suites) {
    if (s.suiteHash !== undefined) out.push(s);
    else {
      const run = await registry.getRun(s.runId);
      const grading = run?.summary?.grading;
      out.push({ suite: s.suite, suiteHash: run?.suiteHash, ...(run?.summary?.settings !== undefined ? { settings: run.summary.settings } : {}), ...(grading ? { grading } : {}) });
    }
  }
  return out;
}
