import { z } from 'zod';
import { InterruptedError, stopSignalOf, UnavailableError, type Problem } from '../core/errors.js';
import type { AttackPack } from '../core/attacks/pack-schema.js';
import type { LintOutcome } from '../core/lint/outcome.js';
import { onePerPlace } from '../core/lint/shared-rows.js';
import { byCodeUnits } from '../core/order.js';
import { staticMessages, variableAllowance } from '../core/lint/prompt-rules.js';
import { modelFor } from '../infra/eval/suite-target.js';
import { modelsSentTo, preflightSentTo, unservedModelProblems } from './lint-models.js';
import { placesNaming } from './unserved-model.js';
import { lintFiles, unloadedPrompts } from '../infra/lint-files.js';
import { unknownUntrustedNames } from '../core/lint/untrusted-names.js';
import { CONFIG_FILE, type Project } from '../infra/project.js';
import { lintSelection, loadLinted } from './lint-selection.js';
import { registeredEditProblems } from '../infra/registered-edits.js';
import { uncommittedSuiteDeletions } from '../infra/deleted-suites.js';
import { idleRetirements } from '../core/gone-suites.js';
import { suitesHereIn } from '../infra/gone-suites.js';
import { appContext, type AppOptions, type Env } from './context.js';
import { optionSet, type OptionNames } from '../core/option-names.js';
import { callback, parseOptions } from './options.js';
import { checkedProgress, type ProgressCallback } from './progress.js';
import { groupBy } from '../core/group.js';
import { withGitMemo } from '../infra/git-memo.js';

/** `--server` on the command line, `server: true` in a script. */
const serverOption = (names: OptionNames) => optionSet(names, 'server');
const lintOnServer = (names: OptionNames) => `lint ${names === 'flags' ? '' : 'with '}${serverOption(names)}`;

/** Linting a project: the validation stage. Errors exit 2, and warnings too under `strict`. */

export type { LintOutcome } from '../core/lint/outcome.js';

export const LintOptions = z.object({
  /** Files or folders to check, relative to `cwd`; none means the whole project. */
  paths: z.array(z.string()).default([]),
  /** Warnings count as errors. */
  strict: z.boolean().default(false),
  /** Exact token counts for token budgets from the server's /tokenize. */
  server: z.boolean().default(false),
});
export type LintOptions = z.input<typeof LintOptions>;

/** Something worth a line on stderr while linting (a replica the server check left out). */
export interface LintProgress {
  type: 'warning';
  message: string;
}

export interface LintResult {
  outcome: LintOutcome;
  strict: boolean;
  /** Every warning also sent to `onProgress`, for a caller that reads them afterwards. */
  warnings: string[];
  /** 2 when an error remains (warnings count under `strict`), else 0. */
  exitCode: 0 | 2;
}

/** Lints a loaded project. Shared with `ci`, which lints the changed files. */
export function lintProject(
  project: Project,
  opts: { only?: (file: string) => boolean; strict: boolean; knownAttackSets?: string[]; attackPacks?: readonly AttackPack[]; exactTokens?: Map<string, number> },
): LintOutcome {
  const declared = new Set(project.prompts.flatMap((p) => p.data.variables.map((v) => v.name)));
  const unknown = unloadedPrompts(project).size ? [] : unknownUntrustedNames(project.config.lint.untrusted_variables, declared, CONFIG_FILE, project.configLocate);
  const all: Problem[] = [...project.problems, ...lintFiles(project, project, opts), ...unknown];
  const keep = withDataFiles(opts.only, project, all);
  // A suite's summary of its data file's rows is for commands that read suites only: lint lists each
  // row's problem itself, once, however many suites read the file, naming those suites.
  const summaries = all.filter((p): p is Problem & { summarizes: string } => p.summarizes !== undefined);
  const readers = groupBy(summaries, (p) => p.summarizes, (p) => p.file);
  const problems = onePerPlace(all.filter((p) => p.summarizes === undefined), readers);
  const kept = problems
    .filter((p) => keep(p.file))
    .map((p) => (opts.strict && p.severity === 'warning' ? { ...p, severity: 'error' as const } : p))
    .sort(byPosition);
  // The config is checked too (its schema, retired_suites): counted like any file, so `lint .promptrc.yaml` does not say 0 files.
  // A suite's data file is checked row by row: counted when clean too, so `lint data/golden.csv` does not say 0 files.
  const dataFiles = project.suites.flatMap((s) => (s.dataset ? [s.dataset.file] : []));
  const files = new Set([CONFIG_FILE, ...project.prompts.map((p) => p.file), ...project.suites.map((s) => s.file), ...dataFiles, ...all.map((p) => p.file)]);
  return {
    files: [...files].filter(keep).length,
    errors: kept.filter((p) => p.severity === 'error').length,
    warnings: kept.filter((p) => p.severity === 'warning').length,
    problems: kept,
  };
}

/**
 * The files `only` selects plus the data file (`cases_from.file`) of every suite it selects: linting
 * a suite lints its rows. Everything when `only` is unset.
 */
function withDataFiles(only: ((file: string) => boolean) | undefined, project: Project, problems: Problem[]): (file: string) => boolean {
  if (!only) return () => true;
  const data = new Set<string>();
  for (const s of project.suites) if (s.dataset && only(s.file)) data.add(s.dataset.file);
  // A suite refused for its rows is not among project.suites: its summary names the data file.
  for (const p of problems) if (p.summarizes !== undefined && only(p.file)) data.add(p.summarizes);
  return (file) => only(file) || data.has(file);
}

function byPosition(x: Problem, y: Problem): number {
  return byCodeUnits(x.file, y.file) || x.line - y.line || x.col - y.col;
}

/**
 * Suites going without a reviewed retirement, as eval and deploy would refuse them (a tracked suite
 * file deleted and not committed), and `retired_suites` entries that retire nothing.
 */
function suiteRetirementProblems(project: Project): Problem[] {
  const present = new Set(project.config.retired_suites.filter((entry) => {
    const [promptId, suite] = entry.split('/') as [string, string];
    return suitesHereIn(project, promptId).here.has(suite);
  }));
  const promptIds = new Set([...project.prompts.map((p) => p.id), ...project.suites.map((s) => s.promptId)]);
  return [...uncommittedSuiteDeletions(project), ...idleRetirements(project.config.retired_suites, present, promptIds, project.configLocate)];
}

/**
 * `server`: exact token counts of each budgeted prompt's static text from vLLM's /tokenize, plus
 * the variables' allowance at their max_length. A server without /tokenize leaves the estimate.
 */
async function countTokensOnServer(env: Env, project: Project, warn: (message: string) => void, only: ((file: string) => boolean) | undefined, signal: AbortSignal | undefined, names: OptionNames): Promise<ServerCounts> {
  try {
    return await countTokens(env, project, warn, only, signal, names);
  } catch (error) {
    // Ctrl-C (or the caller's signal) while the server is asked: exit 130/143/129, not the server's failure.
    const stopped = stopSignalOf(signal);
    if (stopped) throw new InterruptedError({ signal: stopped, message: 'interrupted while counting tokens on the server', why: `${lintOnServer(names)} asks the server for each budgeted version; it was stopped before it had every count, so nothing was judged.`, hint: `run the same ${names === 'flags' ? 'command' : 'call'} again (or lint without ${serverOption(names)} to estimate).` });
    throw error;
  }
}

/** Exact counts by file, the budgets only estimated, and the models the server lists. */
interface ServerCounts {
  counts: Map<string, number>;
  estimated: Project['prompts'];
  served: string[];
  /** The models eval and deploy send to (modelsSentTo), asked once for the preflight and the errors. */
  sent: Set<string>;
}

async function countTokens(env: Env, project: Project, warn: (message: string) => void, only: ((file: string) => boolean) | undefined, signal: AbortSignal | undefined, names: OptionNames): Promise<ServerCounts> {
  const { clientFromConfig } = await import('../infra/model/from-config.js');
  const { client } = clientFromConfig(project.config, env);
  const sent = modelsSentTo(project);
  const checked = await preflightSentTo(client, project, sent, signal);
  // A replica left out (down, or not serving the model) is worth a line: lint --server checks the server too.
  for (const w of checked.warnings ?? []) warn(`warning: ${w}`);
  const out = new Map<string, number>();
  const estimated: Project['prompts'] = [];
  for (const p of project.prompts) {
    if (p.data.token_budget === undefined || (only && !only(p.file))) continue;
    const model = modelFor(project, p);
    // A model the server does not serve cannot count: the setting naming it is an error (lint-models.ts).
    if (!checked.models.includes(model)) continue;
    let counted: number | undefined;
    try {
      counted = await client.tokenize(model, { messages: staticMessages(p.data) }, signal);
    } catch (error) {
      // Which version and model the count was for: the server's own words name neither file nor fix.
      const estimate = names === 'flags' ? '`promptctl lint` without --server' : 'lint without server: true';
      const failed = error as Error & { status?: number; transient?: boolean; attempts?: number };
      const { keyHint } = await import('../infra/model/preflight.js');
      // The hint fits the cause: a refused key, a server still busy after the retries, else the model.
      const hint =
        failed.status === 401 || failed.status === 403
          ? keyHint(project.config.server.api_key_env, env[project.config.server.api_key_env ?? ''])
          : failed.transient
            ? `the server was busy or down through ${failed.attempts ?? 1} attempts: run the same ${names === 'flags' ? 'command' : 'call'} again once it answers, or ${estimate} estimates meanwhile.`
            : `check that the server serves ${model}, or fix the setting naming it (${namedAt(project, model, p.file)}); ${estimate} estimates instead.`;
      throw new UnavailableError({
        message: `${lintOnServer(names)} could not count the tokens of ${p.file} on ${model}: ${failed.message}`,
        why: "the token_budget check counts with the tokenizer of the model the version runs on, on the server that serves it.",
        hint,
        cause: error,
      });
    }
    if (counted !== undefined) out.set(p.file, counted + variableAllowance(p.data));
    else estimated.push(p);
  }
  return { counts: out, estimated, served: checked.models, sent };
}

/** Where the model a version counts on is named (the settings themselves: `config --effective` shows gates, not models); a version's own pin is the place to fix. */
function namedAt(project: Project, model: string, file: string): string {
  const places = placesNaming(project, model).map((s) => s.place);
  return places.length ? places.join(', ') : `model.model in ${file}`;
}

/** Asked for exact counts: an estimate in their place says so, or a budget passes on a guess (and `--strict` counts it). */
function estimatedProblem(p: Project['prompts'][number], names: OptionNames): Problem {
  const at = p.locate(['token_budget']);
  return {
    file: p.file,
    line: at.line,
    col: at.col,
    field: 'token_budget',
    severity: 'warning',
    rule: 'budget/estimated',
    message: `estimated, not counted: the server has no /tokenize (not vLLM, or behind a proxy that hides it), so ${serverOption(names)} could not count this version's tokens`,
  };
}

/**
 * Versions the default branch released where this checkout left it, edited since: errors as eval,
 * deploy and ci refuse them (git's word; the registry's own `version/edited` already names a file
 * it released, so that file is not said twice).
 */
async function editedOnBase(project: Project, env: Env, only: ((file: string) => boolean) | undefined, registered: readonly Problem[]): Promise<Problem[]> {
  const said = new Set(registered.filter((p) => p.rule === 'version/edited').map((p) => p.file));
  const files = project.prompts.filter((p) => (!only || only(p.file)) && !said.has(p.file));
  return (await import('./released-on-base.js')).editedOnBaseProblems(project, env, files);
}

/** This branch's drafts whose numbers the default branch took meanwhile: errors as eval, deploy and ci refuse them. */
async function numbersTaken(project: Project, env: Env, only: ((file: string) => boolean) | undefined): Promise<Problem[]> {
  return (await (await import('./deploy-number.js')).numberTakenProblems(project, project.prompts.filter((p) => !only || only(p.file)), env)).problems;
}

/** One memo of git's answers for the command: what the default branch released, then which numbers it took, ask the same questions. */
export async function lint(opts: LintOptions & AppOptions & { onProgress?: ProgressCallback<LintProgress> }): Promise<LintResult> {
  return withGitMemo(() => lintNow(opts));
}

async function lintNow(opts: LintOptions & AppOptions & { onProgress?: ProgressCallback<LintProgress> }): Promise<LintResult> {
  const { paths, strict, server } = parseOptions('lint', LintOptions, opts, { onProgress: callback });
  const { cwd, env, signal, optionNames } = appContext(opts);
  const project = loadLinted(cwd, paths, { server: Boolean(server), env, optionNames });
  const only = lintSelection(cwd, project, paths);
  const warnings: string[] = [];
  // As eval's: an async callback's rejection fails the call (exit 70), never an unhandled rejection.
  const progress = checkedProgress<LintProgress>(opts.onProgress, (e) => warnings.push(e.message), signal);
  const warn = (message: string) => progress.onProgress({ type: 'warning', message });
  const { attackLintOptions } = await import('../infra/eval/attacks.js');
  const counted = server ? await countTokensOnServer(env, project, warn, only, signal, optionNames) : undefined;
  const linted = lintProject(project, { only, strict, ...attackLintOptions(), exactTokens: counted?.counts });
  // Read-only: an edited registered version is an error here too, not only in ci (which asks git).
  // A model the server does not serve is said at the config's settings too, whatever files are
  // named: the versions named run on them, and their budgets went uncounted for it.
  const unserved = counted ? unservedModelProblems(project, counted.sent, counted.served) : [];
  const registered = await registeredEditProblems(project, env);
  const edits = [...registered, ...(await editedOnBase(project, env, only, registered)), ...(await numbersTaken(project, env, only)), ...(counted?.estimated ?? []).map((p) => estimatedProblem(p, optionNames)), ...suiteRetirementProblems(project), ...unserved]
    .filter((p) => !only || only(p.file) || (unserved.includes(p) && p.file === CONFIG_FILE))
    .map((p) => (strict && p.severity === 'warning' ? { ...p, severity: 'error' as const } : p));
  const outcome: LintOutcome = {
    ...linted,
    errors: linted.errors + edits.filter((p) => p.severity === 'error').length,
    warnings: linted.warnings + edits.filter((p) => p.severity === 'warning').length,
    problems: [...linted.problems, ...edits].sort(byPosition),
  };
  await progress.settled();
  return { outcome, strict, warnings, exitCode: outcome.errors ? 2 : 0 };
}
