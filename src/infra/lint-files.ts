import type { Problem } from '../core/errors.js';
import { lintPrompt } from '../core/lint/prompt-rules.js';
import { lintSuite } from '../core/lint/suite-rules.js';
import type { Project, PromptFile, SuiteFile } from './project.js';
import { lazySchemaEngine } from './schema-engine.js';

/**
 * Every lint rule over the given versions and suites: the one call behind `lint`, `ci` and the
 * sound-files gate of `eval` and `deploy`, so a gate never checks less than lint does (the gate
 * once ran without the schema and tool rules, and an invalid suite was run and withdrew marks).
 * ajv loads only when a file declares a schema that a rule compiles (schema-engine.ts).
 */
export function lintFiles(
  project: Pick<Project, 'prompts' | 'config'>,
  files: { prompts: readonly PromptFile[]; suites: readonly SuiteFile[] },
  opts: { knownAttackSets?: string[]; exactTokens?: ReadonlyMap<string, number> } = {},
): Problem[] {
  const untrustedVariables = project.config.lint.untrusted_variables;
  const schemas = lazySchemaEngine();
  const problems: Problem[] = [];
  for (const s of files.suites) problems.push(...lintSuite(s, { prompts: project.prompts, knownAttackSets: opts.knownAttackSets, schemas }));
  for (const p of files.prompts) problems.push(...lintPrompt(p, { untrustedVariables, exactTokens: opts.exactTokens?.get(p.file), schemas }));
  return problems;
}
