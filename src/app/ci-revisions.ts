import type { Revision } from '../core/ci/result.js';
import { ownForm } from '../infra/registered-form.js';
import type { Problem } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import { editedAfterReleaseHint, editedAfterReleaseMessage } from '../core/version-state.js';
import type { Project, PromptFile } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { RegistryAccess } from '../infra/registry-access.js';
import { checkVersion, settleVersions } from '../infra/version-states.js';
import type { EventSigner } from '../infra/signing.js';
import { numbersTakenOnDefault } from './deploy-number.js';
import { takenProblem } from './number-taken.js';

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
  const files = newRefs.flatMap((ref) => {
    const { id, version } = parsePromptRef(ref);
    return project.prompts.filter((p) => p.id === id && p.version === version);
  });
  // The default branch's tip too, as ci's eval checks it (deploy-number.ts), when ci's base is
  // another commit: otherwise a draft would be superseded before that check refuses its number.
  const onDefault = await numbersTakenOnDefault(project, files, env);
  const reader = openProjectRegistry(project, { readonly: true, env, clock });
  try {
    for (const file of files) {
      const ref = `${file.id}@${file.version}`;
      // The one rule (core/version-state.ts) eval, deploy and lint use: a draft takes any content.
      const { verdict, record } = await checkVersion(reader, file);
      const onBase = base.at(file.file);
      if (verdict.state === 'draft') {
        // On the base's tip with the same content: the branch only caught up with it.
        if (onBase === undefined || onBase.hash === ownForm(file).hash) {
          if (onDefault?.taken.includes(file)) {
            problems.push(await takenProblem(reader, project, file, onDefault.base.ref, []));
            continue;
          }
          if (record && record.contentHash !== file.hash) revised.push({ file, from: record.contentHash });
          continue;
        }
      } else if (verdict.allowed) continue;
      const releasedIn = verdict.state === 'released' ? verdict.releasedIn : [];
      if (onBase) {
        problems.push(await takenProblem(reader, project, file, base.name, releasedIn));
        continue;
      }
      const v = { id: file.id, version: file.version };
      const message = `${ref} is not on ${base.name} yet, but ${editedAfterReleaseMessage({ ...v, releasedIn })}; ${editedAfterReleaseHint(v)}`;
      problems.push({ file: file.file, line: 1, col: 1, field: '', message, severity: 'error', rule: 'version/revised-deployed' });
    }
  } finally {
    await reader.close();
  }
  return { problems, revised };
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
