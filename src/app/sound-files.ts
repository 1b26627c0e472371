import type { Project, PromptFile } from '../infra/project.js';
import { requireSoundFiles } from '../infra/sound-files.js';

/**
 * The prompts' files sound (infra/sound-files.ts) before a version is judged (eval, deploy) or two
 * are compared (compare, report): with the attack packs when one of their suites names attacks, as
 * lint checks them. Reading and checking the shipped packs is a measurable part of start-up, so only then.
 */
export async function requireSoundPromptFiles(project: Project, promptIds: readonly string[], opts: { versions?: PromptFile[]; env: Readonly<Record<string, string | undefined>>; why?: string }): Promise<void> {
  const ids = new Set(promptIds);
  const attackSets = project.suites.some((s) => ids.has(s.promptId) && s.data.attacks?.length) ? (await import('../infra/eval/attacks.js')).attackLintOptions() : {};
  requireSoundFiles(project, [...ids], { ...opts, ...attackSets });
}

/** Why a comparison refuses a broken file of its prompt. */
export const COMPARED_WHY = 'a comparison reads every suite that applies to both versions: a suite left out for a broken file would hide its regressions and fixes.';
