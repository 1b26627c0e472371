import path from 'node:path';
import { z } from 'zod';
import { planCi, type CiPlan } from '../core/ci/plan.js';
import { InputError, type Problem } from '../core/errors.js';
import { parsePromptRef, sortVersionsDesc } from '../core/refs.js';
import type { EvalReport } from '../core/schemas/report.js';
import { changedFiles, defaultBaseRef } from '../infra/git.js';
import { appendOutputFile, writeOutputFile } from '../infra/output-file.js';
import { loadProject, type Project } from '../infra/project.js';
import { suitesFor } from '../infra/eval/targets.js';
import type { CommandContext, CommandResult } from './context.js';
import { comparableText } from './diff.js';
import { checkReportPaths, evaluate, EvalOptions, exitCodeFor } from './eval.js';
import { lintProject, type LintOutcome } from './lint.js';

/**
 * `promptctl ci`: the pull-request gate. Lints what changed, evaluates new versions (and versions
 * whose suites changed), compares them with the version deployed in the baseline environment,
 * writes JUnit and a Markdown summary, and exits 0, 1 (a gate failed), 2 (bad files) or 3 (server).
 */

export const CiOptions = z.object({
  base: z.string().optional(),
  baseline: z.string().optional(),
  junit: z.string().optional(),
  summary: z.string().optional(),
  html: z.string().optional(),
});

export interface CiResult {
  base: string;
  baseline: string;
  plan: CiPlan;
  lint: LintOutcome;
  notEvaluated: Array<{ ref: string; why: string }>;
  report?: EvalReport;
  diffs: Array<{ ref: string; against: string | null; patch: string }>;
  verdict: 'passed' | 'nothing-changed' | 'lint-failed' | 'gate-failed' | 'server-unavailable';
  exitCode: number;
}

function shapeOf(project: Project) {
  const versions = new Map<string, string[]>();
  for (const p of project.prompts) versions.set(p.id, [...(versions.get(p.id) ?? []), p.version]);
  return { versions, suites: project.suites.map((s) => ({ promptId: s.promptId, name: s.name, file: s.file, range: s.data.versions })) };
}

/** The new version against the one before it (the next lower semver in the tree). */
function diffsFor(project: Project, refs: string[], createTwoFilesPatch: typeof import('diff').createTwoFilesPatch): CiResult['diffs'] {
  const defaults = { model: project.config.server.model, ...project.config.defaults };
  return refs.map((text) => {
    const ref = parsePromptRef(text);
    const file = project.prompts.find((p) => p.id === ref.id && p.version === ref.version)!;
    const ordered = sortVersionsDesc(project.prompts.filter((p) => p.id === ref.id).map((p) => p.version));
    const lower = ordered[ordered.indexOf(ref.version!) + 1];
    const before = lower ? project.prompts.find((p) => p.id === ref.id && p.version === lower)! : undefined;
    const patch = createTwoFilesPatch(before?.file ?? '/dev/null', file.file, before ? comparableText(before.data, defaults) : '', comparableText(file.data, defaults), lower ?? '', ref.version!, { context: 3 });
    return { ref: text, against: lower ?? null, patch };
  });
}

export async function runCi(ctx: CommandContext, raw: unknown): Promise<CiResult> {
  const opts = CiOptions.parse(raw);
  const project = loadProject(ctx.cwd);
  const envs = project.config.environments.map((e) => e.name);
  const baseline = opts.baseline ?? envs[envs.length - 1]!;
  if (!envs.includes(baseline)) throw new InputError({ message: `--baseline ${baseline} is not an environment`, hint: `environments: ${envs.join(', ')}` });
  const base = opts.base ?? defaultBaseRef(ctx.env);
  const plan = planCi(changedFiles(project.root, base), shapeOf(project));
  const lintFiles = new Set(plan.lintFiles);
  const { listAttackSetNames } = await import('../infra/eval/attacks.js');
  const lint = lintProject(project, { only: (f) => lintFiles.has(f), strict: false, knownAttackSets: listAttackSetNames() });
  const edited: Problem[] = plan.editedVersions.map((file) => ({
    file,
    line: 1,
    col: 1,
    field: '',
    message: 'an existing version file was edited: versions are immutable, create a new version (promptctl new <id>) instead',
    severity: 'error',
    rule: 'version/edited',
  }));
  lint.problems.unshift(...edited);
  lint.errors += edited.length;
  const result: CiResult = { base, baseline, plan, lint, notEvaluated: [], diffs: [], verdict: 'passed', exitCode: 0 };
  if (plan.nothingChanged) return { ...result, verdict: 'nothing-changed' };
  if (lint.errors) return { ...result, verdict: 'lint-failed', exitCode: 2 };

  const withSuites = plan.evaluate.filter((e) => {
    const ref = parsePromptRef(e.ref);
    const file = project.prompts.find((p) => p.id === ref.id && p.version === ref.version);
    return file && suitesFor(project, file).length > 0;
  });
  result.notEvaluated = plan.evaluate.filter((e) => !withSuites.includes(e)).map((e) => ({ ref: e.ref, why: 'no suite applies to this version, so it cannot be tested' }));
  const { createTwoFilesPatch } = await import('diff');
  result.diffs = diffsFor(project, plan.evaluate.filter((e) => e.why === 'new version').map((e) => e.ref), createTwoFilesPatch);
  if (withSuites.length) {
    const { startProgress } = await import('../render/progress-sink.js');
    const progress = await startProgress(ctx.out);
    try {
      result.report = await evaluate(ctx, EvalOptions.parse({ refs: withSuites.map((e) => e.ref), baseline }), progress.onEvent, ctx.signal);
    } finally {
      await progress.stop();
    }
  }
  const code = result.report ? exitCodeFor(result.report) : 0;
  const regressions = result.report?.baselines.some((b) => b.suites.some((s) => s.regressions.length)) ?? false;
  if (code === 3) return { ...result, verdict: 'server-unavailable', exitCode: 3 };
  if (code === 1 || regressions || result.notEvaluated.length) return { ...result, verdict: 'gate-failed', exitCode: 1 };
  return result;
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<CiResult>> {
  const opts = CiOptions.parse(raw);
  checkReportPaths(ctx, opts);
  const result = await runCi(ctx, opts);
  const { ciMarkdown, ciText } = await import('../render/ci-summary.js');
  const md = ciMarkdown(result);
  if (opts.summary) writeOutputFile(ctx.cwd, opts.summary, md, { option: '--summary' });
  if (ctx.env.GITHUB_STEP_SUMMARY) appendOutputFile(ctx.cwd, ctx.env.GITHUB_STEP_SUMMARY, `${md}\n`, { option: '$GITHUB_STEP_SUMMARY' });
  if (opts.junit) {
    const { ciJUnit } = await import('../render/ci-summary.js');
    writeOutputFile(ctx.cwd, opts.junit, ciJUnit(result), { option: '--junit' });
  }
  let html: string | undefined;
  if (opts.html && result.report) {
    const { writeHtmlReport } = await import('./report.js');
    html = writeHtmlReport(ctx, result.report, opts.html).file;
  }
  const htmlLine = opts.html ? [html ? `HTML report: ${path.relative(ctx.cwd, html) || html}` : `no HTML report written: nothing was evaluated`] : [];
  return { data: result, exitCode: result.exitCode, text: () => [...ciText(result, { color: ctx.out.color }), ...htmlLine] };
}
