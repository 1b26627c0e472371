import { z } from 'zod';
import { orderRows, type ChangeKind, type ComparisonRow } from '../core/compare.js';
import { InputError, InterruptedError, UnavailableError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import type { CaseOutcome, ProgressEvent, RunOutcome } from '../core/schemas/report.js';
import { missingRunsError, storedOutcomes, type StoredVersion } from '../infra/eval/stored-runs.js';
import { requireSuites } from '../infra/eval/targets.js';
import { loadProject, type Project } from '../infra/project.js';
import { resolveVersion } from '../infra/project-query.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { requireEditableVersions } from '../infra/version-states.js';
import { appContext, type AppOptions, type Env } from './context.js';
import { runEval, type EvalResult } from './eval.js';
import { outcomesWithInputs, type CaseVars } from './report-inputs.js';

/**
 * `compare`: both versions' outputs and verdicts for the same cases, from stored runs: each
 * version's counting run of each suite on the suite's current content. Only a version/suite
 * without one is evaluated (its answers usually come from the cache); with everything stored, the
 * server is not contacted and nothing is written. `eval: false` never evaluates: a missing run is
 * exit 2 naming the `promptctl eval` to run.
 */

export const CompareOptions = z.object({
  a: z.string(),
  b: z.string(),
  suite: z.array(z.string()).default([]),
  /** false (`--no-eval`): read stored runs only, never contact the server. */
  eval: z.boolean().default(true),
});
export type CompareOptions = z.input<typeof CompareOptions>;

export interface CompareRunOptions extends CompareOptions, AppOptions {
  /** Progress of each evaluation of what had no stored run; `start`/`stop` bracket each one. */
  onProgress?: (e: ProgressEvent) => void;
  /** Called before and after each evaluation (the CLI starts and stops its progress view). */
  onEvaluation?: (phase: 'start' | 'stop') => void | Promise<void>;
}

export interface CompareResult {
  promptId: string;
  a: string;
  b: string;
  /** Each run compared, and whether this call evaluated it (rather than reading it stored). */
  runs: Array<{ version: string; suite: string; runId: string; evaluated: boolean }>;
  notes: string[];
  /** Case by case, in review order: regressions, fixes, other verdict changes, changed outputs, identical. */
  rows: Array<ComparisonRow & { change: ChangeKind; vars?: CaseVars }>;
}

/** Evaluates only the suites each version lacks, and returns their outcomes. */
async function evaluateMissing(opts: CompareRunOptions, lacking: StoredVersion[]): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (const s of lacking) {
    const ref = `${s.version.id}@${s.version.version}`;
    const names = s.missing.map((m) => m.name);
    await opts.onEvaluation?.('start');
    let report;
    try {
      ({ report } = await runEval({ refs: [ref], suite: names, cwd: opts.cwd, env: opts.env, clock: opts.clock, signal: opts.signal, onProgress: opts.onProgress }));
    } catch (e) {
      if (!(e instanceof InterruptedError)) throw e;
      const aborted = (e.partial as EvalResult | undefined)?.report.aborted ?? 'interrupted';
      throw new InterruptedError({
        signal: e.signal,
        message: `compare stopped: evaluating ${ref} (${names.join(', ')}) ended early: ${aborted}`,
        why: 'the results so far are recorded, but a comparison needs every case of both versions.',
        hint: `run promptctl eval ${ref} --resume and compare again.`,
      });
    } finally {
      await opts.onEvaluation?.('stop');
    }
    if (report.aborted) {
      throw new UnavailableError({
        message: `compare stopped: evaluating ${ref} (${names.join(', ')}) ended early: ${report.aborted}`,
        why: 'the results so far are recorded, but a comparison needs every case of both versions.',
        hint: `check the server, then run promptctl eval ${ref} --resume and compare again.`,
      });
    }
    out.push(...report.runs.filter((r) => r.run.version === s.version.version && names.includes(r.run.suite)));
  }
  return out;
}

async function readStored(project: Project, env: Env, versions: Project['prompts'], only: string[], notes: string[]): Promise<StoredVersion[]> {
  // Read-only: a project without a registry reads as an empty one, and no file is created.
  const registry = openProjectRegistry(project, { readonly: true, env });
  try {
    await requireEditableVersions(registry, versions);
    const stored: StoredVersion[] = [];
    for (const v of versions) stored.push(await storedOutcomes(registry, project, v, notes, only));
    return stored;
  } finally {
    await registry.close();
  }
}

function rowsOf(outcomes: RunOutcome[], a: string, b: string): Array<ComparisonRow & { vars?: CaseVars }> {
  const casesOf = (version: string) => {
    const map = new Map<string, CaseOutcome>();
    for (const r of outcomes) if (r.run.version === version) for (const c of r.cases) map.set(`${r.run.suite}/${c.caseId}`, c);
    return map;
  };
  const ca = casesOf(a);
  const cb = casesOf(b);
  return [...ca.keys()]
    .filter((k) => cb.has(k))
    .map((k) => {
      const [suite, caseId] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
      const x = ca.get(k)!;
      const y = cb.get(k)!;
      const row = { suite, caseId, verdictA: x.verdict, verdictB: y.verdict, outputA: x.samples[0]?.output ?? '', outputB: y.samples[0]?.output ?? '' };
      // Both sides ran the suite's current content, so they were asked the same.
      const vars = y.vars ?? x.vars;
      return vars ? { ...row, vars } : row;
    });
}

export async function compare(opts: CompareRunOptions): Promise<CompareResult> {
  const parsed = CompareOptions.parse(opts);
  const a = parsePromptRef(parsed.a, { requireVersion: true });
  const b = parsePromptRef(parsed.b.includes('@') ? parsed.b : `${a.id}@${parsed.b}`, { requireVersion: true });
  if (a.id !== b.id) throw new InputError({ message: `compare needs two versions of one prompt, got ${a.id} and ${b.id}` });
  if (a.version === b.version) throw new InputError({ message: `compare needs two different versions, got ${a.version} twice` });
  const project = loadProject(opts.cwd);
  const versions = [resolveVersion(project, a), resolveVersion(project, b)];
  requireSuites(project, versions, parsed.suite);
  const notes: string[] = [];
  const stored = await readStored(project, appContext(opts).env, versions, parsed.suite, notes);
  const lacking = stored.filter((s) => s.missing.length);
  if (lacking.length && !parsed.eval) throw missingRunsError('compare --no-eval', stored);
  const evaluated = lacking.length ? await evaluateMissing(opts, lacking) : [];
  const outcomes = outcomesWithInputs(project, [...stored.flatMap((s) => s.outcomes), ...evaluated]);
  // A suite only one side has cannot be compared side by side: say so rather than drop them quietly.
  const suitesOf = (version: string) => new Set(outcomes.filter((o) => o.run.version === version).map((o) => o.run.suite));
  const [sa, sb] = [suitesOf(a.version!), suitesOf(b.version!)];
  for (const [only, has, other] of [[a.version!, sa, sb], [b.version!, sb, sa]] as const) {
    for (const suite of has) if (!other.has(suite)) notes.push(`suite '${suite}' applies only to ${a.id}@${only}: its cases are not compared`);
  }
  const evaluatedRuns = new Set(evaluated.map((o) => o.run.id));
  const runs = outcomes.map((o) => ({ version: o.run.version, suite: o.run.suite, runId: o.run.id, evaluated: evaluatedRuns.has(o.run.id) }));
  // orderRows hands back the rows it was given (their variables included), in review order.
  const rows = orderRows(rowsOf(outcomes, a.version!, b.version!)).map((r) => ({ ...(r.row as ComparisonRow & { vars?: CaseVars }), change: r.kind }));
  return { promptId: a.id, a: a.version!, b: b.version!, runs, notes, rows };
}
