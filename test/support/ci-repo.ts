import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect } from 'vitest';
import { startSimulator, type SimOptions } from '../../src/sim/server.js';
import type { Simulator } from '../../src/sim/types.js';
import { BASE_VARIABLES } from '../../src/core/ci/base-choice.js';
import { runCliInProcess, type RunResult } from './cli.js';
import { allAttackPacks, cleanupTempDirs, makeSimProject, makeTempDir, readProjectFile, relaxLatencyGate, writeProjectFile } from './project.js';

/**
 * `promptctl ci` end to end: a base git repository made from the example project (1.0.0 and
 * 1.1.0 evaluated, 1.1.0 deployed to staging and production, everything committed on main; the
 * registry in .promptctl/ is git-ignored and travels with each copy), and the helpers every
 * scenario uses on a branch of its own copy.
 */

export const ID = 'support-answer';
export const ACTOR = 'release@example.com';

const GIT_OPTIONS = ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null'];
const gitExecOptions = (dir: string) => ({
  cwd: dir,
  encoding: 'utf8' as const,
  stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined } as NodeJS.ProcessEnv,
});

export function git(dir: string, ...args: string[]): string {
  // git never needs the simulator, so a blocking call is fine here.
  return execFileSync('git', [...GIT_OPTIONS, ...args], gitExecOptions(dir));
}

/**
 * Several git commands run by one shell (`G` is git as `git()` runs it, `$1`... are `args`),
 * stopping at the first that fails: the test worker forks one process instead of one per command,
 * and a fork copies the worker's large memory map (kernel time that a shell's own children do not cost).
 */
function gitSteps(dir: string, script: string, ...args: string[]): void {
  execFileSync('sh', ['-c', `set -e; G() { git ${GIT_OPTIONS.join(' ')} "$@"; }; ${script}`, 'sh', ...args], gitExecOptions(dir));
}

const COMMIT_ALL = 'G add -A; G commit -q -m "$1"';

export function commitAll(dir: string, message: string): void {
  gitSteps(dir, COMMIT_ALL, message);
}

/** `dir` as a git repository on `main` with a committer, everything in it committed (unless `commit: false`). */
export function initRepo(dir: string, message = 'base', opts: { commit?: boolean } = {}): void {
  const init = 'G init -q -b main; G config user.email dev@example.com; G config user.name Dev';
  gitSteps(dir, opts.commit === false ? init : `${init}; ${COMMIT_ALL}`, message);
}

/** Every variable ci reads to choose its base, unset: the test process's own CI job does not choose it. */
const NO_BASE_VARIABLES = Object.fromEntries(BASE_VARIABLES.map((v) => [v, undefined]));

/** promptctl without a terminal and without a CI user (so the actor is the one passed); `env` adds CI variables. */
export function cli(dir: string, ...args: string[]): Promise<RunResult> {
  return cliWith(dir, {}, ...args);
}

export function cliWith(dir: string, env: Record<string, string | undefined>, ...args: string[]): Promise<RunResult> {
  return runCliInProcess(args, {
    cwd: dir,
    env: { ...NO_BASE_VARIABLES, PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined, GITLAB_USER_EMAIL: undefined, GITLAB_USER_LOGIN: undefined, ...env },
  });
}

export async function expectExit(dir: string, code: number, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

/**
 * A copy of a repository (work tree, .git, and the git-ignored registry in .promptctl/) in a new
 * temp folder: a file's tests share a repository made once instead of each running the git
 * commands (and evals) that made it.
 */
export function repoCopy(repo: string, prefix = 'promptctl-ci-'): string {
  const dir = makeTempDir(prefix);
  cpSync(repo, dir, { recursive: true });
  return dir;
}

/** A copy of the base repository on a new branch. */
export function branchOf(base: string, name: string): string {
  const dir = repoCopy(base, `promptctl-ci-${name}-`);
  git(dir, 'checkout', '-q', '-b', name);
  return dir;
}

export function ci(dir: string, ...extra: string[]): Promise<RunResult> {
  return cli(dir, 'ci', '--base', 'main', '--junit', 'j.xml', '--summary', 's.md', ...extra);
}

/** `promptctl new` to 1.2.0, then `edit` applied to its lines. */
export async function newVersion(dir: string, description: string, edit: (lines: string[]) => string[] = (l) => l): Promise<string> {
  await expectExit(dir, 0, 'new', ID, '--minor', '--description', description);
  const file = `prompts/${ID}/1.2.0.yaml`;
  writeProjectFile(dir, file, edit(readProjectFile(dir, file).split('\n')).join('\n'));
  return file;
}

export const dropLines = (...needles: string[]) => (lines: string[]) => lines.filter((l) => !needles.some((n) => l.includes(n)));

export interface JUnitCase {
  name: string;
  classname: string;
  failure?: unknown;
  error?: unknown;
  skipped?: unknown;
}
export interface JUnitSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped?: number;
  testcase: JUnitCase[];
}

export function readJUnit(dir: string): JUnitSuite[] {
  const xml = readFileSync(path.join(dir, 'j.xml'), 'utf8');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: true,
    isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
  });
  const doc = parser.parse(xml, true);
  const suites = doc.testsuites.testsuite as JUnitSuite[];
  for (const s of suites) {
    s.testcase ??= [];
    expect(s.tests, s.name).toBe(s.testcase.length);
    expect(s.failures, s.name).toBe(s.testcase.filter((c) => c.failure !== undefined).length);
    expect(s.errors, s.name).toBe(s.testcase.filter((c) => c.error !== undefined).length);
  }
  expect(doc.testsuites.tests).toBe(suites.reduce((n, s) => n + s.tests, 0));
  expect(doc.testsuites.failures).toBe(suites.reduce((n, s) => n + s.failures, 0));
  return suites;
}

/** The text of a <failure> element (the parser gives an object when it has attributes). */
export function failureText(c: JUnitCase): string {
  const f = c.failure as string | { '#text'?: string; message?: string } | undefined;
  if (f === undefined) return '';
  return typeof f === 'string' ? f : `${f.message ?? ''}\n${f['#text'] ?? ''}`;
}

/** An <error>'s message and text ('' when the case has none). */
export function errorText(c: JUnitCase): string {
  const f = c.error as string | { '#text'?: string; message?: string } | undefined;
  if (f === undefined) return '';
  return typeof f === 'string' ? f : `${f.message ?? ''}\n${f['#text'] ?? ''}`;
}

export function suiteNamed(suites: JUnitSuite[], name: string): JUnitSuite {
  const s = suites.find((x) => x.name === name);
  expect(s, `no suite ${name} in ${suites.map((x) => x.name).join(', ')}`).toBeDefined();
  return s!;
}

/** What a base repository's project keeps of the example: `allAttackPacks` as it ships, not the test copy's two packs. */
export interface BaseRepoOptions {
  allAttackPacks?: boolean;
}

/** The base repository, set up once per test file against the given simulator. */
export async function makeBaseRepo(simUrl: string, opts: BaseRepoOptions = {}): Promise<string> {
  const base = makeSimProject(simUrl, {}, 'promptctl-ci-base-');
  if (opts.allAttackPacks) allAttackPacks(base);
  // The gates under test are about what changed, not about how fast a loaded machine answers:
  // allow any p95 latency change, so no verdict here depends on timing.
  relaxLatencyGate(base);
  writeProjectFile(base, 'README.md', '# Support prompts\n');

  initRepo(base, 'the example project');

  // The deployed baseline lives in the (git-ignored) registry of this working tree.
  await expectExit(base, 0, 'eval', `${ID}@1.0.0`, `${ID}@1.1.0`);
  await expectExit(base, 0, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', ACTOR);
  await expectExit(base, 0, 'deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'first release', '--actor', ACTOR);
  expect(git(base, 'status', '--porcelain')).toBe('');
  expect(existsSync(path.join(base, '.promptctl', 'registry.db'))).toBe(true);
  return base;
}

/**
 * For a `ci` test file: a simulator and the base repository made on it, before the file's tests,
 * closed and removed (with the file's temp folders) after them. `sim` and `base` are live once the
 * tests run.
 */
export function ciRepoForFile(simOptions: SimOptions = {}, repo: BaseRepoOptions = {}): { readonly sim: Simulator; readonly base: string } {
  const live: { sim?: Simulator; base?: string } = {};
  beforeAll(async () => {
    live.sim = await startSimulator({ port: 0, ...simOptions });
    live.base = await makeBaseRepo(live.sim.url, repo);
  }, 120_000);
  afterAll(async () => {
    await live.sim?.close();
    cleanupTempDirs();
  });
  return {
    get sim() {
      return live.sim!;
    },
    get base() {
      return live.base!;
    },
  };
}
