import { z } from 'zod';
import type { Problem } from '../core/errors.js';
import { sortVersionsDesc } from '../core/refs.js';
import { loadProject } from '../infra/project.js';
import type { VersionState } from '../core/version-state.js';
import { registeredVersionStates } from '../infra/registered-edits.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { withGitMemo } from '../infra/git-memo.js';

/**
 * Every prompt with its versions and suites. Files with errors are left out of the listing, so
 * their problems come with it and the exit code is 2: a listing that silently misses files must not
 * look complete. Each version is a draft or released; released versions edited since are flagged (the registry is read, never written).
 */

/** `list` takes no options of its own. */
export const ListOptions = z.object({});

export interface ListedPrompt {
  id: string;
  latest: string;
  versions: string[];
  suites: string[];
  /** Released versions whose file no longer has the content they were released with (deployed, or on the default branch). */
  edited: string[];
  /**
   * Each version's state: draft until its first deploy, released after (core/version-state.ts), or
   * once the default branch holds it in a git checkout (app/released-on-base.ts); `unknown` when the registry is there but could not be read (a warning says why).
   */
  states: Record<string, VersionState | 'unknown'>;
  /** Drafts this branch added whose numbers the default branch (`base`) took meanwhile with other content: lint's `version/number-taken`. */
  takenOn?: { base: string; versions: string[] };
}

/** What `list --json` prints. */
export interface ProjectListing {
  prompts: ListedPrompt[];
  /** How many errors: files with schema errors (left out above) and edited registered versions. */
  problems: number;
  problemDetails: Problem[];
}

export interface ListResult {
  listing: ProjectListing;
  /** Files left out of the listing because they have errors. */
  hiddenFiles: number;
  /** 2 when the listing has problems, else 0. */
  exitCode: 0 | 2;
}

/** One memo of git's answers for the command: what the default branch released, then which numbers it took, ask the same questions. */
export async function list(opts: AppOptions): Promise<ListResult> {
  return withGitMemo(() => listNow(opts));
}

async function listNow(opts: AppOptions): Promise<ListResult> {
  parseOptions('list', ListOptions, opts);
  const c = appContext(opts);
  const project = loadProject(c.cwd, { env: c.env, optionNames: c.optionNames });
  const { states, problems: edits, unread } = await registeredVersionStates(project, c.env);
  const said = new Set(edits.filter((p) => p.rule === 'version/edited').map((p) => p.file));
  // In a git checkout, what the default branch holds is released too, and an edit of it is lint's error (released-on-base.ts).
  const onBase = (await import('./released-on-base.js')).releasedOnBase(project, c.env, project.prompts, said);
  const released = new Set([...states.filter((s) => s.verdict.state === 'released').map((s) => s.file.file), ...(onBase?.held ?? [])]);
  const baseEdits = onBase?.edited ?? [];
  const editedFiles = new Set([...edits, ...baseEdits].filter((p) => p.severity === 'error').map((p) => p.file));
  // A draft is not free to edit and release under its number when the default branch took that number (eval, deploy and ci refuse it).
  const taken = await (await import('./deploy-number.js')).numberTakenProblems(project, project.prompts.filter((p) => !released.has(p.file)), c.env);
  const takenFiles = new Set(taken.problems.map((p) => p.file));
  const ids = [...new Set(project.prompts.map((p) => p.id))].sort();
  const prompts = ids.map((id) => {
    const own = project.prompts.filter((p) => p.id === id);
    const versions = sortVersionsDesc(own.map((p) => p.version));
    return {
      id,
      latest: versions[0]!,
      versions,
      suites: project.suites.filter((s) => s.promptId === id).map((s) => s.name),
      edited: sortVersionsDesc(own.filter((p) => editedFiles.has(p.file)).map((p) => p.version)),
      states: Object.fromEntries(versions.map((v) => {
        const file = own.find((p) => p.version === v)!.file;
        return [v, released.has(file) ? 'released' : unread ? 'unknown' : 'draft'] as const;
      })),
      ...(own.some((p) => takenFiles.has(p.file)) ? { takenOn: { base: taken.base, versions: sortVersionsDesc(own.filter((p) => takenFiles.has(p.file)).map((p) => p.version)) } } : {}),
    };
  });
  const schemaErrors = project.problems.filter((p) => p.severity === 'error');
  const problemDetails = [...schemaErrors, ...edits, ...baseEdits, ...taken.problems];
  const problems = problemDetails.filter((p) => p.severity === 'error').length;
  return {
    listing: { prompts, problems, problemDetails },
    hiddenFiles: new Set(schemaErrors.map((p) => p.file)).size,
    exitCode: problems ? 2 : 0,
  };
}
