import type { AttackPack } from '../core/attacks/pack-schema.js';
import { InputError, type Problem } from '../core/errors.js';
import { lintFiles, ownerOf } from './lint-files.js';
import type { Project, PromptFile } from './project.js';
import { requireNoDeletedSuites } from './deleted-suites.js';

/**
 * `eval` and `deploy` judge a prompt only when its own files are sound. The loader leaves a broken
 * file out and carries on, which is right for `list` but not for a gate: a typo in a suite
 * (`contain:`) or an adversarial suite without `inject_into` would silently drop cases or attack
 * packs, and a version would pass without them. So every file of the prompt that fails to load,
 * every lint error in its suites (they change over time), and every lint error in the versions
 * being judged is an input error here, named by file, line and field, before anything is sent or
 * recorded. Older versions are not re-linted: they are immutable, and a rule added later must not
 * lock a team out of its own history. A suite file git tracks and this checkout deleted without
 * committing is refused first (infra/deleted-suites.ts): a suite left out the other way.
 */
export function requireSoundFiles(project: Project, promptIds: string[], opts: { versions?: PromptFile[]; knownAttackSets?: string[]; attackPacks?: readonly AttackPack[] } = {}): void {
  requireNoDeletedSuites(project, promptIds);
  const ids = new Set(promptIds);
  const idOf = (file: string): string | undefined => ownerOf(file)?.id;
  const owned = (file: string): boolean => {
    const f = file.replaceAll('\\', '/');
    // `prompts` or `evalsets` itself unreadable (a file, a broken link) hides every prompt's files.
    if (f === 'prompts' || f === 'evalsets') return true;
    const id = idOf(f);
    return id !== undefined && ids.has(id);
  };
  const problems: Problem[] = project.problems.filter((p) => owned(p.file));
  // The same rules as `lint` (schema and tool rules included): one function, so they cannot drift.
  const suites = project.suites.filter((s) => ids.has(s.promptId));
  problems.push(...lintFiles(project, { prompts: opts.versions ?? [], suites }, { knownAttackSets: opts.knownAttackSets, attackPacks: opts.attackPacks, errorsOnly: true }));
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) return;
  // The prompts whose files hold the errors (a dataset file outside evalsets/ names no prompt: then all judged).
  const named = errors.map((e) => idOf(e.file));
  const whose = named.every((id) => id !== undefined) ? new Set(named as string[]) : ids;
  throw new InputError({
    message: `${errors.length} problem${errors.length === 1 ? '' : 's'} in the files of ${[...whose].sort().join(', ')}`,
    why: 'a version is judged only when its suites and its own file are valid: a broken suite left out would let it pass without that suite.',
    problems: errors,
    hint: 'fix the fields named above; `promptctl lint` lists every problem at once.',
  });
}
