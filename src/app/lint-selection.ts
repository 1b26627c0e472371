import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { Slug } from '../core/schemas/common.js';
import type { OptionNames } from '../core/option-names.js';
import { CONFIG_FILE, findProjectRoot, loadProject, type Project } from '../infra/project.js';
import { holdsLinks } from '../infra/project-dirs.js';
import { isWithin, realPathOf } from '../infra/real-path.js';

/**
 * The files to check; a misspelt path, a path outside the project, or one that selects no file of
 * it is bad input: it would otherwise check nothing and pass, a CI gate that lets all through.
 * Paths are compared as real paths, so a path spelt through a link (a shell's logical $PWD) or in
 * another letter case (macOS, Windows) selects the files it names.
 */
export function lintSelection(cwd: string, project: Project, paths: string[]): ((file: string) => boolean) | undefined {
  if (!paths.length) return undefined;
  const missing = paths.filter((p) => !existsSync(path.resolve(cwd, p)));
  const wanted = paths.map((p) => realPathOf(path.resolve(cwd, p)));
  const realRoot = realPathOf(project.root);
  const reals = new Map<string, string>();
  const realOfFile = (file: string): string => {
    let real = reals.get(file);
    if (real === undefined) reals.set(file, (real = realPathOf(path.join(project.root, file))));
    return real;
  };
  const selects = (w: string, file: string) => isWithin(w, realOfFile(file));
  const files = [CONFIG_FILE, ...project.prompts.map((p) => p.file), ...project.suites.flatMap((s) => [s.file, ...(s.dataset ? [s.dataset.file] : [])]), ...project.dataRefused.flatMap((s) => [s.file, s.dataFile]), ...project.problems.map((p) => p.file)];
  // A folder above the project (`..`) holds it but is not of it; a path outside that leads to a
  // project file (the target of a link in the project) names that file.
  const above = paths.filter((_p, i) => wanted[i] !== realRoot && isWithin(wanted[i]!, realRoot));
  const none = paths.filter((p, i) => !missing.includes(p) && !above.includes(p) && !files.some((f) => selects(wanted[i]!, f)));
  const outside = [...above, ...none.filter((p) => !isWithin(realRoot, wanted[paths.indexOf(p)]!))];
  const empty = none.filter((p) => !outside.includes(p));
  if (missing.length || outside.length || empty.length) {
    throw new InputError({
      message: [
        missing.length ? `no such file or folder: ${missing.join(', ')}` : '',
        outside.length ? `outside the project: ${outside.join(', ')}` : '',
        empty.length ? `no prompt version, suite or data file in: ${empty.join(', ')}` : '',
      ].filter(Boolean).join('; '),
      why: `lint checks files inside the project at ${project.root}; a path that selects none of them would check nothing and pass.`,
      hint: 'name files or folders of the project, e.g. `promptctl lint prompts/<id>`; run `promptctl lint` alone to check everything.',
    });
  }
  return (file: string) => wanted.some((w) => selects(w, file));
}

/**
 * The prompts `lint <paths>` is about, as loadProject's `promptIds`, when every path is a prompt's
 * folder or a file in it (`prompts/<id>`, `evalsets/<id>`): the rules of those files read only that
 * prompt's versions and suites. Undefined (read every prompt) for any other path (the config, a data
 * file, the project), and when a link is among the prompt folders: another prompt's file may then be
 * one of the named files. A data file may be read by other prompts' suites too, and lint names them
 * all: the caller reads every prompt when the named prompts' suites read data files.
 */
export function lintedPromptIds(cwd: string, root: string, paths: readonly string[]): string[] | undefined {
  if (!paths.length) return undefined;
  const realRoot = realPathOf(root);
  const ids = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    if (!existsSync(abs)) return undefined;
    const [folder, id] = path.relative(realRoot, realPathOf(abs)).split(path.sep);
    if ((folder !== 'prompts' && folder !== 'evalsets') || !id || !Slug.safeParse(id).success) return undefined;
    ids.add(id);
  }
  return holdsLinks(root) ? undefined : [...ids];
}

/**
 * The project `lint <paths>` checks: only the named prompts' files where that lists the same
 * problems (`lintedPromptIds`), else every file. `--server` reads every prompt: the models it asks
 * the server about are the project's.
 */
export function loadLinted(cwd: string, paths: readonly string[], opts: { server: boolean; env: Readonly<Record<string, string | undefined>>; optionNames?: OptionNames }): Project {
  const promptIds = opts.server ? undefined : lintedPromptIds(cwd, findProjectRoot(cwd, opts.optionNames), paths);
  const all = () => loadProject(cwd, { env: opts.env, optionNames: opts.optionNames });
  if (!promptIds) return all();
  const project = loadProject(cwd, { promptIds, env: opts.env, optionNames: opts.optionNames });
  return project.suites.some((s) => s.dataset) || project.dataRefused.length ? all() : project;
}
