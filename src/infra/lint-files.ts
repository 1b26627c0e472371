import type { AttackPack } from '../core/attacks/pack-schema.js';
import type { Problem } from '../core/errors.js';
import { lintPrompt } from '../core/lint/prompt-rules.js';
import { lintSuite } from '../core/lint/suite-rules.js';
import type { Project, PromptFile, SuiteFile } from './project.js';
import { lazySchemaEngine } from './schema-engine.js';
import { appendAll } from '../core/append.js';
import { usedVariables } from '../core/template.js';
import { suitesApplying } from './eval/targets.js';

/** The prompt a project file belongs to, by its folder: `prompts/<id>/…` or `evalsets/<id>/…` (`prompts` itself: none). */
export function ownerOf(file: string): { folder: 'prompts' | 'evalsets'; id: string } | undefined {
  const m = /^(prompts|evalsets)\/([^/]+)(\/|$)/.exec(file.replaceAll('\\', '/'));
  return m ? { folder: m[1] as 'prompts' | 'evalsets', id: m[2]! } : undefined;
}

/** Prompts with a version file that failed to load: the loader reports it, and their suites must not add that the prompt has no such version. */
export function unloadedPrompts(project: Pick<Project, 'problems'>): Set<string> {
  return new Set(project.problems.filter((p) => p.severity === 'error' && ownerOf(p.file)?.folder === 'prompts').map((p) => ownerOf(p.file)!.id));
}

/**
 * Every lint rule over the given versions and suites: the one call behind `lint`, `ci` and the
 * sound-files gate of `eval` and `deploy`, so a gate never checks less than lint does (the gate
 * once ran without the schema and tool rules, and an invalid suite was run and withdrew marks).
 * ajv loads only when a file declares a schema that a rule compiles (schema-engine.ts).
 */
export function lintFiles(
  project: Pick<Project, 'prompts' | 'suites' | 'config' | 'problems'>,
  files: { prompts: readonly PromptFile[]; suites: readonly SuiteFile[] },
  /** `errorsOnly`: for a gate that refuses on errors alone; warnings are neither located nor returned. */
  /** `schemas`: an engine shared by several calls (the gate lints a suite at a time), else one made here. */
  opts: { knownAttackSets?: string[]; attackPacks?: readonly AttackPack[]; exactTokens?: ReadonlyMap<string, number>; errorsOnly?: boolean; schemas?: ReturnType<typeof lazySchemaEngine> } = {},
): Problem[] {
  const untrustedVariables = project.config.lint.untrusted_variables;
  const schemas = opts.schemas ?? lazySchemaEngine();
  const problems: Problem[] = [];
  const unloaded = unloadedPrompts(project);
  for (const s of files.suites) appendAll(problems, lintSuite(s, { prompts: project.prompts, unloadedPrompts: unloaded, knownAttackSets: opts.knownAttackSets, attackPacks: opts.attackPacks, schemas, errorsOnly: opts.errorsOnly }));
  // Only the unused-variable warning asks for them: a gate that wants errors alone skips reading every turn.
  const usedInTurns = turnVariables(project.suites);
  for (const p of files.prompts) appendAll(problems, lintPrompt(p, { untrustedVariables, exactTokens: opts.exactTokens?.get(p.file), schemas, errorsOnly: opts.errorsOnly, ...(opts.errorsOnly ? {} : { usedInTurns: usedInTurns(p) }) }));
  return problems;
}

/**
 * The variables the conversation turns of a version's suites use (the project's, not only the files
 * linted: ci lints a changed version beside suites it did not change), by template.ts's one rule of
 * "used". Each suite's turns are read once, however many versions it applies to.
 */
function turnVariables(suites: readonly SuiteFile[]): (v: PromptFile) => Set<string> {
  const bySuite = new Map<SuiteFile, Set<string>>();
  const ofSuite = (s: SuiteFile): Set<string> => {
    let used = bySuite.get(s);
    if (!used) bySuite.set(s, (used = usedVariables(...s.data.cases.map((c) => c.messages ?? []))));
    return used;
  };
  return (v) => new Set(suitesApplying(suites, v).flatMap((s) => [...ofSuite(s)]));
}
