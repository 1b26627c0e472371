import { lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { findFileControlChar } from '../core/control-chars.js';
import { InputError, type Problem } from '../core/errors.js';
import type { OptionNames } from '../core/option-names.js';
import { versionOfFileName } from '../core/refs.js';
import { Slug } from '../core/schemas/common.js';
import { shellWord } from '../core/shell-word.js';
import { CONFIG_FILE, PromptrcConfig } from '../core/schemas/config.js';
import { type Locate } from '../core/yaml-source.js';
import { validate } from '../core/schema-problems.js';
import { openFileCache, type FileCache } from './file-cache.js';
import { linkProblem, listDirs, listYaml } from './project-dirs.js';
import { readValidatedFile } from './validated-file.js';
import { fileProblem, noLocate } from './yaml-file.js';

/**
 * The project root and its config (.promptrc.yaml), apart from the prompts and suites
 * (project.ts): commands that read only the config (status, history, audit) do not load, or
 * build the schemas of, prompt and suite files.
 */

export { CONFIG_FILE };

/**
 * The project root at or above `cwd`. `names`: how the refusals name the folder option, the
 * command line's `--cwd (-C)` (the default) or a script's `cwd` (the use cases pass their caller's).
 */
export function findProjectRoot(cwd: string, names: OptionNames = 'flags'): string {
  const dir = path.resolve(cwd);
  const flags = names === 'flags';
  // As `git -C` refuses a folder that is not there, rather than looking above it for a project.
  const kind = folderKind(dir);
  if (kind !== 'folder') {
    throw new InputError({
      message: `${dir} ${kind === 'missing' ? 'does not exist' : 'is not a folder'}`,
      why: flags ? 'promptctl runs in a folder (the current one, or the one --cwd names) and looks for the project from there.' : 'a use case runs in the folder its cwd names and looks for the project from there.',
      hint: flags ? 'pass --cwd (-C) the project folder, or a folder inside it.' : 'pass cwd: the project folder, or a folder inside it.',
    });
  }
  const root = nearestConfigFolder(dir, refuseMisnamedConfig);
  if (root === undefined) {
    throw new InputError({
      message: `no ${CONFIG_FILE} found in ${dir} or any folder above it`,
      why: 'promptctl looks for the project root the way git looks for .git.',
      hint: flags ? 'run `promptctl init` to create a project, or pass --cwd <project folder>.' : 'create a project there (`init`, or `promptctl init`), or pass cwd: the project folder.',
    });
  }
  refuseBrokenConfigLink(root, dir);
  return root;
}

/**
 * The nearest folder at or above `dir` that holds a .promptrc.yaml entry (`hasConfigEntry`): the one
 * upward search; undefined at the file system's root. `visit` sees each folder first.
 */
export function nearestConfigFolder(dir: string, visit?: (at: string) => void): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    visit?.(at);
    if (hasConfigEntry(at)) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** The config under the other YAML extension, which prompt and suite files may use but the config may not. */
const MISNAMED_CONFIG = '.promptrc.yml';

/**
 * A `.promptrc.yml` where the search for the project passes: refused (exit 2), as the config is read
 * only as .promptrc.yaml. Not read, it let the search go on above to another project (and its
 * registry) without a word, or lay ignored beside a .promptrc.yaml; `init` made a second config.
 */
export function refuseMisnamedConfig(dir: string): void {
  try {
    lstatSync(path.join(dir, MISNAMED_CONFIG));
  } catch {
    return;
  }
  const both = hasConfigEntry(dir);
  throw new InputError({
    message: both ? `${dir} holds both ${CONFIG_FILE} and ${MISNAMED_CONFIG}: promptctl reads only ${CONFIG_FILE}` : `found ${MISNAMED_CONFIG} in ${dir}: promptctl reads its config only as ${CONFIG_FILE}`,
    why: both
      ? `what ${MISNAMED_CONFIG} sets (server, gates, registry) would be ignored without a word.`
      : `the config has one name, so every command and teammate finds the same file; unread, ${MISNAMED_CONFIG} would leave the project without its settings, or the search would go on above it to another project.`,
    hint: both ? `move what ${MISNAMED_CONFIG} sets into ${CONFIG_FILE}, then delete ${MISNAMED_CONFIG}.` : `rename it: mv ${shellWord(path.join(dir, MISNAMED_CONFIG))} ${shellWord(path.join(dir, CONFIG_FILE))}`,
  });
}

/**
 * Whether `dir` holds an entry named .promptrc.yaml, whatever it is or leads to: the one rule for
 * "this folder is a project root". Not existsSync, which follows a link: a dangling or looping
 * link would make the search go on upwards, and every command (deploy included) would then run
 * against a project above without a word.
 */
export function hasConfigEntry(dir: string): boolean {
  try {
    lstatSync(path.join(dir, CONFIG_FILE));
    return true;
  } catch {
    return false;
  }
}

/** A config that is a symbolic link leading nowhere (dangling, a loop) is bad input, named from where promptctl runs. */
export function refuseBrokenConfigLink(dir: string, cwd: string): void {
  const abs = path.join(dir, CONFIG_FILE);
  try {
    statSync(abs);
  } catch (err) {
    const rel = path.relative(cwd, abs).split(path.sep).join('/');
    throw new InputError({
      message: `the project config ${abs} is a symbolic link that leads to no file`,
      problems: [linkProblem(cwd, rel, err)],
      why: `${CONFIG_FILE} marks the project root, so ${dir} is this project: promptctl does not look above it for another one (a command would then act on a project you did not mean).`,
      hint: `restore the link's target or point the link at a real ${CONFIG_FILE}; remove the link if the project above is the one you mean.`,
    });
  }
}

function folderKind(dir: string): 'folder' | 'missing' | 'other' {
  try {
    return statSync(dir).isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}

export function loadConfig(root: string, cache: FileCache = openFileCache(root)): { config?: PromptrcConfig; locate: Locate; problems: Problem[] } {
  const problems: Problem[] = [];
  let locate = noLocate;
  const read = readValidatedFile(cache, 'config', path.join(root, CONFIG_FILE), CONFIG_FILE, problems, (loaded) => {
    locate = loaded.locate;
    const v = validate(PromptrcConfig, loaded, CONFIG_FILE);
    return { value: v.value, problems: [...v.problems, ...controlCharProblem(loaded, CONFIG_FILE)] };
  });
  return { config: read?.value, locate: read?.locate ?? locate, problems };
}

/** A control character in a file's keys or values (all but newline, tab, CR), as a positioned problem. */
export function controlCharProblem(loaded: { data: unknown; locate: Locate }, file: string, exempt?: (at: ReadonlyArray<string | number>) => boolean): Problem[] {
  const found = findFileControlChar(loaded.data, exempt);
  if (!found) return [];
  const pos = loaded.locate(found.at);
  const message = `contains the control character ${found.char}: files may hold newlines, tabs and carriage returns only (a NUL or an escape sequence would be stored and sent); remove it${exempt ? ' (variable values of cases may carry any character)' : ''}`;
  return [fileProblem(file, message, found.at.join('.'), pos.line, pos.col)];
}

/** The project root and its validated config, without reading any prompt or suite. */
export function loadProjectConfig(cwd: string, opts: { cache?: FileCache; env?: Readonly<Record<string, string | undefined>>; optionNames?: OptionNames } = {}): { root: string; config: PromptrcConfig; configLocate: Locate } {
  const root = findProjectRoot(cwd, opts.optionNames);
  const cfg = loadConfig(root, opts.cache ?? openFileCache(root, opts.env));
  if (!cfg.config) {
    throw new InputError({
      message: `${CONFIG_FILE} is not valid`,
      problems: cfg.problems,
      hint: `fix the fields named above in ${path.join(root, CONFIG_FILE)}; \`promptctl init\` in an empty folder shows a working example.`,
    });
  }
  return { root, config: cfg.config, configLocate: cfg.locate };
}

/** Prompt ids present in the working tree (folder names), without reading their files. */
export function listPromptFolders(root: string): string[] {
  const problems: Problem[] = [];
  const ids = listDirs(root, 'prompts', problems).filter((d) => Slug.safeParse(d).success);
  // Only a prompts folder that cannot be listed stops a command here; `lint` reports the rest.
  const unlistable = problems.filter((p) => p.file === 'prompts');
  if (unlistable.length) throw new InputError({ message: `cannot list the prompts of ${root}`, problems: unlistable, hint: 'fix the path named above; `promptctl lint` lists every problem at once.' });
  return ids;
}

/**
 * The versions a prompt's folder holds files for, by their names (`1.2.0.yaml`), without reading
 * them: what `status` lists beside the registered ones. Problems (a file promptctl never reads) are
 * `lint`'s to report.
 */
export function listVersionFiles(root: string, id: string): string[] {
  // The loader's rule for a name (core/refs.ts); a version in both a .yaml and a .yml file is one version.
  return [...new Set(listYaml(root, `prompts/${id}`, []).flatMap((name) => versionOfFileName(name) ?? []))];
}

/**
 * The project's folder as a path inside `top` (the repository's top folder, or GITHUB_WORKSPACE),
 * with a trailing `/`, '' when they are the same: what CI tools resolve file paths against. Real
 * paths on both sides (git names its top folder by its real path). Undefined when the project is
 * not inside `top` or either cannot be resolved: paths then stay the project's own.
 */
export function projectPathIn(root: string, top: string): string | undefined {
  let rel: string;
  try {
    rel = path.relative(realpathSync(top), realpathSync(root));
  } catch {
    return undefined;
  }
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return `${rel.split(path.sep).join('/')}/`;
}
