import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, UnavailableError } from '../core/errors.js';
import { shellWord } from '../core/shell-word.js';
import { inGitMemo, isKnown, remember, remembered } from './git-memo.js';

/** The git questions promptctl asks, and git run safely; what a branch changed since a base is in git-base.ts. Paths come back relative to the given folder. */

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
  return gitBytes(cwd, args, input).toString('utf8');
}

/**
 * git's answer as the bytes git wrote (`git` decodes them as UTF-8), for output that is not text
 * (`cat-file --batch`: file contents with their byte lengths). `maxBuffer` caps the answer (64 MiB
 * unless given), beyond which it is an error.
 */
export function gitBytes(cwd: string, args: string[], input?: string, maxBuffer = 64 * 1024 * 1024): Buffer {
  try {
    return execFileSync('git', args, { cwd, env: gitEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer, ...(input === undefined ? {} : { input }) });
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer | string };
    if (err.code === 'ENOENT') throw new UnavailableError({ message: 'git is not installed', hint: 'promptctl ci needs git to find what changed.' });
    throw new InputError({ message: `git ${args.join(' ')} failed`, why: String(err.stderr ?? '').trim() || String(e) });
  }
}

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface FileChange {
  /** Relative to the project root, forward slashes. */
  file: string;
  status: ChangeStatus;
}

export function isCommit(projectRoot: string, ref: string): boolean {
  return commitOf(projectRoot, ref) !== undefined;
}

/** The commit `ref` names (`git rev-parse --verify`), or undefined when git knows none or cannot answer; asked once per command (git-memo.ts). */
export function commitOf(projectRoot: string, ref: string): string | undefined {
  return remembered(['commit', projectRoot, ref], () => {
    try {
      return git(projectRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
    } catch {
      return undefined;
    }
  });
}

/** `git rev-parse --show-toplevel` in `dir`, its answer or its error kept for the command (git-memo.ts): ci, its eval and their checks all ask. */
const topOf = (dir: string): string => remembered(['top', dir], () => git(dir, ['rev-parse', '--show-toplevel']).trim());

/**
 * Asks, in one git process, the repository's top folder and the commit `ref` names, and keeps both
 * answers for the command (`topOf`, `commitOf`): the first questions ci and eval's number check
 * ask. Any other outcome (no repository, no git) keeps nothing, so each question is then asked
 * alone and fails as it always did. Outside a command (git-memo.ts) it asks nothing.
 */
export const prefetchTopAndCommit = (dir: string, ref: string): void => prefetchTopWith(dir, [`${ref}^{commit}`], ['commit', dir, ref]);

/** `prefetchTopAndCommit` for the top folder and `originHead`: the default branch deploy and eval check a number on. */
export const prefetchTopAndOriginHead = (dir: string): void => prefetchTopWith(dir, ORIGIN_HEAD, ['origin-head', dir]);

/** `git rev-parse --show-toplevel --verify --quiet <rev>`: the top folder, then the revision, or (exit 1) the top folder alone. */
function prefetchTopWith(dir: string, rev: readonly string[], key: readonly string[]): void {
  // Known already (or no command to keep them): asking again would cost a process, not save one.
  if (!inGitMemo() || isKnown(['top', dir]) || isKnown(key)) return;
  const r = spawnSync('git', ['rev-parse', '--show-toplevel', '--verify', '--quiet', ...rev], { cwd: dir, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // Trimmed as `git()`'s answers are where each is asked alone.
  const lines = r.error ? [] : r.stdout.split('\n').filter(Boolean).map((l) => l.trim());
  if (r.status === 0 && lines.length === 2) {
    remember(['top', dir], lines[0]);
    remember(key, lines[1]);
  } else if (r.status === 1 && lines.length === 1) {
    remember(['top', dir], lines[0]);
    remember(key, undefined);
  }
}

/**
 * git's refusal to answer for a repository another user owns (git 2.35.2+: "detected dubious
 * ownership", first worded "unsafe repository"; a container job, a volume mounted from the host),
 * as exit 2 naming git's reason and the fix; undefined for any other failure. Such a checkout is a
 * git project git will not read, never one outside git: what its default branch released is unknown.
 */
function refusedRepository(e: unknown, dir: string): InputError | undefined {
  if (!(e instanceof InputError)) return undefined;
  const why = e.why ?? '';
  const m = /detected dubious ownership in repository at '([^'\n]+)'/.exec(why) ?? /unsafe repository \('([^'\n]+)' is owned by someone else\)/.exec(why);
  if (!m) return undefined;
  const top = m[1]!;
  return new InputError({
    message: `git refuses to read the repository at ${top}: another user owns it`,
    why: `git says "${m[0]}": the checkout belongs to another user than the one running promptctl (a container job, a volume mounted from the host, a shared folder), and git answers nothing about it until told to trust it; promptctl needs its answers to know which versions the default branch released, so it does not go on as if this were no git project.`,
    hint: `if you trust this checkout, tell git so: git config --global --add safe.directory ${shellWord(top)} (in a CI job, as a step before promptctl), then run the command again.`,
  });
}

/** The top folder of the project's repository; exit 2 with git's own reason when git finds none or refuses to read it. */
export function repositoryTop(projectRoot: string): string {
  try {
    return topOf(projectRoot);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const refused = refusedRepository(e, projectRoot);
    if (refused) throw refused;
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
    return topOf(dir) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `repositoryTopOrNone`, but a repository git refuses to read (another user owns it) is that
 * refusal (exit 2), not "no repository": for the checks that hold a checkout to what its default
 * branch released, which would otherwise be skipped without a word.
 */
export function repositoryTopUnlessRefused(dir: string): string | undefined {
  if (!mayBeInRepository(dir)) return undefined;
  try {
    return topOf(dir) || undefined;
  } catch (e) {
    const refused = refusedRepository(e, dir);
    if (refused) throw refused;
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
    return remembered<string | undefined>(['origin-head', dir], () => git(dir, ['rev-parse', '--verify', '--quiet', ...ORIGIN_HEAD]).trim()) || undefined;
  } catch {
    return undefined;
  }
}

const ORIGIN_HEAD = ['--abbrev-ref', 'refs/remotes/origin/HEAD'];

/** The clone's remotes (`git remote`), for a hint that fetches `<remote>/<branch>`; none when git cannot answer. */
export function remoteNames(dir: string): string[] {
  try {
    return git(dir, ['remote']).split('\n').map((r) => r.trim()).filter(Boolean);
  } catch {
    return [];
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
