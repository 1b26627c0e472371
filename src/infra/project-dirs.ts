import { lstatSync, readdirSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { errorCode, type Problem } from '../core/errors.js';
import { fileProblem, NOT_REGULAR_FILE } from './yaml-file.js';

/**
 * Listing the folders of a project (`prompts/`, `evalsets/` and the folders in them), following
 * symbolic links. What cannot be what it should be is a problem naming its path, never skipped
 * silently and never a crash: the folder itself a file, a dangling link, a link loop, a folder named
 * like a YAML file. A missing folder is simply empty (a project may have no suites yet).
 */

type Kind = 'file' | 'dir' | 'other';

/** A link that leads to no file, as a problem; `rel` is relative to `root` (the project root, or where promptctl runs), with forward slashes. */
export function linkProblem(root: string, rel: string, err: unknown): Problem {
  const code = errorCode(err);
  if (code === 'ELOOP') return fileProblem(rel, 'is a symbolic link loop (it leads back to itself): point it at a real file or remove it');
  let target = '';
  try {
    target = readlinkSync(path.join(root, rel));
  } catch {
    // Not a link after all: the message below still names the path.
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') return fileProblem(rel, `is a symbolic link to ${target || 'a path'}, which does not exist: restore the target or remove the link`);
  return fileProblem(rel, `cannot be read (${code ?? String(err)})`);
}

/** The kind of `entry` in `dirAbs`, following a symbolic link; a broken link is a problem. */
function kindOf(root: string, rel: string, entry: Dirent, problems: Problem[]): Kind | undefined {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'dir';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const st = statSync(path.join(root, rel));
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch (err) {
    problems.push(linkProblem(root, rel, err));
    return undefined;
  }
}

function entriesOf(root: string, rel: string, problems: Problem[]): Dirent[] {
  const abs = path.join(root, rel);
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') {
      // A link to nowhere is a problem; a folder that is not there is an empty one.
      let isLink = false;
      try {
        isLink = lstatSync(abs).isSymbolicLink();
      } catch {
        isLink = false;
      }
      if (isLink) problems.push(linkProblem(root, rel, err));
      return [];
    }
    if (code === 'ENOTDIR') problems.push(fileProblem(rel, 'is a file, not a folder: a project keeps one folder per prompt in it; move the file away'));
    else problems.push(code === 'ELOOP' ? linkProblem(root, rel, err) : fileProblem(rel, `cannot be read (${code ?? String(err)})`));
    return [];
  }
}

const join = (rel: string, name: string): string => `${rel}/${name}`;

/** Any YAML name, whatever the case of its extension: `.YAML` and `.Yml` are not read, so they are reported. */
const YAML_LIKE = /\.ya?ml$/i;
/** How deep a folder not in the layout is searched for YAML files (a link loop ends here). */
const MAX_DEPTH = 8;

/**
 * A YAML file where the layout reads none (`prompts/<team>/<id>/1.0.0.yaml`, `evalsets/<id>/<kind>/x.yaml`,
 * `prompts/x.yaml`): never read, so reported with the layout it should follow, not left for a suite
 * that never runs or a version nothing lists. The layout stays one folder level (README "Layout").
 */
function outsideLayout(rel: string): Problem {
  const parts = rel.split('/');
  const name = parts[parts.length - 1]!;
  const suites = parts[0] === 'evalsets';
  const layout = suites ? 'suites live in evalsets/<prompt id>/<suite>.yaml' : 'versions live in prompts/<id>/<semver>.yaml';
  // Nested: the prompt is the first folder for a suite (grouped by kind), the last for a version (grouped by team).
  const folder = parts.length > 2 ? (suites ? parts[1] : parts[parts.length - 2]) : undefined;
  const move = folder ? `move it to ${parts[0]}/${folder}/${name}` : `move it into a prompt's folder, ${suites ? 'evalsets/<prompt id>/' : 'prompts/<id>/'}`;
  const data = suites ? ' (a cases_from data file belongs outside evalsets/)' : '';
  return { ...fileProblem(rel, `is outside the layout, so promptctl never reads it: ${layout}, with no sub-folders; ${move}${data}`), rule: 'project/layout' };
}

/** Every YAML file under `rel` (a folder not in the layout), reported as outside it. */
function reportNestedYaml(root: string, rel: string, problems: Problem[], depth = 0): void {
  if (depth > MAX_DEPTH) return;
  for (const e of entriesOf(root, rel, problems)) {
    const entryRel = join(rel, e.name);
    const kind = kindOf(root, entryRel, e, problems);
    if (kind === 'dir') reportNestedYaml(root, entryRel, problems, depth + 1);
    else if (kind === 'file' && YAML_LIKE.test(e.name)) problems.push(outsideLayout(entryRel));
  }
}

/** The folders in `rel` (links to folders included), sorted. A YAML file next to them is outside the layout; other files are not the project's business. */
export function listDirs(root: string, rel: string, problems: Problem[]): string[] {
  const out: string[] = [];
  for (const e of entriesOf(root, rel, problems)) {
    const kind = kindOf(root, join(rel, e.name), e, problems);
    if (kind === 'dir') out.push(e.name);
    else if (kind === 'file' && YAML_LIKE.test(e.name)) problems.push(outsideLayout(join(rel, e.name)));
  }
  return out.sort();
}

/**
 * The YAML files in `rel` (links to files included), sorted; anything else named like one is a
 * problem, as are a `.YAML` extension and YAML files in sub-folders (both would never be read).
 */
export function listYaml(root: string, rel: string, problems: Problem[]): string[] {
  const out: string[] = [];
  for (const e of entriesOf(root, rel, problems)) {
    const entryRel = join(rel, e.name);
    const kind = kindOf(root, entryRel, e, problems);
    if (kind === 'dir' && !YAML_LIKE.test(e.name)) reportNestedYaml(root, entryRel, problems);
    if (kind === undefined || !YAML_LIKE.test(e.name)) continue;
    if (!/\.ya?ml$/.test(e.name)) {
      const lower = e.name.replace(/\.(ya?ml)$/i, (_m, ext: string) => `.${ext.toLowerCase()}`);
      problems.push({ ...fileProblem(entryRel, `has an upper-case extension, so promptctl never reads it: only .yaml and .yml files are; rename it to ${lower}`), rule: 'project/layout' });
      continue;
    }
    if (kind === 'file') out.push(e.name);
    else if (kind === 'dir') problems.push(fileProblem(entryRel, 'is a folder, not a file: a version or suite is one YAML file; rename or remove the folder'));
    else problems.push(fileProblem(entryRel, `${NOT_REGULAR_FILE}: a version or suite is one YAML file`));
  }
  return out.sort();
}

/**
 * Whether a symbolic link is among the prompt and suite folders (`prompts/<id>`, `evalsets/<id>`)
 * or their files: a link may make another prompt's file the same file as one of this prompt's.
 * Reads only the folders' listings, never a file.
 */
export function holdsLinks(root: string): boolean {
  const entries = (rel: string): Dirent[] => {
    try {
      return readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return [];
    }
  };
  return ['prompts', 'evalsets'].some((top) => entries(top).some((e) => e.isSymbolicLink() || (e.isDirectory() && entries(path.join(top, e.name)).some((f) => f.isSymbolicLink()))));
}
