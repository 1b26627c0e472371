import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { formatProblem, InputError, type Problem } from '../core/errors.js';
import type { LintOutcome } from '../core/lint/outcome.js';
import { lintPrompt, staticMessages, variableAllowance } from '../core/lint/prompt-rules.js';
import { lintSuite } from '../core/lint/suite-rules.js';
import { loadProject, type Project } from '../infra/project.js';
import { registeredEditProblems } from '../infra/registered-edits.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl lint [paths...] [--strict]`: the validation stage; errors exit 2, and warnings too under --strict. */

export const LintOptions = z.object({
  paths: z.array(z.string()).default([]),
  strict: z.boolean().default(false),
  server: z.boolean().default(false),
});

/** Lints a loaded project. Shared with `ci`, which lints the changed files. */
export function lintProject(
  project: Project,
  opts: { only?: (file: string) => boolean; strict: boolean; knownAttackSets?: string[]; exactTokens?: Map<string, number> },
): LintOutcome {
  const keep = opts.only ?? (() => true);
  const untrustedVariables = project.config.lint.untrusted_variables;
  const problems: Problem[] = [...project.problems];
  for (const p of project.prompts) problems.push(...lintPrompt(p, { untrustedVariables, exactTokens: opts.exactTokens?.get(p.file) }));
  for (const s of project.suites) problems.push(...lintSuite(s, { prompts: project.prompts, knownAttackSets: opts.knownAttackSets }));
  const kept = problems
    .filter((p) => keep(p.file))
    .map((p) => (opts.strict && p.severity === 'warning' ? { ...p, severity: 'error' as const } : p))
    .sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.col - y.col);
  const files = new Set([...project.prompts.map((p) => p.file), ...project.suites.map((s) => s.file), ...problems.map((p) => p.file)]);
  return {
    files: [...files].filter(keep).length,
    errors: kept.filter((p) => p.severity === 'error').length,
    warnings: kept.filter((p) => p.severity === 'warning').length,
    problems: kept,
  };
}

/**
 * `--server`: exact token counts of each budgeted prompt's static text from vLLM's /tokenize, plus
 * the variables' allowance at their max_length. A server without /tokenize leaves the estimate.
 */
async function countTokensOnServer(ctx: CommandContext, project: Project, only?: (file: string) => boolean): Promise<Map<string, number>> {
  const { clientFromConfig } = await import('../infra/model/from-config.js');
  const { client } = clientFromConfig(project.config, ctx.env);
  // A replica left out (down, or not serving the model) is worth a line: lint --server checks the server too.
  for (const w of (await client.preflight(project.config.server.model)).warnings ?? []) ctx.out.error(`warning: ${w}`);
  const out = new Map<string, number>();
  for (const p of project.prompts) {
    if (p.data.token_budget === undefined || (only && !only(p.file))) continue;
    const model = p.data.model.model ?? project.config.defaults.model ?? project.config.server.model;
    const counted = await client.tokenize(model, { messages: staticMessages(p.data) });
    if (counted !== undefined) out.set(p.file, counted + variableAllowance(p.data));
  }
  return out;
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<LintOutcome>> {
  const opts = LintOptions.parse(raw);
  const project = loadProject(ctx.cwd);
  const wanted = opts.paths.map((p) => path.relative(project.root, path.resolve(ctx.cwd, p)).split(path.sep).join('/'));
  // A misspelt or outside path would otherwise check nothing and pass: a CI gate that lets all through.
  const outside = opts.paths.filter((_p, i) => wanted[i] === '..' || wanted[i]!.startsWith('../') || path.isAbsolute(wanted[i]!));
  const missing = opts.paths.filter((p) => !outside.includes(p) && !existsSync(path.resolve(ctx.cwd, p)));
  if (outside.length || missing.length) {
    throw new InputError({
      message: [missing.length ? `no such file or folder: ${missing.join(', ')}` : '', outside.length ? `outside the project: ${outside.join(', ')}` : ''].filter(Boolean).join('; '),
      why: `lint checks files inside the project at ${project.root}.`,
      hint: 'name files or folders of the project, e.g. `promptctl lint prompts/<id>`; run `promptctl lint` alone to check everything.',
    });
  }
  const only = wanted.length ? (file: string) => wanted.some((w) => w === '' || file === w || file.startsWith(`${w}/`)) : undefined;
  const { listAttackSetNames } = await import('../infra/eval/attacks.js');
  const exactTokens = opts.server ? await countTokensOnServer(ctx, project, only) : undefined;
  const linted = lintProject(project, { only, strict: opts.strict, knownAttackSets: listAttackSetNames(), exactTokens });
  // Read-only: an edited registered version is an error here too, not only in ci (which asks git).
  const edits = (await registeredEditProblems(project))
    .filter((p) => !only || only(p.file))
    .map((p) => (opts.strict && p.severity === 'warning' ? { ...p, severity: 'error' as const } : p));
  const outcome: LintOutcome = {
    ...linted,
    errors: linted.errors + edits.filter((p) => p.severity === 'error').length,
    warnings: linted.warnings + edits.filter((p) => p.severity === 'warning').length,
    problems: [...linted.problems, ...edits].sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.col - y.col),
  };
  return {
    data: outcome,
    exitCode: outcome.errors ? 2 : 0,
    text: () => [
      ...outcome.problems.map(formatProblem),
      `${outcome.files} file${outcome.files === 1 ? '' : 's'} checked: ${outcome.errors} error${outcome.errors === 1 ? '' : 's'}, ${outcome.warnings} warning${outcome.warnings === 1 ? '' : 's'}${opts.strict ? ' (--strict: warnings count as errors)' : ''}`,
    ],
  };
}
