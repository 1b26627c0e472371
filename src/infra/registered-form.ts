import { canonicalJson } from '../core/canonical.js';
import { registeredHashesOf } from '../core/sent-schemas.js';
import type { Project, PromptFile } from './project.js';
import { openProjectRegistry } from './project-registry.js';
import type { RegistryAccess } from './registry-access.js';
import type { Registry, VersionRecord } from './registry/types.js';

/**
 * Versions registered before 0.2.0 were hashed, and their content kept, with every key sorted,
 * their sent schemas' too (core/sent-schemas.ts): their runs, tested marks and deploy events name
 * that hash, and the audit chain holds it. A file whose data that form matches is still that
 * version: it takes the registered hash and content (`orderUnrecorded`, the file's own form kept
 * for comparing it with a git revision's file), so it reads as released, not as edited, and what
 * was recorded for it keeps counting. The key order its schemas were tested with is unknown, so
 * a change of only that order goes unnoticed for such a version, as before; a new version records it.
 *
 * Asked once per command, right after the files are loaded: every hash a command compares, plans
 * or records is the file's from then on. Only files with a sent schema are looked up.
 */

/** The file's own form: what a git revision's file is compared with (`versionsAt` reads those in this form). */
export function ownForm(v: PromptFile): { hash: string; canonical: string } {
  return v.orderUnrecorded ?? v;
}

/**
 * The file's canonical JSON in the form of `registered` content: sorted throughout when that was
 * registered before 0.2.0 (then an edit is located where it is, not at the first sent schema whose
 * keys are not in sorted order).
 */
export function comparableForm(v: PromptFile, registered: Pick<VersionRecord, 'content' | 'contentHash'>): string {
  if (v.sortedHash === undefined || v.orderUnrecorded || registeredHashesOf(registered.content)[0] !== registered.contentHash) return v.canonical;
  return canonicalJson(JSON.parse(v.canonical));
}

/** Whether the file's own key order differs from the sorted one its registered (pre-0.2.0) content holds: then show says the order was not recorded. */
export function orderDiffers(v: PromptFile): boolean {
  return v.orderUnrecorded !== undefined && v.orderUnrecorded.canonical !== v.canonical;
}

/** Each of `files` registered under its sorted form takes that hash and content (in place: the project's files are these objects). */
export async function adoptRegisteredForms(registry: Registry, files: readonly PromptFile[]): Promise<void> {
  const pending = files.filter((v) => v.sortedHash !== undefined && !v.orderUnrecorded);
  if (!pending.length) return;
  // One read for every file (one round trip on a server), where each file asked on its own.
  const records = await registry.getVersions(pending.map((v) => ({ promptId: v.id, version: v.version })));
  for (const [i, v] of pending.entries()) {
    const registered = records[i]?.contentHash;
    if (registered === undefined || registered !== v.sortedHash) continue;
    const own = { hash: v.hash, canonical: v.canonical };
    v.canonical = canonicalJson(JSON.parse(own.canonical));
    v.hash = registered;
    v.orderUnrecorded = own;
  }
}

/** `adoptRegisteredForms` for a loaded project, reading the registry only when a file has two forms. */
export async function withRegisteredForms<P extends Pick<Project, 'prompts'> & Parameters<typeof openProjectRegistry>[0]>(project: P, access: RegistryAccess): Promise<P> {
  if (!project.prompts.some((v) => v.sortedHash !== undefined && !v.orderUnrecorded)) return project;
  const registry = openProjectRegistry(project, { readonly: true, ...access });
  try {
    await adoptRegisteredForms(registry, project.prompts);
  } finally {
    await registry.close();
  }
  return project;
}
