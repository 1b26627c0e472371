import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import type { EvalReport, RunOutcome } from '../core/schemas/report.js';
import type { RunRecord } from '../core/schemas/run.js';
import { missingRunsError, storedOutcomes, type StoredVersion } from '../infra/eval/stored-runs.js';
import { requireSuites } from '../infra/eval/targets.js';
import { promptctlVersion } from '../infra/package-paths.js';
import { loadProject, type Project, type PromptFile } from '../infra/project.js';
import { checkOutputPath, writeOutputFile } from '../infra/output-file.js';
import { openProjectRegistry, refuseEdited } from '../infra/project-registry.js';
import type { Registry } from '../infra/registry/types.js';
import { buildReportData, type ReportData } from '../render/html/model.js';
import { renderHtml } from '../render/html/template.js';
import type { CommandContext, CommandResult } from './context.js';
import { expectationsLookup, historyFor, outcomeFromRegistry, suiteSpec } from './report-sources.js';

/**
 * `promptctl report [<run-id> | <id>@<a> <id>@<b>] [-o report.html] [--open]`: one self-contained
 * HTML file for a run (or every run of one `eval` invocation) or for a comparison of two versions.
 * Runs are read from the registry and nothing is ever written to it: a comparison whose runs are
 * missing is exit 2 naming the `promptctl eval` that records them.
 */

export const ReportOptions = z.object({
  refs: z.array(z.string().min(1)).default([]),
  output: z.string().min(1).default('report.html'),
  open: z.boolean().default(false),
});
export type ReportOptions = z.infer<typeof ReportOptions>;

export interface ReportResult {
  file: string;
  kind: ReportData['kind'];
  title: string;
  invocations: string[];
  runs: number;
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  notRun: number;
  changes?: Record<string, number>;
}

function registryFile(project: Project): string {
  return path.resolve(project.root, project.config.registry.path);
}

function openExistingRegistry(project: Project): Registry {
  if (!existsSync(registryFile(project))) {
    throw new InputError({
      message: 'the registry has no runs yet',
      why: `there is no registry at ${path.relative(project.root, registryFile(project)) || registryFile(project)}`,
      hint: 'run the suites first: promptctl eval',
    });
  }
  return openProjectRegistry(project, { readonly: true });
}

/** Recent invocations, newest first, for hints. */
function recentInvocations(runs: RunRecord[], limit = 5): string[] {
  const seen = new Map<string, RunRecord[]>();
  for (const r of [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))) seen.set(r.invocationId, [...(seen.get(r.invocationId) ?? []), r]);
  return [...seen.entries()].slice(0, limit).map(([id, rs]) => {
    const versions = new Map<string, string[]>();
    for (const r of rs) versions.set(`${r.promptId}@${r.version}`, [...(versions.get(`${r.promptId}@${r.version}`) ?? []), r.suite]);
    const what = [...versions.entries()].map(([v, suites]) => `${v} (${suites.sort().join(', ')})`).join(', ');
    return `${id.slice(0, 8)}  ${rs.at(-1)!.startedAt.slice(0, 19).replace('T', ' ')}  ${what}`;
  });
}

/** A run id, an invocation id (or a unique prefix of either, 6+ characters), or the latest invocation. */
export async function selectRuns(registry: Registry, ref: string | undefined): Promise<RunRecord[]> {
  const all = await registry.listRuns({});
  if (!all.length) throw new InputError({ message: 'the registry has no runs yet', hint: 'run the suites first: promptctl eval' });
  const byInvocation = (id: string) => all.filter((r) => r.invocationId === id).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.suite.localeCompare(b.suite));
  if (!ref) {
    const latest = [...all].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1)!;
    return byInvocation(latest.invocationId);
  }
  const exactRun = all.find((r) => r.id === ref);
  if (exactRun) return [exactRun];
  if (all.some((r) => r.invocationId === ref)) return byInvocation(ref);
  if (ref.length >= 6) {
    const runs = all.filter((r) => r.id.startsWith(ref));
    const invocations = [...new Set(all.filter((r) => r.invocationId.startsWith(ref)).map((r) => r.invocationId))];
    if (runs.length + invocations.length === 1) return runs.length ? runs : byInvocation(invocations[0]!);
    if (runs.length + invocations.length > 1) throw new InputError({ message: `"${ref}" is the start of more than one run or invocation id`, hint: 'give more characters of the id' });
  }
  throw new InputError({
    message: `no run or invocation "${ref}" in the registry`,
    why: 'report takes a run id or an invocation id (one `eval` call), or two versions to compare: <id>@<a> <id>@<b>',
    hint: `recent invocations:\n  ${recentInvocations(all).join('\n  ')}`,
  });
}

function versionFile(project: Project, ref: { id: string; version?: string }): PromptFile {
  const file = project.prompts.find((p) => p.id === ref.id && p.version === ref.version);
  if (!file) {
    const known = project.prompts.filter((p) => p.id === ref.id).map((p) => p.version);
    throw new InputError({
      message: `${ref.id}@${ref.version} is not in this project`,
      hint: known.length ? `versions of ${ref.id}: ${known.join(', ')}` : `no prompt ${ref.id}: see promptctl list`,
    });
  }
  return file;
}

/**
 * Both versions' latest counting runs of every suite that applies, read only: a report never
 * evaluates (it would send requests and write runs and tested marks); a missing run is exit 2
 * naming the `promptctl eval` that records it.
 */
async function comparisonOutcomes(project: Project, refs: string[], notes: string[]): Promise<{ promptId: string; a: string; b: string; outcomes: RunOutcome[] }> {
  const a = parsePromptRef(refs[0]!, { requireVersion: true });
  const b = parsePromptRef(refs[1]!.includes('@') ? refs[1]! : `${a.id}@${refs[1]}`, { requireVersion: true });
  if (a.id !== b.id) throw new InputError({ message: `a comparison needs two versions of one prompt, got ${a.id} and ${b.id}` });
  if (a.version === b.version) throw new InputError({ message: `a comparison needs two different versions, got ${a.version} twice` });
  const fa = versionFile(project, a);
  const fb = versionFile(project, b);
  requireSuites(project, [fa, fb]);
  // A project without a registry reads as an empty one (in memory): no file is created.
  const registry = openProjectRegistry(project, { readonly: true });
  let stored: StoredVersion[];
  try {
    await refuseEdited(registry, [fa, fb]);
    stored = [await storedOutcomes(registry, project, fa, notes), await storedOutcomes(registry, project, fb, notes)];
  } finally {
    await registry.close();
  }
  if (stored.some((s) => s.missing.length)) throw missingRunsError('report', stored);
  return { promptId: a.id, a: fa.version, b: fb.version, outcomes: stored.flatMap((s) => s.outcomes) };
}

/** Opens the file with the platform's opener, detached; only on --open. */
function openInBrowser(ctx: CommandContext, file: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', file]] : ['xdg-open', [file]];
  const child = spawn(cmd as string, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', (err) => ctx.out.error(`could not open ${file} (${cmd}: ${err.message}); open it in a browser yourself`));
  child.unref();
}

/** Builds the data of a report from outcomes, with expectations from the suite files and the version history. */
async function reportData(
  ctx: CommandContext,
  project: Project,
  outcomes: RunOutcome[],
  extra: { title: string; comparison?: { promptId: string; a: string; b: string }; baselines?: EvalReport['baselines']; notes: string[] },
): Promise<ReportData> {
  const promptIds = [...new Set(outcomes.map((o) => o.run.promptId))];
  const models = new Set(outcomes.map((o) => o.run.model));
  let history: ReportData['history'] = [];
  if (existsSync(registryFile(project))) {
    const registry = openProjectRegistry(project, { readonly: true });
    try {
      const here = new Set(project.prompts.map((p) => `${p.id}@${p.version}`));
      history = await historyFor(registry, promptIds, models, (id, version) => here.has(`${id}@${version}`));
    } finally {
      await registry.close();
    }
  }
  return buildReportData({
    title: extra.title,
    generatedAt: ctx.clock.date().toISOString(),
    promptctlVersion: promptctlVersion(),
    outcomes,
    expectations: expectationsLookup(project),
    comparison: extra.comparison,
    baselines: extra.baselines,
    history,
    notes: extra.notes,
  });
}

function resultOf(file: string, d: ReportData): ReportResult {
  const t = d.totals[d.totals.length - 1]!;
  const result: ReportResult = { file, kind: d.kind, title: d.title, invocations: d.invocations, runs: d.runs.length, cases: t.cases, passed: t.passed, failed: t.failed, errored: t.errored, notRun: t.notRun };
  if (d.kind === 'compare') {
    result.changes = {};
    for (const c of d.cases) result.changes[c.change!] = (result.changes[c.change!] ?? 0) + 1;
  }
  return result;
}

function titleFor(outcomes: RunOutcome[], what: string): string {
  const versions = [...new Set(outcomes.map((o) => `${o.run.promptId}@${o.run.version}`))];
  return versions.length <= 2 ? `${versions.join(', ')} — ${what}` : `${what[0]!.toUpperCase()}${what.slice(1)} — ${versions.length} versions`;
}

/**
 * When ci evaluated one version and the baseline environment runs another whose runs are stored:
 * that version (a) against the candidate (b), case by case, like `promptctl report <a> <b>`. With
 * more versions evaluated, or no stored run of the deployed one, the report stays a run report.
 */
async function deployedComparison(
  project: Project,
  report: EvalReport,
  notes: string[],
): Promise<{ outcomes: RunOutcome[]; comparison: { promptId: string; a: string; b: string } } | undefined> {
  const first = report.runs[0]?.run;
  if (!first || report.runs.some((o) => o.run.promptId !== first.promptId || o.run.version !== first.version)) return undefined;
  const deployed = report.baselines.find((b) => b.promptId === first.promptId && b.version === first.version)?.baselineVersion;
  const file = deployed && deployed !== first.version ? project.prompts.find((p) => p.id === first.promptId && p.version === deployed) : undefined;
  if (!file) return undefined;
  const registry = openProjectRegistry(project, { readonly: true });
  let stored: StoredVersion;
  try {
    stored = await storedOutcomes(registry, project, file, notes);
  } finally {
    await registry.close();
  }
  if (!stored.outcomes.length) return undefined;
  return { outcomes: [...stored.outcomes, ...report.runs], comparison: { promptId: first.promptId, a: file.version, b: first.version } };
}

/** `ci --html`: the report of the pull request's evaluation, side by side with the deployed version when it can be. */
export async function writeHtmlReport(ctx: CommandContext, report: EvalReport, file: string): Promise<ReportResult> {
  const project = loadProject(ctx.cwd);
  const notes = report.aborted ? [`the evaluation stopped early (${report.aborted}); cases not sent are shown as not run`] : [];
  const cmp = await deployedComparison(project, report, notes);
  const d = cmp
    ? await reportData(ctx, project, cmp.outcomes, { title: `${cmp.comparison.promptId}: ${cmp.comparison.b} vs deployed ${cmp.comparison.a} — pull request report`, comparison: cmp.comparison, baselines: report.baselines, notes })
    : await reportData(ctx, project, report.runs, { title: titleFor(report.runs, 'pull request report'), baselines: report.baselines, notes });
  return resultOf(writeOutputFile(ctx.cwd, file, renderHtml(d), { option: '--html' }), d);
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReportResult>> {
  const opts = ReportOptions.parse(raw);
  checkOutputPath(ctx.cwd, opts.output, { option: '-o' });
  if (opts.refs.length > 2) {
    throw new InputError({ message: `report takes at most two arguments, got ${opts.refs.length}`, hint: 'promptctl report [<run-id> | <invocation-id> | <id>@<a> <id>@<b>] [-o report.html]' });
  }
  const project = loadProject(ctx.cwd);
  const notes: string[] = [];
  let d: ReportData;
  if (opts.refs.length === 2) {
    const cmp = await comparisonOutcomes(project, opts.refs, notes);
    d = await reportData(ctx, project, cmp.outcomes, { title: `${cmp.promptId}: ${cmp.a} vs ${cmp.b}`, comparison: { promptId: cmp.promptId, a: cmp.a, b: cmp.b }, notes });
  } else {
    if (opts.refs[0]?.includes('@')) {
      throw new InputError({ message: `"${opts.refs[0]}" is a version, not a run`, hint: `give a run or invocation id, or two versions to compare: promptctl report ${opts.refs[0]} <id>@<other version>` });
    }
    const registry = openExistingRegistry(project);
    let outcomes: RunOutcome[];
    try {
      outcomes = [];
      for (const r of await selectRuns(registry, opts.refs[0])) {
        const suite = project.suites.find((s) => s.promptId === r.promptId && s.name === r.suite && s.hash === r.suiteHash);
        outcomes.push(await outcomeFromRegistry(registry, r, suite ? suiteSpec(suite) : undefined, notes));
      }
    } finally {
      await registry.close();
    }
    d = await reportData(ctx, project, outcomes, { title: titleFor(outcomes, 'eval report'), notes });
  }
  const result = resultOf(writeOutputFile(ctx.cwd, opts.output, renderHtml(d), { option: '-o' }), d);
  if (opts.open) openInBrowser(ctx, result.file);
  const rel = path.relative(ctx.cwd, result.file) || result.file;
  const changes = result.changes ? `; ${['regression', 'fix', 'changed', 'same-verdict'].map((k) => `${result.changes![k] ?? 0} ${k === 'same-verdict' ? 'changed outputs' : k === 'changed' ? 'other verdict changes' : k === 'fix' ? 'fixes' : 'regressions'}`).join(', ')}` : '';
  const line = `wrote ${rel}: ${result.title} — ${result.runs} run${result.runs === 1 ? '' : 's'}, ${result.cases} cases: ${result.passed} passed, ${result.failed} failed, ${result.errored} errors${result.notRun ? `, ${result.notRun} not run` : ''}${changes}`;
  return { data: result, text: () => [line, ...(opts.open ? [] : ['open it in a browser (or pass --open); it loads nothing from the network'])] };
}
