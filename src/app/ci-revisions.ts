import type { Revision } from '../core/ci/result.js';
import type { Problem } from '../core/errors.js';
import { bumpOf, nextFreeVersion, parsePromptRef } from '../core/refs.js';
import { editedAfterReleaseHint, editedAfterReleaseMessage } from '../core/version-state.js';
import type { Project, PromptFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { RegistryAccess } from '../infra/registry-access.js';
import { checkVersion, settleVersions } from '../infra/version-states.js';
import type { EventSigner } from '../infra/signing.js';

/**
 * A version absent from the base branch is still being written: a pull request revises it, and
 * the registry (restored from CI's cache) already holds what an earlier run registered. Issue 6
 * makes only edits of versions that exist at the base an error, so ci accepts the revision of a
 * version that was never deployed: the old content moves to `superseded_versions` (its runs and
 * marks stay bound to the old hash and never count for the new one) and the new content is
 * registered. A version that was deployed anywhere never changes: that is refused. Draft or
 * released is core/version-state.ts, the rule eval, deploy and lint use too.
 *
 * A version is a draft only until it is on the base branch, deployed or not. When the base's tip
 * (it moved on after the branch left it) holds the branch's new version with other content, the
 * number is taken: revising it would replace what the base holds in the shared registry, and each
 * later pipeline of either branch would swap it back. ci refuses it instead; the same content there
 * is no revision.
 */

/** The base ref as ci resolved it: its name, and a version file as its tip holds it (`versionAtTip`). */
export interface BaseTip {
  name: string;
  at: (file: string) => { hash?: string } | undefined;
}

interface Pending {
  file: PromptFile;
  from: string;
}

export async function checkRevisions(project: Project, { env, clock }: RegistryAccess, newRefs: string[], base: BaseTip): Promise<{ problems: Problem[]; revised: Pending[] }> {
  const problems: Problem[] = [];
  const revised: Pending[] = [];
  if (!newRefs.length) return { problems, revised };
  const reader = openProjectRegistry(project, { readonly: true, env, clock });
  try {
    for (const ref of newRefs) {
      const { id, version } = parsePromptRef(ref);
      const file = project.prompts.find((p) => p.id === id && p.version === version);
      if (!file) continue;
      // The one rule (core/version-state.ts) eval, deploy and lint use: a draft takes any content.
      const { verdict, record } = await checkVersion(reader, file);
      const onBase = base.at(file.file);
      if (verdict.state === 'draft') {
        // On the base's tip with the same content: the branch only caught up with it.
        if (onBase === undefined || onBase.hash === file.hash) {
          if (record && record.contentHash !== file.hash) revised.push({ file, from: record.contentHash });
          continue;
        }
      } else if (verdict.allowed) continue;
      const releasedIn = verdict.state === 'released' ? verdict.releasedIn : [];
      problems.push({
        file: file.file,
        line: 1,
        col: 1,
        field: '',
        message: onBase ? await takenMessage(reader, project, ref, base.name, releasedIn) : `${ref} is not on ${base.name} yet, but ${editedAfterReleaseMessage({ id, version: version!, releasedIn })}; ${editedAfterReleaseHint({ id, version: version! })}`,
        severity: 'error',
        rule: onBase ? 'version/number-taken' : 'version/revised-deployed',
      });
    }
  } finally {
    await reader.close();
  }
  return { problems, revised };
}

/**
 * A new version of this branch whose number the base's tip already holds: the base moved on after
 * the branch left it, and released that number or merged it (a draft no more, though not deployed).
 * Not an edit of the branch's version, but a number that is taken; the next free one counts the
 * registry's versions too, which `promptctl new` (this checkout's files only) cannot see.
 */
export async function takenMessage(reader: Registry, project: Project, ref: string, base: string, releasedIn: readonly string[]): Promise<string> {
  const { id, version } = parsePromptRef(ref);
  const known = [...(await reader.listVersions(id)).map((r) => r.version), ...project.prompts.filter((p) => p.id === id).map((p) => p.version)];
  // Bumped as the taken number was (a minor stays a minor), past every number taken: the one rule `new` follows.
  const bump = bumpOf(version!);
  const free = bump && nextFreeVersion(version!, bump, known).version;
  const next = free ? `the next free number, ${id}@${free}` : 'a free number';
  const held = releasedIn.length ? `released with other content (deployed to ${releasedIn.join(', ')})` : 'with other content (merged there, not deployed yet)';
  return `${ref} is already on ${base}, ${held}: this branch adds a new version under a number that is taken; rename it to ${next} (its file and \`version:\`; \`promptctl new\` passes over numbers the registry or a file holds)`;
}

export async function supersedeRevisions(project: Project, { env, clock }: RegistryAccess, pending: Pending[], actor: string, sign?: EventSigner): Promise<Revision[]> {
  if (!pending.length) return [];
  const registry = openProjectRegistry(project, { env, clock });
  try {
    // The same settling eval and deploy do: a shard that swapped in this content first is no conflict,
    // and a version released meanwhile is refused in the words of the one rule.
    // No project: these are the revisions ci compares, not necessarily this working tree's files.
    await settleVersions(registry, pending.map((p) => p.file), { actor, sign }, undefined);
    return pending.map(({ file, from }) => ({ ref: `${file.id}@${file.version}`, file: file.file, from, to: file.hash }));
  } finally {
    await registry.close();
  }
}
