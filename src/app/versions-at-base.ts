/**
 * Version files as a base ref holds them (ci's revisions and edits, and deploy's number check read
 * them there): under either YAML extension, through the base's own links, as the canonical JSON the
 * registry hashes.
 */
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { versionContentForms } from '../core/sent-schemas.js';
import { versionRefOfFile } from '../core/ci/plan.js';
import { parsePromptRef, versionFileNames } from '../core/refs.js';
import type { ResolvedBase } from '../infra/git-base.js';
import { filesAtBaseByName } from '../infra/base-file.js';
import { parseYamlText } from '../infra/yaml-text.js';
import type { Project } from '../infra/project.js';

/**
 * A file's text as canonical JSON of its data (after `shape`) and its hash, as the loader reads the
 * file (`forms`: a version's, core/sent-schemas.ts); undefined when the text does not load.
 */
export function canonicalOfText(text: string, file: string, shape: (data: unknown) => unknown = (data) => data, forms: (data: unknown) => { canonical: string; hash: string } = plainForms): { canonical: string; hash: string } | undefined {
  const parsed = parseYamlText(text, file);
  if (parsed.problems.length) return undefined;
  try {
    return forms(shape(parsed.data));
  } catch {
    return undefined;
  }
}

/**
 * Version files as `base`'s ref holds them, under either YAML extension and through the base's own
 * links (a version file may be a link): for each of `files`, undefined when it holds none; else its
 * content as canonical JSON (what the registry hashes, so comments and formatting are not content),
 * or none when its text cannot be read or does not load there (the number is taken all the same).
 * Both names of every file in one go (two git processes at most), where each folder on the way cost
 * one per name.
 */
export function versionsAt(project: Pick<Project, 'root'>, base: Pick<ResolvedBase, 'ref' | 'top'>, files: readonly string[]): Array<{ canonical?: string; hash?: string } | undefined> {
  return versionTextsAt(project, base, files).map((atBase) => {
    if (!atBase) return undefined;
    const read = atBase.text === undefined ? undefined : canonicalOfText(atBase.text, atBase.name, undefined, versionContentForms);
    return read === undefined ? {} : { canonical: read.canonical, hash: read.hash };
  });
}

/** Whether `base`'s ref holds each of `files` (either YAML extension, its links followed), as `versionsAt` finds them, without loading them. */
export function versionsHeldAt(project: Pick<Project, 'root'>, base: Pick<ResolvedBase, 'ref' | 'top'>, files: readonly string[]): boolean[] {
  return versionTextsAt(project, base, files, { texts: false }).map((atBase) => atBase !== undefined);
}

/** Each of `files` as `base`'s ref holds it: the name it has there and its text (none: unreadable); undefined when absent. */
function versionTextsAt(project: Pick<Project, 'root'>, base: Pick<ResolvedBase, 'ref' | 'top'>, files: readonly string[], opts: { texts?: boolean } = {}): Array<{ name: string; text?: string } | undefined> {
  const names = files.map((file) => {
    const ref = versionRefOfFile(file);
    if (ref === undefined) return [];
    const { id, version } = parsePromptRef(ref);
    return versionFileNames(id, version!);
  });
  const found = filesAtBaseByName(base.top, project.root, base.ref, names.flat(), opts);
  let next = 0;
  return names.map((pair) => {
    const mine = found.slice(next, (next += pair.length));
    const held = mine.findIndex((f) => f.present);
    const atBase = mine[held];
    if (!atBase?.present) return undefined;
    return { name: pair[held]!, ...(atBase.text === undefined ? {} : { text: atBase.text }) };
  });
}

/** A version file as the tip of the base ref holds it (`versionsAt`), by its content hash. */
export function versionAtTip(project: Project, base: Pick<ResolvedBase, 'ref' | 'top'>): (file: string) => { hash?: string } | undefined {
  return (file) => {
    const held = versionsAt(project, base, [file])[0];
    return held && (held.hash === undefined ? {} : { hash: held.hash });
  };
}

function plainForms(data: unknown): { canonical: string; hash: string } {
  const canonical = canonicalJson(data);
  return { canonical, hash: sha256Hex(canonical) };
}
