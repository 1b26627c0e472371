import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { BaseChoice } from '../core/ci/base-choice.js';
import { noMergeBaseError, unknownBaseError } from '../core/ci/base-errors.js';
import { InputError, UnavailableError } from '../core/errors.js';
import { byCodeUnits } from '../core/order.js';
import { linkedPaths, throughLink, type LinkedPath } from './repo-links.js';

/** The few git questions `promptctl ci` asks. Paths come back relative to the given folder. */

/**
 * The variables git itself clears before working in another repository (`git rev-parse
 * --local-env-vars`): GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, ... A git hook, or a script run from
 * one, has them set for the repository the hook runs in; inherited, they would make every question
 * below answered by that repository instead of the one holding `cwd`. GIT_CONFIG_PARAMETERS and
 * GIT_CONFIG_COUNT (`git -c`, GIT_CONFIG_KEY_n) are kept, as git keeps them for another repository:
 * container CI jobs set `safe.directory` that way for a checkout another user owns.
 */
const REPOSITORY_VARIABLES = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CONFIG', 'GIT_OBJECT_DIRECTORY', 'GIT_DIR',
  'GIT_WORK_TREE', 'GIT_IMPLICIT_WORK_TREE', 'GIT_GRAFT_FILE', 'GIT_INDEX_FILE', 'GIT_NO_REPLACE_OBJECTS', 'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX', 'GIT_INTERNAL_SUPER_PREFIX', 'GIT_SHALLOW_FILE', 'GIT_COMMON_DIR',
];

/**
 * git's environment: this process's (PATH and HOME find git and the user's config; a library
 * caller's `env` often has neither), without what points git at another repository than `cwd`'s.
 */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return env;
}

/** git's answer, or a typed error (exit 3 without git, exit 2 with git's reason); `input` is its standard input. */
export function git(cwd: string, args: string[], input?: string): string {
  try {
    return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...(input === undefined ? {} : { input }) });
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new UnavailableError({ message: 'git is not installed', hint: 'promptctl ci needs git to find what changed.' });
    throw new InputError({ message: `git ${args.join(' ')} failed`, why: (err.stderr ?? '').trim() || String(e) });
  }
}

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface FileChange {
  /** Relative to the project root, forward slashes. */
  file: string;
  status: ChangeStatus;
}

function isCommit(projectRoot: string, ref: string): boolean {
  try {
    git(projectRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** The top folder of the project's repository; exit 2 with git's own reason when git finds none. */
function repositoryTop(projectRoot: string): string {
  try {
    return git(projectRoot, ['rev-parse', '--show-toplevel']).trim();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError({
      message: `promptctl ci needs the project's git repository, and git found none at ${projectRoot}`,
      why: e.why,
      hint: 'run ci in a git checkout of the project (CI jobs check one out); to try it locally, `git init` and commit a base to compare with.',
    });
  }
}

/**
 * Whether `dir` or a folder above it holds a `.git` (a repository's folder, or a worktree's file):
 * without one git finds no repository (gitEnv drops GIT_DIR and the like), and asking it costs a
 * process, about 10-40 ms that deploy and status would pay in every project outside git.
 */
export function mayBeInRepository(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** The top folder of the repository holding `dir` (git's real path), or undefined outside one or without git. */
export function repositoryTopOrNone(dir: string): string | undefined {
  if (!mayBeInRepository(dir)) return undefined;
  try {
    return git(dir, ['rev-parse', '--show-toplevel']).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The branch origin/HEAD names (`origin/trunk`), as `git clone` recorded the remote's default
 * branch; undefined outside a repository, without one recorded, or when it names a branch this
 * clone no longer holds. No network: the clone's own record.
 */
export function originHead(dir: string): string | undefined {
  if (!mayBeInRepository(dir)) return undefined;
  try {
    return git(dir, ['rev-parse', '--verify', '--quiet', '--abbrev-ref', 'refs/remotes/origin/HEAD']).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which of `paths` (relative to the repository's top folder `top`) git ignores, with forward
 * slashes; a tracked path never is. Undefined when git cannot answer (missing, a path it refuses).
 */
export function ignoredPaths(top: string, paths: readonly string[]): Set<string> | undefined {
  if (!paths.length) return new Set();
  // check-ignore exits 1 when it ignores none of them: an answer, not a failure.
  // -z needs --stdin: paths may hold any character but NUL.
  const r = spawnSync('git', ['check-ignore', '-z', '--stdin'], { cwd: top, env: gitEnv(), input: paths.join('\0'), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error || (r.status !== 0 && r.status !== 1)) return undefined;
  return new Set(r.stdout.split('\0').filter(Boolean).map((p) => p.split(path.sep).join('/')));
}

/** A base git knows as a commit, and the top folder of the repository it was resolved in. */
export interface ResolvedBase {
  ref: string;
  /** git's real path of the repository's top folder. */
  top: string;
  /** Where the branch left `ref` (`diffBase`): the commit every change and base-side file is read against. */
  from: string;
  /** The project's paths that symbolic links lead elsewhere in the repository (`followLinks`). */
  links?: readonly LinkedPath[];
  /** HEAD's commit is on `ref` already (the merge base is HEAD): only uncommitted changes can differ. */
  headOnBase?: boolean;
}

/**
 * `base` with the links ci follows to the project's layout folders and to `files` (config, data
 * files): git reports a change under a link's target, so without them a pull request that edits
 * `prompts/` through a link would change "nothing". A link out of the repository is exit 2.
 */
export function followLinks(projectRoot: string, base: ResolvedBase, files: readonly string[]): ResolvedBase {
  return { ...base, links: linkedPaths(projectRoot, base.top, files) };
}

/**
 * The ref ci compares with: the first of the choice's refs git holds (core/ci/base-choice.ts). A
 * clone made by CI (or `git clone` then a branch checkout) often has only `origin/main`, not a local
 * `main`; a commit CI names may be missing from a shallow clone: the error says how to fetch it.
 */
export function resolveBaseRef(projectRoot: string, choice: BaseChoice): ResolvedBase {
  const top = repositoryTop(projectRoot);
  const ref = choice.kind === 'none' ? undefined : choice.refs.find((r) => isCommit(projectRoot, r));
  if (ref === undefined) throw unknownBaseError(choice);
  const from = diffBase(projectRoot, ref, choice);
  return { ref, top, from, headOnBase: from === git(projectRoot, ['rev-parse', 'HEAD']).trim() };
}

/**
 * Where the branch left `base`: the merge base of `base` and HEAD. Diffing against the ref itself
 * would report everything added on the target branch since as deleted here, and everything changed
 * there as edited here.
 *
 * A shallow clone hides the merge base. One such checkout is still exact: CI's checkout of a pull
 * request's merge commit (GitHub's refs/pull/N/merge at depth 1, then the base fetched), whose
 * first parent is the base tip, so base..HEAD is exactly the pull request; likewise any HEAD whose
 * first parent is on the base branch. The commit object keeps its `parent` lines when a shallow
 * clone grafts the parents away. Otherwise ci cannot tell the branch's changes from the base's, and
 * says so (exit 2) rather than blame the pull request for what the base branch changed.
 */
function diffBase(projectRoot: string, base: string, choice: BaseChoice): string {
  let mergeBase = '';
  try {
    mergeBase = git(projectRoot, ['merge-base', base, 'HEAD']).trim();
  } catch {
    // No merge base: exit 1 from git, with nothing to say.
  }
  if (mergeBase) return mergeBase;
  const parent = firstParentOfHead(projectRoot);
  if (parent && isAncestor(projectRoot, parent, base)) return parent;
  const shallow = git(projectRoot, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
  // The service's own way to fetch the history, as for a base commit missing from the clone.
  throw noMergeBaseError(base, shallow, choice.service);
}

/** HEAD's first parent as the commit records it (a shallow clone keeps the line, not the commit); undefined for a root commit. */
function firstParentOfHead(projectRoot: string): string | undefined {
  try {
    return /^parent ([0-9a-f]+)$/m.exec(git(projectRoot, ['cat-file', '-p', 'HEAD']))?.[1];
  } catch {
    return undefined;
  }
}

/** Whether `commit` is `ref` or one of its ancestors; false when git does not hold `commit`. */
function isAncestor(projectRoot: string, commit: string, ref: string): boolean {
  try {
    git(projectRoot, ['merge-base', '--is-ancestor', commit, ref]);
    return true;
  } catch {
    return false;
  }
}

/**
 * What changed between where the branch left `base` and the working tree: committed and
 * uncommitted changes to tracked files, plus untracked files git does not ignore. Renames count as
 * a delete and an add. `base` is what resolveBaseRef found, so git is not asked twice for the
 * repository's top folder, whether the base is a commit, or where the branch left it.
 */
export function changedFiles(projectRoot: string, base: ResolvedBase): FileChange[] {
  const { top } = base;
  // git answers with the real path of the top folder: compare it with the real path of the project,
  // or a project reached through a symlink (-C link, macOS /var → /private/var) would see every
  // change as outside the project, and the gate would pass on "nothing changed".
  const root = realpathSync(projectRoot);
  const links = base.links ?? [];
  // A path git names may be the project's under its own name and, through a link, under another
  // (`data/current.jsonl -> golden-v3.jsonl`): a change is a change to every name it has here.
  const toProject = (repoPath: string): string[] => {
    const own = path.relative(root, path.join(top, repoPath)).split(path.sep).join('/');
    const linked = throughLink(links, repoPath, 'repo');
    return [...new Set([...(linked === undefined ? [] : [linked]), own])];
  };
  // The project's folder, and where its links lead (pathspecs from the top, taken literally).
  const where = ['.', ...links.map((l) => `:(top,literal)${l.repo}`)];
  const changes = new Map<string, ChangeStatus>();
  const diff = git(projectRoot, ['diff', '--name-status', '--no-renames', '-z', base.from, '--', ...where]).split('\0').filter(Boolean);
  for (let i = 0; i + 1 < diff.length; i += 2) {
    const code = diff[i]!;
    for (const file of toProject(diff[i + 1]!)) changes.set(file, code.startsWith('A') ? 'added' : code.startsWith('D') ? 'deleted' : 'modified');
  }
  for (const f of git(projectRoot, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name', '--', ...where]).split('\0').filter(Boolean)) {
    for (const file of toProject(f)) changes.set(file, 'added');
  }
  return [...changes.entries()]
    .filter(([file]) => !file.startsWith('..'))
    .map(([file, status]) => ({ file, status }))
    .sort((a, b) => byCodeUnits(a.file, b.file));
}

/**
 * The text of each of `files` (relative to the project) where the branch left `base`, as
 * `changedFiles` diffed with; a file git cannot show there is left out.
 */
export function filesAtBase(projectRoot: string, base: ResolvedBase, files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!files.length) return out;
  for (const file of files) {
    try {
      // Through a link, the base holds the file under the link's target (git stores the link itself as a path).
      const repo = throughLink(base.links ?? [], file, 'project');
      out.set(file, git(projectRoot, ['show', repo === undefined ? `${base.from}:./${file}` : `${base.from}:${repo}`]));
    } catch {
      // Not at the base (or unreadable there): the caller treats the file as changed.
    }
  }
  return out;
}
