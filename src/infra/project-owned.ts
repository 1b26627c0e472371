import { readdirSync } from 'node:fs';
import path from 'node:path';
import { nearestConfigFolder } from './project-config.js';
import { existingRealPath, realPathOf } from './real-path.js';
import { parseYamlBytes, readFileBytes } from './yaml-file.js';

/**
 * Whether an existing file is one a project keeps (a file of `prompts/` or `evalsets/`, or a data
 * file a suite's `cases_from.file` names), for output-file.ts: no report may be written over one.
 * Paths are compared as real paths, so a link or another spelling of the same file is caught too.
 */

/** An existing file's real path in its on-disk letter case, so `DATA/Golden.csv` is the data file too, for the data files suites name. */
const realOf = (abs: string): string | undefined => existingRealPath(abs, { native: true });

/** The project folders above `abs`: the file may be reached through a link, so both its spelt and its real folders count. */
function projectRootsOf(abs: string, real: string): string[] {
  const roots = new Set<string>();
  for (const start of [path.dirname(abs), path.dirname(real)]) {
    const root = nearestConfigFolder(start);
    if (root !== undefined) roots.add(root);
  }
  return [...roots];
}

function suiteFiles(root: string): string[] {
  const out: string[] = [];
  try {
    for (const id of readdirSync(path.join(root, 'evalsets'))) {
      try {
        for (const name of readdirSync(path.join(root, 'evalsets', id))) if (/\.ya?ml$/.test(name)) out.push(`evalsets/${id}/${name}`);
      } catch {
        // Not a folder: nothing a suite could name from there.
      }
    }
  } catch {
    // No evalsets/: no suite names a data file.
  }
  return out;
}

/** The suite whose `cases_from.file` is `real`, if any (only suites whose text says `cases_from` are parsed). */
function suiteNaming(root: string, real: string): string | undefined {
  for (const file of suiteFiles(root)) {
    const abs = path.join(root, file);
    // Through readFileBytes: a pipe named like a suite must not block a report's path check.
    const bytes = readFileBytes(abs, file).bytes;
    if (!bytes?.includes('cases_from')) continue;
    const data = parseYamlBytes(bytes, abs, file).data as { cases_from?: { file?: unknown } } | undefined;
    const named = data?.cases_from?.file;
    if (typeof named === 'string' && realOf(path.resolve(root, named)) === real) return file;
  }
  return undefined;
}

/** What `abs` is (or would be, written) to the project holding it (`a data file of evalsets/x/golden.yaml`), or undefined when it is not a project's file. */
export function projectFileRole(abs: string): string | undefined {
  // A file not there yet is placed by its nearest folder that is (realPathOf): a report written
  // into prompts/ would be refused on the next run, as a project's file, and lint would trip on it.
  const real = realPathOf(abs);
  for (const root of projectRootsOf(abs, real)) {
    const realRoot = realPathOf(root);
    const rel = path.relative(realRoot, real).split(path.sep).join('/');
    if (/^(prompts|evalsets)\//.test(rel)) return `a file of the project's ${rel.split('/')[0]}/ folder`;
    const suite = suiteNaming(root, real);
    if (suite) return `the data file of the suite ${suite} (its cases_from.file)`;
  }
  return undefined;
}
