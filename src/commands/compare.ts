import { z } from 'zod';
import { InputError, UnavailableError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import type { CaseOutcome, RunOutcome } from '../core/schemas/report.js';
import { missingRunsError, storedOutcomes, type StoredVersion } from '../infra/eval/stored-runs.js';
import { requireSuites } from '../infra/eval/targets.js';
import { loadProject, type Project } from '../infra/project.js';
import { resolveVersion } from '../infra/project-query.js';
import { openProjectRegistry, refuseEdited } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';

/**
 * `promptctl compare <id>@<a> <id>@<b>`: both versions' outputs and verdicts for the same cases,
 * from stored runs: each version's latest counting run of each suite on the suite's current
 * content. Only a version/suite without one is evaluated (its answers usually come from the
 * cache); with everything stored, the server is not contacted and nothing is written.
 * `--no-eval` never evaluates: a missing run is exit 2 naming the `promptctl eval` to run.
 */

export const CompareOptions = z.object({
  a: z.string(),
  b: z.string(),
  suite: z.array(z.string()).default([]),
  /** false (`--no-eval`): read stored runs only, never contact the server. */
  eval: z.boolean().default(true),
});

/** Evaluates only the suites each version lacks, and returns their outcomes. */
async function evaluateMissing(ctx: CommandContext, lacking: StoredVersion[]): Promise<RunOutcome[]> {
  const { evaluate, EvalOptions } = await import('./eval.js');
  const { startProgress } = await import('../render/progress-sink.js');
  const out: RunOutcome[] = [];
  for (const s of lacking) {
    const ref = `${s.version.id}@${s.version.version}`;
    const names = s.missing.map((m) => m.name);
    const progress = await startProgress(ctx.out);
    let report;
    try {
      report = await evaluate(ctx, EvalOptions.parse({ refs: [ref], suite: names }), progress.onEvent, ctx.signal);
    } finally {
      await progress.stop();
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

async function readStored(project: Project, versions: Project['prompts'], only: string[], notes: string[]): Promise<StoredVersion[]> {
  // Read-only: a project without a registry reads as an empty one, and no file is created.
  const registry = openProjectRegistry(project, { readonly: true });
  try {
    await refuseEdited(registry, versions);
    const stored: StoredVersion[] = [];
    for (const v of versions) stored.push(await storedOutcomes(registry, project, v, notes, only));
    return stored;
  } finally {
    await registry.close();
  }
}

export async function run(ctx: CommandContext, raw: unknown) {
  const opts = CompareOptions.parse(raw);
  const a = parsePromptRef(opts.a, { requireVersion: true });
  const b = parsePromptRef(opts.b.includes('@') ? opts.b : `${a.id}@${opts.b}`, { requireVersion: true });
  if (a.id !== b.id) throw new InputError({ message: `compare needs two versions of one prompt, got ${a.id} and ${b.id}` });
  if (a.version === b.version) throw new InputError({ message: `compare needs two different versions, got ${a.version} twice` });
  const project = loadProject(ctx.cwd);
  const versions = [resolveVersion(project, a), resolveVersion(project, b)];
  requireSuites(project, versions, opts.suite);
  const notes: string[] = [];
  const stored = await readStored(project, versions, opts.suite, notes);
  const lacking = stored.filter((s) => s.missing.length);
  if (lacking.length && !opts.eval) throw missingRunsError('compare --no-eval', stored);
  const evaluated = lacking.length ? await evaluateMissing(ctx, lacking) : [];
  const outcomes = [...stored.flatMap((s) => s.outcomes), ...evaluated];

  const casesOf = (version: string) => {
    const map = new Map<string, CaseOutcome>();
    for (const r of outcomes) if (r.run.version === version) for (const c of r.cases) map.set(`${r.run.suite}/${c.caseId}`, c);
    return map;
  };
  const ca = casesOf(a.version!);
  const cb = casesOf(b.version!);
  const rows = [...ca.keys()]
    .filter((k) => cb.has(k))
    .map((k) => {
      const [suite, caseId] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
      const x = ca.get(k)!;
      const y = cb.get(k)!;
      return { suite, caseId, verdictA: x.verdict, verdictB: y.verdict, outputA: x.samples[0]?.output ?? '', outputB: y.samples[0]?.output ?? '' };
    });
  // A suite only one side has cannot be compared side by side: say so rather than drop them quietly.
  const suitesOf = (version: string) => new Set(outcomes.filter((o) => o.run.version === version).map((o) => o.run.suite));
  const [sa, sb] = [suitesOf(a.version!), suitesOf(b.version!)];
  for (const [only, has, other] of [[a.version!, sa, sb], [b.version!, sb, sa]] as const) {
    for (const suite of has) if (!other.has(suite)) notes.push(`suite '${suite}' applies only to ${a.id}@${only}: its cases are not compared`);
  }
  const runs = outcomes.map((o) => ({ version: o.run.version, suite: o.run.suite, runId: o.run.id, evaluated: evaluated.includes(o) }));
  const { formatComparison, orderRows } = await import('../render/compare.js');
  const input = { promptId: a.id, a: a.version!, b: b.version!, rows };
  const ran = runs.filter((r) => r.evaluated).map((r) => `${a.id}@${r.version} ${r.suite}`);
  return {
    data: { promptId: a.id, a: a.version, b: b.version, runs, notes, rows: orderRows(rows).map((r) => ({ ...r.row, change: r.kind })) },
    text: () => [
      ...(ran.length ? [`evaluated what had no stored run on the current suite content: ${ran.join(', ')}`] : []),
      ...notes.map((n) => `note: ${n}`),
      formatComparison(input, { color: ctx.out.color, width: Number(ctx.env.COLUMNS) || 120 }),
    ],
  } satisfies CommandResult;
}
