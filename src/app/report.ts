import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError, InterruptedError, stopSignalOf } from '../core/errors.js';
import type { BaselineComparison, EvalReport, RunOutcome } from '../core/schemas/report.js';
import { missingRunsError, storedOutcomes, type StoredVersion } from '../infra/eval/stored-runs.js';
import { requireSuites } from '../infra/eval/targets.js';
import { COMPARED_WHY, comparedFiles, requireSoundPromptFiles } from './sound-files.js';
import { promptctlVersion } from '../infra/package-paths.js';
import { loadProject, type Project, type PromptFile } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { lookupIfPresent } from '../infra/project-query.js';
import { checkOutputPath, stopWhenAborted, WRITE_REPORT_AGAIN, writeOutputChunks } from '../infra/output-file.js';
import { isStdoutPath } from '../core/stdout-path.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { RegistryAccess } from '../infra/registry-access.js';
import { requireEditableVersions } from '../infra/version-states.js';
import type { Registry } from '../infra/registry/types.js';
import { projectRegistryTarget } from '../infra/registry-path.js';
import { appContext, type AppContext, type AppOptions, type Env } from './context.js';
import { NoOptions, objectOption, parseOptions } from './options.js';
import { outcomesOnOneScorer } from './compare-scorers.js';
import { otherWeightsNotes, sameVersionTwice, sharedSuites, sideOf, versionsBeside } from './compare-sides.js';
import { expectationsLookup, historyFor, outcomeFromRegistry, suiteSpec, type ExpectationsLookup, type HistorySeries } from './report-sources.js';
import { messageTemplatesLookup, outcomesWithInputs } from './report-inputs.js';
import { selectReportedRuns } from './report-runs.js';
import { reportedVersions } from './report-refs.js';

export { selectRuns } from './report-runs.js';

/**
 * The data of `promptctl report [<run-id> | <id>@<a> <id>@<b>]`: a run (or every run of one `eval`
 * invocation) or a comparison of two versions, read from the registry; nothing is ever written to
 * it. A comparison whose runs are missing is exit 2 naming the `promptctl eval` that records them.
 * The HTML is the caller's (src/render/html); `writeReportFile` writes it.
 */

export const ReportOptions = z.object({
  refs: z.array(z.string().min(1)).default([]),
  output: z.string().min(1).default('report.html'),
  open: z.boolean().default(false),
});
export type ReportOptions = z.input<typeof ReportOptions>;

/** Everything a report shows, before it is laid out. */
export interface ReportSources {
  title: string;
  generatedAt: string;
  promptctlVersion: string;
  outcomes: RunOutcome[];
  expectations: ExpectationsLookup;
  messageTemplates: ReturnType<typeof messageTemplatesLookup>;
  comparison?: { promptId: string; a: string; b: string };
  baselines?: BaselineComparison[];
  history: HistorySeries[];
  notes: string[];
}

function registryFile(project: Project): string {
  return path.resolve(project.root, project.config.registry.path);
}

/** A PostgreSQL registry always exists (its schema is checked on connecting); a SQLite one is a file. */
function hasRegistry(project: Project, env: Env): boolean {
  return projectRegistryTarget(project, env).backend === 'postgres' || existsSync(registryFile(project));
}

export function openExistingRegistry(project: Project, { env, clock }: RegistryAccess): Registry {
  if (!hasRegistry(project, env)) {
    throw new InputError({
      message: 'the registry has no runs yet',
      why: `there is no registry at ${path.relative(project.root, registryFile(project)) || registryFile(project)}`,
      hint: 'run the suites first: promptctl eval',
    });
  }
  return openProjectRegistry(project, { readonly: true, env, clock });
}


/** The stored outcomes of each file's suites (of `only`, when given). */
async function storedOf(project: Project, access: RegistryAccess, files: PromptFile[], notes: string[], only?: string[]): Promise<StoredVersion[]> {
  // A project without a registry reads as an empty one (in memory): no file is created.
  const registry = openProjectRegistry(project, { readonly: true, ...access });
  try {
    await requireEditableVersions(registry, files, project);
    const stored: StoredVersion[] = [];
    for (const f of files) stored.push(await storedOutcomes(registry, project, f, notes, only));
    return stored;
  } finally {
    await registry.close();
  }
}

/**
 * Both versions' counting runs of every suite they share (compare's rule, `sharedSuites`: a suite
 * one version alone runs is named in a note, its runs neither needed nor read), read only: a report
 * never evaluates (it would send requests and write runs and tested marks).
 */
async function comparisonOutcomes(project: Project, access: AppContext, refs: string[], notes: string[]) {
  const { a, b } = reportedVersions(project, refs);
  if (a.version === b.version) throw sameVersionTwice(project, a.id, a.version!, 'report', await withStoredRuns(project, access, a.id, versionsBeside(project, a.id, a.version!)));
  // The one rule for a named version; one whose file was deleted is read by its registered content, whose runs are stored.
  const lookup = lookupIfPresent(project, access.env);
  const sides = [await sideOf(project, a, lookup), await sideOf(project, b, lookup)] as const;
  const [fa, fb] = [sides[0].file, sides[1].file];
  await requireSoundPromptFiles(project, [a.id], { env: access.env, why: COMPARED_WHY, compared: comparedFiles(project, [fa, fb]) });
  requireSuites(project, [fa, fb]);
  const shared = sharedSuites(project, sides, [fa.version, fb.version], { only: [], optionNames: access.optionNames }, notes);
  const stored = await storedOf(project, access, [fa, fb], notes, shared);
  if (stored.some((s) => s.missing.length)) throw missingRunsError('report', stored);
  const onOneScorer = await outcomesOnOneScorer(project, access, [stored[0]!.outcomes, stored[1]!.outcomes], notes);
  notes.push(...otherWeightsNotes({ promptId: a.id, versions: [fa.version, fb.version], labels: [fa.version, fb.version] }, onOneScorer));
  return { comparison: { promptId: a.id, a: fa.version, b: fb.version }, outcomes: onOneScorer.flat() };
}

/** The first of `versions` of `id` whose applying suites all have stored runs: what a report can compare it with; null when none. */
async function withStoredRuns(project: Project, access: RegistryAccess, id: string, versions: string[]): Promise<string | null> {
  for (const version of versions) {
    const file = project.prompts.find((p) => p.id === id && p.version === version);
    // A version the registry refuses (edited after release) is no suggestion.
    const [stored] = file ? await storedOf(project, access, [file], []).catch(() => []) : [];
    if (stored && stored.outcomes.length && !stored.missing.length) return version;
  }
  return null;
}

/** The outcomes of the runs `ref` names (or of the latest invocation). */
async function runOutcomes(project: Project, access: RegistryAccess, ref: string | undefined, notes: string[]): Promise<RunOutcome[]> {
  const registry = openExistingRegistry(project, access);
  try {
    const outcomes: RunOutcome[] = [];
    for (const r of await selectReportedRuns(registry, project, ref)) {
      const suite = project.suites.find((s) => s.promptId === r.promptId && s.name === r.suite && s.hash === r.suiteHash);
      outcomes.push(await outcomeFromRegistry(registry, r, suite ? suiteSpec(suite) : undefined, notes));
    }
    return outcomes;
  } finally {
    await registry.close();
  }
}

/** The version chart's series (empty without a registry), and the lookups a report needs. */
export async function sourcesOf(
  opts: AppOptions,
  project: Project,
  outcomes: RunOutcome[],
  extra: { title: string; comparison?: ReportSources['comparison']; baselines?: BaselineComparison[]; notes: string[] },
): Promise<ReportSources> {
  const promptIds = [...new Set(outcomes.map((o) => o.run.promptId))];
  const models = new Set(outcomes.map((o) => o.run.model));
  let history: HistorySeries[] = [];
  const { env, clock } = appContext(opts);
  if (hasRegistry(project, env)) {
    const registry = openProjectRegistry(project, { readonly: true, env, clock });
    try {
      const contents = new Map(project.prompts.map((p) => [`${p.id}@${p.version}`, p.hash]));
      history = await historyFor(registry, promptIds, models, {
        contentHash: (id, version) => contents.get(`${id}@${version}`),
        suiteHash: (id, suite) => project.suites.find((x) => x.promptId === id && x.name === suite)?.hash,
      });
    } finally {
      await registry.close();
    }
  }
  const generatedAt = appContext(opts).clock.date().toISOString();
  return { ...extra, generatedAt, promptctlVersion: promptctlVersion(), outcomes: outcomesWithInputs(project, outcomes), expectations: expectationsLookup(project), messageTemplates: messageTemplatesLookup(project), history };
}

export function titleFor(outcomes: RunOutcome[], what: string): string {
  const versions = [...new Set(outcomes.map((o) => `${o.run.promptId}@${o.run.version}`))];
  return versions.length <= 2 ? `${versions.join(', ')} — ${what}` : `${what[0]!.toUpperCase()}${what.slice(1)} — ${versions.length} versions`;
}

/** What `promptctl report` shows: a run, an invocation, the latest invocation, or two versions compared. */
/** `reportSources`: up to two refs, as `promptctl report` takes them. */
export const ReportSourcesOptions = ReportOptions.pick({ refs: true });

export async function reportSources(opts: z.input<typeof ReportSourcesOptions> & AppOptions): Promise<ReportSources> {
  const { refs } = parseOptions('reportSources', ReportSourcesOptions, opts);
  if (refs.length > 2) {
    throw new InputError({ message: `report takes at most two arguments, got ${refs.length}`, hint: 'promptctl report [<run-id> | <invocation-id> | <id>@<a> <id>@<b>] [-o report.html]' });
  }
  const project = loadProject(opts.cwd, { env: appContext(opts).env, optionNames: appContext(opts).optionNames });
  await withRegisteredForms(project, { env: appContext(opts).env, clock: appContext(opts).clock, signal: appContext(opts).signal });
  const access = appContext(opts);
  const notes: string[] = [];
  if (refs.length === 2) {
    const { comparison, outcomes } = await comparisonOutcomes(project, access, refs, notes);
    return sourcesOf(opts, project, outcomes, { title: `${comparison.promptId}: ${comparison.a} vs ${comparison.b}`, comparison, notes });
  }
  if (refs[0]?.includes('@')) {
    throw new InputError({ message: `"${refs[0]}" is a version, not a run`, hint: `give a run or invocation id, or two versions to compare: promptctl report ${refs[0]} <id>@<other version>` });
  }
  const outcomes = await runOutcomes(project, access, refs[0], notes);
  return sourcesOf(opts, project, outcomes, { title: titleFor(outcomes, 'eval report'), notes });
}

/**
 * When ci evaluated one version and the baseline environment runs another whose runs are stored:
 * that version (a) against the candidate (b), case by case, like `promptctl report <a> <b>`. With
 * more versions evaluated, or no stored run of the deployed one, the report stays a run report.
 */
async function deployedComparison(project: Project, access: RegistryAccess, report: EvalReport, notes: string[]) {
  const first = report.runs[0]?.run;
  if (!first || report.runs.some((o) => o.run.promptId !== first.promptId || o.run.version !== first.version)) return undefined;
  const deployed = report.baselines.find((b) => b.promptId === first.promptId && b.version === first.version)?.baselineVersion;
  const file = deployed && deployed !== first.version ? project.prompts.find((p) => p.id === first.promptId && p.version === deployed) : undefined;
  if (!file) return undefined;
  const registry = openProjectRegistry(project, { readonly: true, ...access });
  let stored: StoredVersion;
  try {
    stored = await storedOutcomes(registry, project, file, notes, undefined, undefined, undefined, 'baseline');
  } finally {
    await registry.close();
  }
  if (!stored.outcomes.length) return undefined;
  const sides = await outcomesOnOneScorer(project, access, [stored.outcomes, report.runs], notes);
  notes.push(...otherWeightsNotes({ promptId: first.promptId, versions: [file.version, first.version], labels: [file.version, first.version] }, sides));
  return { outcomes: sides.flat(), comparison: { promptId: first.promptId, a: file.version, b: first.version } };
}

/** `ci --html`: the pull request's evaluation, side by side with the deployed version when it can be. */
export async function evalReportSources(opts: AppOptions & { report: EvalReport }): Promise<ReportSources> {
  parseOptions('evalReportSources', NoOptions, opts, { report: objectOption });
  const { report } = opts;
  const project = loadProject(opts.cwd, { env: appContext(opts).env, optionNames: appContext(opts).optionNames });
  await withRegisteredForms(project, { env: appContext(opts).env, clock: appContext(opts).clock, signal: appContext(opts).signal });
  const notes = report.aborted ? [`the evaluation stopped early (${report.aborted}); cases not sent are shown as not run`] : [];
  const cmp = await deployedComparison(project, appContext(opts), report, notes);
  return cmp
    ? sourcesOf(opts, project, cmp.outcomes, { title: `${cmp.comparison.promptId}: ${cmp.comparison.b} vs deployed ${cmp.comparison.a} — pull request report`, comparison: cmp.comparison, baselines: report.baselines, notes })
    : sourcesOf(opts, project, report.runs, { title: titleFor(report.runs, 'pull request report'), baselines: report.baselines, notes });
}

/** A mistyped output path fails before anything is read. */
export function checkReportFile(cwd: string, file: string, option: string, print = false): void {
  if (!(print && isStdoutPath(file))) checkOutputPath(cwd, file, { option });
}

/** A report stopped by a signal (Ctrl-C) before its file was whole: nothing is left at the path. */
function reportStopped(signal: AbortSignal | undefined) {
  return signal && {
    signal,
    stopped: () => new InterruptedError({ signal: stopSignalOf(signal)!, message: 'interrupted while writing the report: no file was written', why: 'a report file is written whole or not at all, so the part written was removed.', hint: 'run the same command again (the runs it shows are recorded).' }),
  };
}

/**
 * Writes the report's HTML, unless `signal` aborted while it was made; returns the absolute path
 * written. `print`: where `-` (standard output, core/stdout-path.ts) goes, for `report -o -`.
 */
export async function writeReportFile(cwd: string, file: string, html: string, option: string, signal?: AbortSignal, print?: (text: string) => void): Promise<string> {
  return writeReportChunks(cwd, file, (async function* () { yield html; })(), option, signal, print);
}

/** Writes the report's HTML chunk by chunk as it is made, stopping when `signal` aborts; returns the absolute path written (`-` for `print`). */
export async function writeReportChunks(cwd: string, file: string, chunks: AsyncIterable<string>, option: string, signal?: AbortSignal, print?: (text: string) => void): Promise<string> {
  const stop = reportStopped(signal);
  // Made in one go, the HTML gave a signal no turn to be heard: heard here, before anything is written.
  if (stop) await stopWhenAborted(stop);
  if (!print || !isStdoutPath(file)) return writeOutputChunks(cwd, file, chunks, { option, again: WRITE_REPORT_AGAIN, ...(stop ? { stop } : {}) });
  for await (const chunk of chunks) {
    print(chunk);
    if (stop) await stopWhenAborted(stop);
  }
  return file;
}

export { openInBrowser as openReportFile } from '../infra/open-file.js';
