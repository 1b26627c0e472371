import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { ServerConfig } from '../core/schemas/config.js';
import { checkOutputPath, outputPathError } from '../infra/output-file.js';
import { packagePath } from '../infra/package-paths.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';

/** Scaffolds the example project (examples/quickstart). Never overwrites an existing file. */

/** The registry (and its response cache) is local state: never committed. */
const GITIGNORE = '# promptctl registry: deploy history, audit trail, runs and cache. Not in git: keep it backed up\n# (see the README, "In CI"); the prompt and suite files in git are its source.\n.promptctl/\n';

export const InitOptions = z.object({
  /** The folder to create or fill, relative to `cwd`. */
  dir: z.string().default('.'),
  /** Only the config (and .gitignore): no example prompt or suite. */
  blank: z.boolean().default(false),
  /** Written as `server.base_url` instead of the simulator's address. */
  baseUrl: ServerConfig.shape.base_url.optional(),
  /** Written as `server.model` instead of the simulator's model. */
  model: ServerConfig.shape.model.optional(),
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
  /** What a kept file lacks that the project needs (a `.gitignore` not ignoring the registry, options not applied). */
  warnings: string[];
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
  const { dir, blank, baseUrl, model } = parseOptions('init', InitOptions, opts);
  const { cwd } = appContext(opts);
  const root = path.resolve(cwd, dir);
  // Checked before anything is created, so a wrong target leaves no half-made project behind.
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new InputError({ message: `cannot initialise a project in ${root}: it is a file, not a folder`, hint: 'give a folder (a new one is created), e.g. promptctl init my-prompts' });
  }
  if (!existsSync(root)) checkOutputPath(cwd, dir);
  const template = packagePath('examples', 'quickstart');
  const created: string[] = [];
  const kept: string[] = [];
  for (const file of listFiles(template).sort()) {
    if (file.startsWith('.promptctl/') || file === '.gitignore') continue;
    if (blank && file !== CONFIG) continue;
    const target = path.join(root, file);
    if (existsSync(target)) {
      kept.push(file);
      continue;
    }
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      const source = path.join(template, file);
      if (file === CONFIG && (baseUrl !== undefined || model !== undefined)) {
        writeFileSync(target, withServer(readFileSync(source, 'utf8'), baseUrl, model), { flag: 'wx' });
      } else copyFileSync(source, target, 1 /* COPYFILE_EXCL: never overwrite, even in a race */);
    } catch (error) {
      throw outputPathError(error, target) ?? error;
    }
    created.push(file);
  }
  // Written from here rather than copied: npm leaves .gitignore files out of published packages.
  const ignore = path.join(root, '.gitignore');
  const warnings: string[] = [];
  if (kept.includes(CONFIG) && (baseUrl !== undefined || model !== undefined)) {
    warnings.push(`${CONFIG} was kept, so ${[baseUrl !== undefined ? '--base-url' : '', model !== undefined ? '--model' : ''].filter(Boolean).join(' and ')} did not change it: set server.base_url and server.model in it`);
  }
  if (existsSync(ignore)) {
    kept.push('.gitignore');
    if (!ignoresRegistry(readFileSync(ignore, 'utf8'))) warnings.push('.gitignore was kept, and it does not ignore .promptctl/ (the registry database, which is not kept in git): add a line `.promptctl/` to it');
  } else {
    try {
      mkdirSync(root, { recursive: true });
      writeFileSync(ignore, GITIGNORE, { flag: 'wx' });
    } catch (error) {
      throw outputPathError(error, ignore) ?? error;
    }
    created.push('.gitignore');
  }
  return { root, created, kept, blank, warnings };
}

/** Whether a .gitignore has a line that ignores the `.promptctl` folder at the project's top. */
function ignoresRegistry(text: string): boolean {
  return text.split(/\r?\n/).some((line) => /^\/?\.promptctl(\/\*?\*?)?\/?\s*$/.test(line.trim()));
}
