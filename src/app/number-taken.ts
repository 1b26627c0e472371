import type { Problem } from '../core/errors.js';
import { bumpOf, nextFreeVersion, parsePromptRef } from '../core/refs.js';
import type { Project, PromptFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';

/**
 * A new version of this branch whose number the base's tip already holds: the base moved on after
 * the branch left it, and released that number or merged it (a draft no more, though not deployed).
 * Not an edit of the branch's version, but a number that is taken; the next free one counts the
 * registry's versions too, which `promptctl new` (this checkout's files only) cannot see.
 */
export async function takenMessage(reader: Registry | undefined, project: Project, ref: string, base: string, releasedIn: readonly string[]): Promise<string> {
  const { id, version } = parsePromptRef(ref);
  // No registry (lint in a project that has none yet): the numbers the files hold.
  const known = [...(reader ? await reader.listVersions(id) : []).map((r) => r.version), ...project.prompts.filter((p) => p.id === id).map((p) => p.version)];
  // Bumped as the taken number was (a minor stays a minor), past every number taken: the one rule `new` follows.
  const bump = bumpOf(version!);
  const free = bump && nextFreeVersion(version!, bump, known).version;
  const next = free ? `the next free number, ${id}@${free}` : 'a free number';
  const held = releasedIn.length ? `released with other content (deployed to ${releasedIn.join(', ')})` : 'with other content (merged there, not deployed yet)';
  return `${ref} is already on ${base}, ${held}: this branch adds a new version under a number that is taken; rename it to ${next} (its file and \`version:\`; \`promptctl new\` passes over numbers the registry or a file holds)`;
}

/** `takenMessage` as the `version/number-taken` problem at the version's file: ci's, eval's and deploy's refusal alike. */
export async function takenProblem(reader: Registry | undefined, project: Project, file: PromptFile, base: string, releasedIn: readonly string[]): Promise<Problem> {
  const message = await takenMessage(reader, project, `${file.id}@${file.version}`, base, releasedIn);
  return { file: file.file, line: 1, col: 1, field: '', message, severity: 'error', rule: 'version/number-taken' };
}
