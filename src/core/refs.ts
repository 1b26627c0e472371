import semver from 'semver';
import { InputError } from './errors.js';
import { describeCodePoint } from './look-alikes.js';
import { Slug } from './schemas/common.js';

/** `<id>` or `<id>@<version>` as typed on the command line. */
export interface PromptRef {
  id: string;
  version?: string;
}

/**
 * `requireVersion`: the command needs one (`deploy`); `noVersion`: the command works on what an
 * environment runs and a version would be silently ignored (`get`, `rollback`): refused, with
 * this hint naming what to write instead.
 */
export function parsePromptRef(text: string, opts: { requireVersion?: boolean; noVersion?: (ref: Required<PromptRef>) => string } = {}): PromptRef {
  const at = text.indexOf('@');
  const id = at === -1 ? text : text.slice(0, at);
  const version = at === -1 ? undefined : text.slice(at + 1);
  const slug = Slug.safeParse(id);
  if (!slug.success) {
    throw new InputError({
      message: `"${text.length > 80 ? `${text.slice(0, 80)}…` : text}" is not a prompt reference`,
      // The id rule's own words (one rule, schemas/common.ts): a too-long id is told so, not called badly spelt.
      why: `the prompt id ${slug.error.issues[0]?.message ?? 'must be a lowercase slug'}${id.length > 63 ? ` (it has ${id.length})` : ''}${foreignLetter(id)}.`,
      hint: 'write <id> or <id>@<version>, for example support-answer@1.2.0.',
    });
  }
  if (version !== undefined && !semver.valid(version)) {
    throw new InputError({
      message: `"${version}" in "${text}" is not a semantic version`,
      hint: 'write the version as it appears in the file name, for example support-answer@1.2.0.',
    });
  }
  if (opts.noVersion !== undefined && version !== undefined) {
    throw new InputError({ message: `"${text}": this command takes a prompt id without a version`, why: `it works on what an environment runs, so ${version} would be ignored.`, hint: opts.noVersion({ id, version }) });
  }
  if (opts.requireVersion && version === undefined) {
    throw new InputError({ message: `"${text}" needs a version`, hint: `write ${id}@<version>; \`promptctl show ${id}\` lists the versions.` });
  }
  return { id, version };
}

/**
 * `; "echо" has U+043E CYRILLIC SMALL LETTER O, which looks like "o"`: the first character outside
 * ASCII of an id, which may print exactly like the letter it replaced; '' when there is none.
 */
function foreignLetter(id: string): string {
  const c = /[^\x00-\x7f]/u.exec(id)?.[0];
  return c === undefined ? '' : `; "${id}" has ${describeCodePoint(c)}`;
}

/**
 * Where a version's file lives in a project, relative to its root: the name `new` writes. The
 * loader also reads `.yml`, so output about a file that exists names it as loaded
 * (`ProjectFiles`), and this is the name for one that does not.
 */
export function versionFileOf(id: string, version: string): string {
  return `prompts/${id}/${version}.yaml`;
}

/** Every name the loader reads a version from (`.yaml`, the name `new` writes, then `.yml`). */
export function versionFileNames(id: string, version: string): [string, string] {
  const file = versionFileOf(id, version);
  return [file, file.replace(/\.yaml$/, '.yml')];
}

/**
 * The version a file in a prompt's folder is named for (`1.2.0.yaml`, `1.2.0.yml`), or undefined
 * when its name is no version the loader reads: not a semantic version, or not written as one
 * (`v1.0.0`, build metadata `1.3.0+b1`, which semver orders as 1.3.0).
 */
export function versionOfFileName(name: string): string | undefined {
  const version = name.replace(/\.ya?ml$/, '');
  return semver.valid(version) && semver.clean(version) === version ? version : undefined;
}

/** Where a suite's file lives, as `versionFileOf` says it for versions. */
export function suiteFileOf(promptId: string, suite: string): string {
  return `evalsets/${promptId}/${suite}.yaml`;
}

/** Files of a project as loaded (`.yaml` or `.yml`): versions by `id@version`, suites by `id/suite`. */
export interface ProjectFiles {
  versions: Record<string, string>;
  suites: Record<string, string>;
}

/** The file a version was loaded from, else the name `new` would give it. */
export function versionFileIn(files: ProjectFiles | undefined, id: string, version: string): string {
  return files?.versions[`${id}@${version}`] ?? versionFileOf(id, version);
}

/** The file a suite was loaded from, else the name it would have. */
export function suiteFileIn(files: ProjectFiles | undefined, promptId: string, suite: string): string {
  return files?.suites[`${promptId}/${suite}`] ?? suiteFileOf(promptId, suite);
}

/** Highest first. */

export function sortVersionsDesc(versions: string[]): string[] {
  return [...versions].sort(semver.rcompare);
}

export function nextVersion(current: string | undefined, bump: VersionBump): string {
  if (!current) return '1.0.0';
  const next = semver.inc(current, bump);
  if (!next) throw new InputError({ message: `cannot bump version "${current}"` });
  return next;
}

/**
 * The one rule for the next free version number: the next version after `from` by `bump`, bumped
 * again past every number `known` holds. `known` is every number taken: a version file here (under
 * either name, loaded or not) and every version the registry holds (another branch's or
 * repository's). `promptctl new` picks it, the hints that send people to `new` name it, and ci tells
 * a pull request to rename a taken version to it. `skipped`: the numbers passed over, in order.
 */
export function nextFreeVersion(from: string | undefined, bump: VersionBump, known: Iterable<string>): { version: string; skipped: string[] } {
  const used = new Set([...known].map((k) => semver.valid(k)).filter(Boolean));
  const skipped: string[] = [];
  let next = nextVersion(from, bump);
  while (used.has(next)) {
    skipped.push(next);
    next = nextVersion(next, bump);
  }
  return { version: next, skipped };
}

export type VersionBump = 'major' | 'minor' | 'patch';

/** How `version` was bumped from the one before it (1.1.1 a patch, 1.2.0 a minor, 2.0.0 a major); undefined for no version. */
export function bumpOf(version: string): VersionBump | undefined {
  const v = semver.parse(version);
  if (!v) return undefined;
  return v.patch ? 'patch' : v.minor ? 'minor' : 'major';
}

/**
 * The two versions `diff` compares, as every other command names versions (`<id>@<a> <id>@<b>`, the
 * second may be a bare version) or in its own older form (`<id> <a> <b>`, where `<id>@<a>` for a
 * version is also taken): one prompt, two versions.
 */
export function diffSides(args: readonly string[]): { id: string; a: string; b: string } {
  const usage = 'write promptctl diff <id>@<a> <id>@<b> (or <id> <a> <b>), for example promptctl diff support-answer@1.0.0 support-answer@1.1.0.';
  if (args.length === 3 && !args[0]!.includes('@')) {
    const id = parsePromptRef(args[0]!).id;
    const [a, b] = [args[1]!, args[2]!].map((v) => (v.includes('@') ? parsePromptRef(v, { requireVersion: true }) : parsePromptRef(`${id}@${v}`)));
    const other = [a!, b!].find((r) => r.id !== id);
    if (other) throw new InputError({ message: `diff compares two versions of one prompt, got ${id} and ${other.id}`, hint: usage });
    return { id, a: a!.version!, b: b!.version! };
  }
  if (args.length !== 2 || !args[0]!.includes('@')) {
    throw new InputError({ message: `diff takes two versions of one prompt, got ${args.length === 0 ? 'none' : args.map((x) => `"${x}"`).join(' ')}`, hint: usage });
  }
  const a = parsePromptRef(args[0]!, { requireVersion: true });
  const b = args[1]!.includes('@') ? parsePromptRef(args[1]!, { requireVersion: true }) : parsePromptRef(`${a.id}@${args[1]}`);
  if (a.id !== b.id) throw new InputError({ message: `diff compares two versions of one prompt, got ${a.id} and ${b.id}`, hint: usage });
  return { id: a.id, a: a.version!, b: b.version! };
}
