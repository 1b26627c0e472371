import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { EvalReport, ProgressEvent } from '../core/schemas/report.js';
import { clientFromConfig } from '../infra/model/from-config.js';
import { appendOutputFile, checkOutputPath, writeOutputFile } from '../infra/output-file.js';
import { promptctlVersion } from '../infra/package-paths.js';
import { findProjectRoot, loadProject, type SuiteFile } from '../infra/project.js';
import { requireSoundFiles } from '../infra/sound-files.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { boundHeapGrowthForLargeProjects } from '../infra/eval/heap.js';
import { answeredFromCache } from '../infra/eval/all-cached.js';
import { updateTestedMarks } from '../infra/eval/marks.js';
import { buildReport, compareWithBaseline } from '../infra/eval/report.js';
import { baselineWithText } from '../render/gate-text.js';
import { judgeModelsOf, planSession, runSession, type SessionTarget } from '../infra/eval/session.js';
import { requireSuites, selectVersions, suitesFor } from '../infra/eval/targets.js';
import { narrowToFailing, type NothingFailing } from '../infra/eval/failing.js';
import { activeVersion } from '../infra/deployments.js';
import { modelFor } from '../infra/gate-facts.js';
import { latestCountingRun } from '../infra/eval/latest-runs.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl eval`: runs suites against the server, records results and tested marks, reports. */

export const EvalOptions = z.object({
  refs: z.array(z.string()).default([]),
  suite: z.array(z.string()).default([]),
  baseline: z.string().optional(),
  repeat: z.coerce.number().int().min(1).max(100).optional(),
  concurrency: z.coerce.number().int().min(1).max(1024).optional(),
  cache: z.boolean().default(true),
  resume: z.boolean().default(false),
  filterFailing: z.boolean().default(false),
  junit: z.string().optional(),
  summary: z.string().optional(),
  json: z.boolean().default(false),
  /** Set by callers that render every case (JSON, JUnit, Markdown, HTML); the CLI decides below. */
  keepPassingCases: z.boolean().default(true),
});
export type EvalOptions = z.infer<typeof EvalOptions>;

/** The reusable core of the command, also used by `ci`. */
export async function evaluate(ctx: CommandContext, opts: EvalOptions, onProgress: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<EvalReport> {
  boundHeapGrowthForLargeProjects(findProjectRoot(ctx.cwd));
  const project = loadProject(ctx.cwd);
  const envNames = project.config.environments.map((e) => e.name);
  if (opts.baseline && !envNames.includes(opts.baseline)) {
    throw new InputError({ message: `--baseline ${opts.baseline} is not an environment`, hint: `environments in .promptrc.yaml: ${envNames.join(', ')}` });
  }
  const versions = selectVersions(project, opts.refs);
  // Reading and checking the shipped attack packs is a measurable part of start-up: only when a suite names attacks.
  const knownAttackSets = project.suites.some((s) => s.data.attacks?.length) ? (await import('../infra/eval/attacks.js')).listAttackSetNames() : undefined;
  requireSoundFiles(project, [...new Set(versions.map((v) => v.id))], { versions, knownAttackSets });
  let targets: SessionTarget[] = requireSuites(project, versions, opts.suite).filter((t) => t.suites.length);
  let nothingFailing: NothingFailing[] = [];
  // Read first (baseline runs, last failures), then plan: a case that cannot render stops here,
  // before the registry is created or written.
  const reader = openProjectRegistry(project, { readonly: true });
  try {
    // A baseline version without complete runs of these suites on this model is evaluated too
    // (its answers are usually cached), so the comparison never lacks a side.
    if (opts.baseline) {
      for (const t of [...targets]) {
        const active = await activeVersion(reader, t.version.id, opts.baseline);
        const file = active ? project.prompts.find((p) => p.id === t.version.id && p.version === active) : undefined;
        if (!file || targets.some((x) => x.version === file)) continue;
        const model = modelFor(project, file);
        const covering = suitesFor(project, file);
        const missing: SuiteFile[] = [];
        for (const s of t.suites) {
          if (covering.includes(s) && !(await latestCountingRun(reader, { promptId: file.id, version: file.version, promptHash: file.hash, suite: s.name, suiteHash: s.hash, model }))) missing.push(s);
        }
        if (missing.length) targets.push({ version: file, suites: missing });
      }
    }
    if (opts.filterFailing) ({ targets, nothingFailing } = await narrowToFailing(reader, project, targets));
  } finally {
    await reader.close();
  }
  if (!targets.length) {
    // --filter-failing and every last run passed: nothing is sent, registered or recorded.
    const now = ctx.clock.date().toISOString();
    return { ...buildReport({ invocationId: '', model: project.config.server.model, server: '', startedAt: now, endedAt: now, outcomes: [], versions: [], baselines: [] }), nothingFailing };
  }
  const planned = planSession({ project, targets, repeat: opts.repeat });
  const registry = openProjectRegistry(project);
  try {
    const { client, baseUrls } = clientFromConfig(project.config, ctx.env);
    // Every model the run will ask for must be served: the versions' own and any judge's.
    const models = new Set(targets.map((t) => modelFor(project, t.version)));
    for (const t of targets) {
      for (const s of t.suites) {
        // A configured judge model also grades refusal and compliance attacks in adversarial suites.
        if (s.data.kind === 'adversarial' && project.config.server.judge_model) models.add(project.config.server.judge_model);
        for (const c of s.data.cases) {
          for (const e of c.expect) if (e.judge) models.add(e.judge.model ?? project.config.server.judge_model ?? project.config.server.model);
        }
      }
    }
    // The server is checked only when something must be sent: a fully cached re-run needs none.
    if (!(opts.cache && (await answeredFromCache(planned, registry, judgeModelsOf(project))))) {
      for (const model of models) {
        // A replica that is down or unfit is left out (named once); only all of them down stops the eval.
        for (const w of (await client.preflight(model)).warnings ?? []) ctx.out.error(`warning: ${w}`);
      }
    }
    const startedAt = ctx.clock.date().toISOString();
    const session = await runSession({
      project,
      registry,
      client,
      targets,
      repeat: opts.repeat,
      concurrency: opts.concurrency ?? project.config.server.concurrency,
      useCache: opts.cache,
      resume: opts.resume,
      server: baseUrls.join(','),
      promptctlVersion: promptctlVersion(),
      clock: ctx.clock,
      onProgress,
      signal,
      keepPassingCases: opts.keepPassingCases,
      planned,
    });
    const evaluated = targets.map((t) => t.version);
    const marks = await updateTestedMarks(registry, project, evaluated, session.invocationId);
    const baselines = opts.baseline ? (await compareWithBaseline(registry, project, versions, opts.baseline)).map(baselineWithText) : [];
    const report = buildReport({
      invocationId: session.invocationId,
      model: [...models].join(','),
      server: baseUrls.join(','),
      startedAt,
      endedAt: ctx.clock.date().toISOString(),
      outcomes: session.outcomes,
      versions: marks,
      baselines,
      aborted: session.aborted,
    });
    return nothingFailing.length ? { ...report, nothingFailing } : report;
  } finally {
    await registry.close();
  }
}

/** Writes JUnit and Markdown where asked, and appends the summary to $GITHUB_STEP_SUMMARY when set. */
export async function writeReports(ctx: CommandContext, report: EvalReport, files: { junit?: string; summary?: string }): Promise<void> {
  if (files.junit) {
    const { toJUnitXml } = await import('../render/junit.js');
    writeOutputFile(ctx.cwd, files.junit, toJUnitXml(report), { option: '--junit' });
  }
  const stepSummary = ctx.env.GITHUB_STEP_SUMMARY;
  if (files.summary || stepSummary) {
    const { toMarkdownSummary } = await import('../render/markdown.js');
    const md = toMarkdownSummary(report);
    if (files.summary) writeOutputFile(ctx.cwd, files.summary, md, { option: '--summary' });
    if (stepSummary) appendOutputFile(ctx.cwd, stepSummary, `${md}\n`, { option: '$GITHUB_STEP_SUMMARY' });
  }
}

/** A mistyped report path fails before anything runs or is recorded. */
export function checkReportPaths(ctx: CommandContext, files: { junit?: string; summary?: string; html?: string }): void {
  if (files.junit) checkOutputPath(ctx.cwd, files.junit, { option: '--junit' });
  if (files.summary) checkOutputPath(ctx.cwd, files.summary, { option: '--summary' });
  if (files.html) checkOutputPath(ctx.cwd, files.html, { option: '--html' });
  const step = ctx.env.GITHUB_STEP_SUMMARY;
  if (step) checkOutputPath(ctx.cwd, step, { option: '$GITHUB_STEP_SUMMARY', createFolders: false });
}

/** Exit 1 when a suite failed or is incomplete; exit 3 when the server stopped the run. */
export function exitCodeFor(report: EvalReport): number {
  if (report.aborted) return 3;
  return report.runs.some((r) => r.run.summary?.verdict !== 'passed') ? 1 : 0;
}

/** What ended a run early, for people (stderr) and machines (the `error` of the JSON report). */
export interface EvalStop {
  exitCode: number;
  error: { error: string; exitCode: number; message: string; why: string; hint: string };
}

/** The conventional exit code of a process stopped by SIGINT (128 + 2). */
const INTERRUPTED = 130;

export function stopOf(report: EvalReport, interrupted: boolean): EvalStop | undefined {
  if (!report.aborted) return undefined;
  if (interrupted) {
    const kept = report.runs.reduce((n, r) => n + (r.run.summary?.samples ?? 0), 0);
    const message = `interrupted: ${kept} result${kept === 1 ? '' : 's'} kept; run the same command with --resume`;
    return {
      exitCode: INTERRUPTED,
      error: { error: 'Interrupted', exitCode: INTERRUPTED, message, why: 'Ctrl-C stopped dispatching; every answer that arrived was recorded, and cases not sent are reported as not run.', hint: 'run the same command with --resume to send only what is missing.' },
    };
  }
  return {
    exitCode: 3,
    error: {
      error: 'Unavailable',
      exitCode: 3,
      message: `the run stopped early: ${report.aborted}`,
      why: 'results so far are recorded; cases not sent are reported as not run.',
      hint: 'check the server, then run the same command with --resume to send only what is missing.',
    },
  };
}

/** `nothing failing in support-answer@1.1.0 (golden, adversarial): ...`, one line per version. */
function nothingFailingLines(report: EvalReport): string[] {
  const byVersion = new Map<string, string[]>();
  for (const n of report.nothingFailing ?? []) {
    const ref = `${n.promptId}@${n.version}`;
    byVersion.set(ref, [...(byVersion.get(ref) ?? []), n.suite]);
  }
  return [...byVersion].map(([ref, suites]) => `nothing failing in ${ref} (${suites.join(', ')}): the last run passed every case, so nothing was re-run or recorded`);
}

function formatStop(stop: EvalStop): string {
  return [`error: ${stop.error.message}`, `why: ${stop.error.why}`, `hint: ${stop.error.hint}`].join('\n');
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<EvalReport & { error?: EvalStop['error'] }>> {
  const parsed = EvalOptions.parse(raw);
  checkReportPaths(ctx, parsed);
  // Only the terminal table is wanted: it shows summaries and failures, not every passing case.
  const opts = { ...parsed, keepPassingCases: Boolean(parsed.json || parsed.junit || parsed.summary || ctx.env.GITHUB_STEP_SUMMARY) };
  const { startProgress } = await import('../render/progress-sink.js');
  const progress = await startProgress(ctx.out);
  let report: EvalReport;
  try {
    report = await evaluate(ctx, opts, progress.onEvent, ctx.signal);
  } finally {
    await progress.stop();
  }
  // Reports are written whatever happened: a stopped run's files show what was scored and what was not run.
  await writeReports(ctx, report, opts);
  const { formatFinalTable } = await import('../render/final-table.js');
  const stop = stopOf(report, Boolean(ctx.signal?.aborted));
  if (stop) {
    // The report (JSON or table) still goes to stdout with every scored and not-run case; the error follows on stderr.
    ctx.out.error(formatStop(stop));
    return { data: { ...report, error: stop.error }, exitCode: stop.exitCode, text: () => [formatFinalTable(report, { color: ctx.out.color })] };
  }
  const table = report.runs.length ? [formatFinalTable(report, { color: ctx.out.color })] : [];
  return { data: report, exitCode: exitCodeFor(report), text: () => [...table, ...nothingFailingLines(report)] };
}
