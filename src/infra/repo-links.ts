import { readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { existingRealPath, isWithin } from './real-path.js';

/**
 * A path of the project that git knows under another name, because a symbolic link leads to it
 * (`prompts -> ../shared/prompts`): git reports and stores changes under the link's target, never
 * under the link, so ci maps its answers back through these. Both paths use forward slashes.
 */
export interface LinkedPath {
  /** Relative to the project root, as promptctl names files. */
  project: string;
  /** Relative to the repository's top folder, as git names files. */
  repo: string;
}

const slashes = (p: string): string => p.split(path.sep).join('/');


/** What ci judges a pull request by: versions, suites and the config, which must be in the repository. */
const LAYOUT = /^(prompts|evalsets)(\/|$)|^\.promptrc\.yaml$/;

/** `prompts`, `evalsets` and the folders in them: where ci looks for versions and suites. */
function layoutPaths(root: string): string[] {
  const out = ['prompts', 'evalsets'];
  for (const top of ['prompts', 'evalsets']) {
    try {
      for (const e of readdirSync(path.join(root, top), { withFileTypes: true })) if (e.isDirectory() || e.isSymbolicLink()) out.push(`${top}/${e.name}`);
    } catch {
      // A missing or unreadable folder: the project loader reports it; nothing to map here.
    }
  }
  return out;
}

/** Every folder above `file` and the file itself: a link may be at any of them (`data -> ../shared/data`). */
function withAncestors(file: string): string[] {
  const parts = file.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * The links ci must follow to see every change to the project's layout and to `files` (its config,
 * version and suite files, and `cases_from` data files), nearest the root first. A version, suite or
 * the config reached through a link to a place outside the repository is exit 2: git sees no change
 * made there, so ci would pass a pull request without checking what it changed.
 */
export function linkedPaths(projectRoot: string, top: string, files: readonly string[]): LinkedPath[] {
  const root = realpathSync(projectRoot);
  const paths = [...new Set([...layoutPaths(projectRoot), ...files.flatMap(withAncestors)])];
  // Parents before children, so a link is named where it is, not at every path below it.
  paths.sort((a, b) => a.split('/').length - b.split('/').length);
  const links: LinkedPath[] = [];
  for (const rel of paths) {
    // Spelt letter case (not `native`): compared with git's top folder, which git gives as spelt. Missing: a folder a project may lack.
    const real = existingRealPath(path.join(projectRoot, rel));
    if (real === undefined) continue;
    const above = nearest(links, rel, 'project');
    const expected = above ? path.join(top, above.repo, rel.slice(above.project.length)) : path.join(root, rel);
    if (real === expected) continue;
    if (!isWithin(top, real)) {
      // A data file kept outside the repository (a mount, a DVC cache) is the team's choice: git
      // never saw its changes, with or without the link. Loading it refuses a link git does not
      // ignore (data-links.ts). Versions, suites and the config must be here.
      if (!LAYOUT.test(rel)) continue;
      throw new InputError({
        message: `${rel} leads through a symbolic link to ${real}, outside the git repository at ${top}`,
        why: 'git sees no change made outside its repository, so ci could not tell what a pull request changed there, and would pass it unchecked.',
        hint: `keep ${rel} in this repository (a link to a folder of the same repository is followed), or run ci in the repository that holds ${real}.`,
      });
    }
    links.push({ project: rel, repo: slashes(path.relative(top, real)) });
  }
  return links;
}

/** The link whose `side` is `p` or a folder above it, the deepest one. */
export function nearest(links: readonly LinkedPath[], p: string, side: 'project' | 'repo'): LinkedPath | undefined {
  let best: LinkedPath | undefined;
  for (const l of links) {
    const at = l[side];
    if ((p === at || p.startsWith(`${at}/`)) && (!best || at.length > best[side].length)) best = l;
  }
  return best;
}

/** `p` moved from one side of its nearest link to the other (unchanged when no link leads to it). */
export function throughLink(links: readonly LinkedPath[], p: string, from: 'project' | 'repo'): string | undefined {
  const l = nearest(links, p, from);
  if (!l) return undefined;
  return (from === 'project' ? l.repo : l.project) + p.slice(l[from].length);
}
