import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { checkOutputPath, outputPathError } from '../infra/output-file.js';
import { packagePath } from '../infra/package-paths.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl init [dir]`: scaffolds the example project. Never overwrites an existing file. */

/** The registry (and its response cache) is local state: never committed. */
const GITIGNORE = '# promptctl registry: deploy history, audit trail, runs and cache. Not in git: keep it backed up\n# (see the README, "In CI"); the prompt and suite files in git are its source.\n.promptctl/\n';

export const InitOptions = z.object({ dir: z.string().default('.') });

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<{ root: string; created: string[]; kept: string[] }>> {
  const opts = InitOptions.parse(raw);
  const root = path.resolve(ctx.cwd, opts.dir);
  // Checked before anything is created, so a wrong target leaves no half-made project behind.
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new InputError({ message: `cannot initialise a project in ${root}: it is a file, not a folder`, hint: 'give a folder (a new one is created), e.g. promptctl init my-prompts' });
  }
  if (!existsSync(root)) checkOutputPath(ctx.cwd, opts.dir);
  const template = packagePath('examples', 'quickstart');
  const created: string[] = [];
  const kept: string[] = [];
  for (const file of listFiles(template).sort()) {
    if (file.startsWith('.promptctl/') || file === '.gitignore') continue;
    const target = path.join(root, file);
    if (existsSync(target)) {
      kept.push(file);
      continue;
    }
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(template, file), target, 1 /* COPYFILE_EXCL: never overwrite, even in a race */);
    } catch (error) {
      throw outputPathError(error, target) ?? error;
    }
    created.push(file);
  }
  // Written from here rather than copied: npm leaves .gitignore files out of published packages.
  const ignore = path.join(root, '.gitignore');
  if (existsSync(ignore)) kept.push('.gitignore');
  else {
    try {
      mkdirSync(root, { recursive: true });
      writeFileSync(ignore, GITIGNORE, { flag: 'wx' });
    } catch (error) {
      throw outputPathError(error, ignore) ?? error;
    }
    created.push('.gitignore');
  }
  return {
    data: { root, created, kept },
    text: () => [
      `initialised promptctl project in ${root}`,
      ...created.map((f) => `  created ${f}`),
      ...kept.map((f) => `  kept    ${f} (already exists, not overwritten)`),
      '',
      'next: promptctl lint, then start a vLLM server (or `npx promptctl-sim --port 8000`) and run promptctl eval',
    ],
  };
}
