import type { Project, PromptFile, SuiteFile } from '../infra/project.js';
import { requireSoundFiles } from '../infra/sound-files.js';
import { suitesFor } from '../infra/eval/targets.js';
import { suiteOfFile } from '../core/gone-suites.js';

/**
 * The prompts' files sound (infra/sound-files.ts) before a version is judged (eval, deploy) or two
 * are compared (compare, report): with the attack packs when one of their suites names attacks, as
 * lint checks them. Reading and checking the shipped packs is a measurable part of start-up, so only then.
 */
export async function requireSoundPromptFiles(project: Project, promptIds: readonly string[], opts: { versions?: PromptFile[]; env: Readonly<Record<string, string | undefined>>; why?: string; compared?: { suite: (s: SuiteFile) => boolean; file: (file: string) => boolean } }): Promise<void> {
  const ids = new Set(promptIds);
  const attackSets = project.suites.some((s) => ids.has(s.promptId) && s.data.attacks?.length) ? (await import('../infra/eval/attacks.js')).attackLintOptions() : {};
  requireSoundFiles(project, [...ids], { ...opts, ...attackSets });
}

/** Why a comparison refuses a broken file of its prompt. */
export const COMPARED_WHY = 'a comparison reads the suites that apply to both versions: a suite left out for a broken file would hide its regressions and fixes.';

/**
 * What a comparison of `versions` reads, for requireSoundPromptFiles: the loaded suites that apply to
 * either (those `only` names, when given), and of the files that do not load, the suite files that
 * might have applied (any, or those `only` names); a version file is not compared.
 */
export function comparedFiles(project: Project, versions: readonly PromptFile[], only?: readonly string[]) {
  return {
    suite: (s: SuiteFile) => versions.some((v) => suitesFor(project, v, only ? [...only] : undefined).includes(s)),
    file: (file: string) => !file.startsWith('prompts/') && (!only?.length || only.includes(suiteOfFile(file)?.suite ?? '')),
  };
}
