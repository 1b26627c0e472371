import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeControlChar, hasControlChars } from '../core/control-chars.js';
import { errorCode, InputError } from '../core/errors.js';
import { ServerConfig } from '../core/schemas/config.js';
import { checkOutputPath, outputPathError, outputWriteFault } from '../infra/output-file.js';
import { hasConfigEntry, nearestConfigFolder, refuseBrokenConfigLink, refuseMisnamedConfig } from '../infra/project-config.js';
import { packagePath } from '../infra/package-paths.js';
import { optionName, optionSet } from '../core/option-names.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { withApiPrefix } from '../core/api-prefix.js';

/**
 * Scaffolds the example project (examples/quickstart). Never overwrites an existing file, copies no
 * example into a folder that already holds a project (its `support-answer` would become a version
 * of the user's prompt of that name), and makes no project inside another one without `nested`.
 */

/** The registry (and its response cache) is local state: never committed. */
const GITIGNORE =
  '# promptctl registry: deploy history, audit trail, runs and cache. Not in git: keep it backed up\n' +
  '# (see the README, "In CI"); the prompt and suite files in git are its source. git clean -fdx and\n' +
  '# git stash --all delete it: use git clean -fdx -e .promptctl, or a registry.path outside the work tree.\n' +
  '.promptctl/\n';

export const InitOptions = z.object({
  /** The folder to create or fill, relative to `cwd`. */
  dir: z.string().default('.'),
  /** Only the config (and .gitignore): no example prompt or suite. */
  blank: z.boolean().default(false),
  /** Written as `server.base_url` instead of the simulator's address. */
  baseUrl: ServerConfig.shape.base_url.optional(),
  /**
   * Written as `server.model` instead of the simulator's model. A control character or a space at
   * either end names no model a server serves, and lint would refuse the config it wrote.
   */
  model: ServerConfig.shape.model
    .refine((m) => !hasControlChars(m) && m.trim() === m, { error: (i) => (hasControlChars(String(i.input)) ? `must be a model name without control characters (it holds ${describeControlChar(String(i.input))})` : 'must be a model name without spaces at its ends') })
    .optional(),
  /** Make the project even inside another one's folder (commands run below it would find this one). */
  nested: z.boolean().default(false),
});
export type InitOptions = z.input<typeof InitOptions>;

/** What `init --json` prints. */
export interface InitResult {
  /** The project folder, absolute. */
  root: string;
  /** Files written, relative to `root`. */
  created: string[];
  /** Files that already existed and were left as they were. */
  kept: string[];
  /** `--blank`: no example prompt or suite was copied. */
  blank: boolean;
  /** The folder already held a project (named here: its config, prompts or suites), so no example was copied. */
  existing?: string;
  /** Whether the project has a prompt version file (`prompts/<id>/<name>.yaml`): without one, `new` comes first. */
  hasVersions: boolean;
  /** What a kept file lacks that the project needs (a `.gitignore` not ignoring the registry, options not applied). */
  warnings: string[];
  /**
   * The project folder as reached from where init ran, when it is another one (`init my-prompts`):
   * the next steps find the project upwards from the current folder, so they run after a `cd` there.
   */
  cd?: string;
  /** The server the written `.promptrc.yaml` names; absent when an existing one was kept. */
  server?: WrittenServer;
}

export interface WrittenServer {
  baseUrl: string | string[];
  model: string;
  /** Set when `base_url` is the simulator's address (no `--base-url`): how to start a simulator it reaches. */
  simulator?: { port: number; model?: string };
}

const CONFIG = '.promptrc.yaml';

/**
 * The template's `server.base_url` and `server.model` lines with the given values, as YAML
 * double-quoted scalars (JSON strings are valid ones), so the comments around them stay.
 */
function withServer(text: string, baseUrl: string | string[] | undefined, model: string | undefined): string {
  const line = (key: string, value: string | string[] | undefined) => (all: string) =>
    value === undefined ? all : `  ${key}: ${Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value)}`;
  return text.replace(/^  base_url: .*$/m, line('base_url', baseUrl)).replace(/^  model: .*$/m, line('model', model));
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

export async function init(opts: InitOptions & AppOptions): Promise<InitResult> {
  const { dir, blank, baseUrl, model, nested } = parseOptions('init', InitOptions, opts);
  const { cwd, optionNames } = appContext(opts);
  const root = path.resolve(cwd, dir);
  // Checked before anything is created, so a wrong target leaves no half-made project behind.
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new InputError({ message: `cannot initialise a project in ${root}: it is a file, not a folder`, hint: 'give a folder (a new one is created), e.g. promptctl init my-prompts' });
  }
  if (!existsSync(root)) checkOutputPath(cwd, dir);
  // A config link that leads nowhere is neither kept nor written through: named, as every command names it.
  // A config under the other name would be left beside the new one, unread.
  if (existsSync(root)) refuseMisnamedConfig(root);
  if (hasConfigEntry(root)) refuseBrokenConfigLink(root, cwd);
  // A folder with its own config is a project already (a copied example): commands run in it find
  // it first, so filling it in takes no project's place, and the one above it is no reason to refuse.
  const above = nested || hasConfigEntry(root) ? undefined : projectAbove(root);
  if (above) {
    throw new InputError({
      message: `${root} is inside the project at ${above}`,
      why: `commands find their project upwards from the current folder, as git finds .git: a project here would take the place of ${above} for every command run in it.`,
      hint: `run promptctl anywhere below ${above} to use that project; to make a separate project here anyway, pass ${optionSet(optionNames, 'nested')}.`,
    });
  }
  const existing = existingProject(root);
  const template = packagePath('examples', 'quickstart');
  const created: string[] = [];
  const kept: string[] = [];
  const made: string[] = [];
  /** Writes one file (never over another); on failure, removes everything this run made, so no half-made project stays. */
  const write = (file: string, put: (target: string) => void): void => {
    const target = path.join(root, file);
    try {
      const first = mkdirSync(path.dirname(target), { recursive: true });
      if (first) made.push(first);
      put(target);
    } catch (error) {
      // Written exclusively, so a file there is this run's own, half-written, unless the name was taken.
      undo(root, [...created, ...(errorCode(error) === 'EEXIST' ? [] : [file])], made);
      throw outputPathError(error, target) ?? outputWriteFault(error, target, { again: 'run `promptctl init` again (nothing this run made was kept)' }) ?? error;
    }
    created.push(file);
  };
  for (const file of listFiles(template).sort()) {
    if (file.startsWith('.promptctl/') || file === '.gitignore') continue;
    if ((blank || existing) && file !== CONFIG) continue;
    const target = path.join(root, file);
    if (existsSync(target)) {
      kept.push(file);
      continue;
    }
    const source = path.join(template, file);
    write(file, (to) => {
      if (file === CONFIG && (baseUrl !== undefined || model !== undefined)) {
        writeFileSync(to, withServer(readFileSync(source, 'utf8'), baseUrl, model), { flag: 'wx' });
      } else copyFileSync(source, to, 1 /* COPYFILE_EXCL: never overwrite, even in a race */);
    });
  }
  // Written from here rather than copied: npm leaves .gitignore files out of published packages.
  const ignore = path.join(root, '.gitignore');
  const warnings: string[] = [];
  if (existing && !blank) warnings.push(`this folder already holds a project (${existing}): no example prompt or suite was copied into it, where they would mix with its own files; for the example project, run promptctl init in an empty folder`);
  if (kept.includes(CONFIG) && (baseUrl !== undefined || model !== undefined)) {
    warnings.push(`${CONFIG} was kept, so ${[baseUrl !== undefined ? optionName(optionNames, 'baseUrl') : '', model !== undefined ? optionName(optionNames, 'model') : ''].filter(Boolean).join(' and ')} did not change it: set server.base_url and server.model in it`);
  }
  // Written as given (a proxy may map another path), but said now rather than as a 404 at the first eval.
  for (const url of created.includes(CONFIG) ? [baseUrl ?? []].flat() : []) {
    const likely = withApiPrefix(url);
    if (likely) warnings.push(`${optionName(optionNames, 'baseUrl')} ${url} does not end in /v1, where vLLM serves its OpenAI-compatible API: \`lint --server\` and \`eval\` would likely get 404 (GET /models); you probably want ${likely} (set server.base_url in ${CONFIG}), unless a proxy serves the API at this path`);
  }
  if (existsSync(ignore)) {
    kept.push('.gitignore');
    if (!ignoresRegistry(readFileSync(ignore, 'utf8'))) warnings.push('.gitignore was kept, and it does not ignore .promptctl/ (the registry database, which is not kept in git): add a line `.promptctl/` to it');
  } else {
    write('.gitignore', (to) => writeFileSync(to, GITIGNORE, { flag: 'wx' }));
  }
  const server = created.includes(CONFIG) ? writtenServer(readFileSync(path.join(template, CONFIG), 'utf8'), baseUrl, model) : undefined;
  const cd = path.relative(path.resolve(cwd), root);
  return { root, created, kept, blank, ...(existing ? { existing } : {}), hasVersions: hasVersionFile(root), ...(cd ? { cd } : {}), warnings, ...(server ? { server } : {}) };
}

/**
 * What the written config names: the options, else the template's simulator address and model
 * (read from the template, so the next-step hint never names another port than the config's).
 */
function writtenServer(template: string, baseUrl: string | string[] | undefined, model: string | undefined): WrittenServer {
  const t = (parse(template) as { server: { base_url: string; model: string } }).server;
  if (baseUrl !== undefined) return { baseUrl, model: model ?? t.model };
  const url = new URL(t.base_url);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { baseUrl: t.base_url, model: model ?? t.model, simulator: { port, ...(model !== undefined ? { model } : {}) } };
}

/** Removes the files this run created, then the folders it created that are left empty (deepest first). */
function undo(root: string, files: string[], folders: string[]): void {
  for (const file of files) {
    try {
      unlinkSync(path.join(root, file));
    } catch {
      // Already gone: nothing to undo.
    }
  }
  const emptyBelow = (dir: string): void => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
    for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) emptyBelow(path.join(dir, d.name));
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  };
  for (const folder of [...folders].reverse()) emptyBelow(folder);
}

/** What shows that `root` already holds a project: its config, or any file under prompts/ or evalsets/. */
function existingProject(root: string): string | undefined {
  const found = [CONFIG, 'prompts/', 'evalsets/'].filter((name) => {
    const at = path.join(root, name);
    if (name === CONFIG) return existsSync(at);
    return existsSync(at) && statSync(at).isDirectory() && listFiles(at).length > 0;
  });
  return found.length ? found.join(', ') : undefined;
}

/**
 * Whether any `prompts/<id>/` folder holds a YAML file: what `eval` needs before it can run. A kept
 * project may hold only its config, or files of its own under prompts/ that are no versions.
 */
function hasVersionFile(root: string): boolean {
  const prompts = path.join(root, 'prompts');
  if (!existsSync(prompts) || !statSync(prompts).isDirectory()) return false;
  return readdirSync(prompts, { withFileTypes: true }).some((d) => {
    const folder = path.join(prompts, d.name);
    return statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true && readdirSync(folder).some((f) => /\.ya?ml$/i.test(f));
  });
}

/** The nearest folder above `root` with a project config, if any. */
function projectAbove(root: string): string | undefined {
  const parent = path.dirname(root);
  return parent === root ? undefined : nearestConfigFolder(parent);
}

/** Whether a .gitignore has a line that ignores the `.promptctl` folder at the project's top. */
function ignoresRegistry(text: string): boolean {
  return text.split(/\r?\n/).some((line) => /^\/?\.promptctl(\/\*?\*?)?\/?\s*$/.test(line.trim()));
}
