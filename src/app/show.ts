import { effectiveParams } from '../core/eval/request-params.js';
import { SCHEMA_ORDER_UNRECORDED } from '../core/sent-schemas.js';
import { z } from 'zod';
import { parsePromptRef } from '../core/refs.js';
import type { ChatMessage, VariableSpec } from '../core/schemas/prompt.js';
import type { EvalSet } from '../core/schemas/evalset.js';
import { loadProject, promptIdsOfRefs } from '../infra/project.js';
import { orderDiffers, withRegisteredForms } from '../infra/registered-form.js';
import { fromCwdField } from '../infra/real-path.js';
import { lookupIfPresent, resolveRegisteredVersion, versionsOf, type FileGone } from '../infra/project-query.js';
import { suitesApplying } from '../infra/eval/targets.js';
import { generatedCases } from '../infra/eval/suite-target.js';
import { requestSurface, type RequestSurface } from '../core/eval/request.js';
import type { EditOrigin, VersionState, VersionVerdict } from '../core/version-state.js';
import { stringify } from 'yaml';
import { InputError } from '../core/errors.js';
import { parseRegisteredContent } from '../core/registered-content.js';
import type { VersionRecord } from '../infra/registry/types.js';
import { readVersionStates } from '../infra/version-states.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { optionSet, type OptionNames } from '../core/option-names.js';
import { withGitMemo } from '../infra/git-memo.js';

/** One prompt version in full, `<id>[@version]` (the highest when no version is given). */

export const ShowOptions = z.object({
  ref: z.string(),
  /** The version file as it was released, from the registry's copy: what restores a file git has no copy of. */
  released: z.boolean().optional(),
  /** The version file as the registry holds it: a draft's registered content (restores a deleted draft's file), a released version's as released. */
  registered: z.boolean().optional(),
});
export type ShowOptions = z.input<typeof ShowOptions>;

/** What `show --json` prints: with `response_format`, `structured_outputs`, `tools` and `tool_choice` when the version declares them. */
export interface ShowResult extends RequestSurface {
  id: string;
  version: string;
  file: string;
  /** `file` from the folder show ran in, when that is not the project root: what the restore commands it prints name. */
  fromCwd?: string;
  contentHash: string;
  /** The content hash the registry holds for this version; null when nothing is registered (show registers nothing). */
  registeredHash: string | null;
  /** Draft until its first deploy to any environment; released (immutable) after. */
  state: VersionState;
  /** Released, and the file no longer has the content it was released with (deployed, or on the default branch). */
  editedSinceRegistered: boolean;
  /**
   * Never deployed, but released all the same: the default branch of this git checkout holds it
   * (`base`); `edit`: lint's `version/edited` message when the file differs from it there.
   */
  releasedOnBase?: { base: string; edit?: string };
  /**
   * A draft this branch added whose number the default branch (`base`) took meanwhile with other
   * content: lint's `version/number-taken` message (eval, deploy and ci refuse it).
   */
  numberTaken?: { base: string; message: string };
  /** For an edited released version in git: an edit in this working tree or the checkout's content (the hint differs). */
  editOrigin?: EditOrigin;
  /** The version is registered but its file was deleted: what is shown is its registered content. */
  fileDeleted?: FileGone;
  description: string;
  author: string;
  /** The server's model, the config's defaults, then the version's own settings. */
  model: Record<string, unknown>;
  variables: VariableSpec[];
  tokenBudget: number | null;
  messages: ChatMessage[];
  /**
   * The suites whose version range covers this version: `cases`, the suite's own; `attacks`
   * (adversarial suites), the cases its attack packs add. A run sends both.
   */
  suites: Array<{ name: string; kind: EvalSet['kind']; cases: number; attacks?: number; file: string }>;
  otherVersions: string[];
  /** With `released` (or `registered`, for a released version): the content the version was released with, as a version file (YAML). */
  releasedFile?: string;
  /** With `registered`, for a draft: the content the registry holds for it (its last registered), as a version file (YAML). */
  registeredFile?: string;
  /**
   * Registered before 0.2.0, which kept its sent schemas' keys sorted (infra/registered-form.ts):
   * the order they were tested in is not recorded, and a change of only that order is not seen as an edit.
   */
  schemaOrderUnrecorded?: true;
}

/** One memo of git's answers for the command: what the default branch released, then which numbers it took, ask the same questions. */
export async function show(opts: ShowOptions & AppOptions): Promise<ShowResult> {
  return withGitMemo(() => showNow(opts));
}

async function showNow(opts: ShowOptions & AppOptions): Promise<ShowResult> {
  const { ref, released, registered } = parseOptions('show', ShowOptions, opts);
  const c = appContext(opts);
  const project = loadProject(c.cwd, { promptIds: promptIdsOfRefs([ref]), env: c.env, optionNames: c.optionNames });
  await withRegisteredForms(project, { env: c.env, clock: c.clock, signal: c.signal });
  // Looking is harmless: a registered version whose file was deleted is shown from the registry, said so.
  const p = await resolveRegisteredVersion(project, parsePromptRef(ref), lookupIfPresent(project, c.env), { registeredContent: true, unreadableFile: released === true || registered === true });
  const [checked] = await readVersionStates(project, [p], c);
  // In a git checkout, a version the default branch holds is released too (deployed or not), and
  // its edit is lint's and eval's `version/edited` (released-on-base.ts): the registry's word first.
  // A version whose file this checkout deleted is still on the base if the base holds it, with no
  // file here to have been edited: releasedOnBase's `said` skips its edit check.
  const onBase = checked!.verdict.state === 'draft' ? (await import('./released-on-base.js')).releasedOnBase(project, c.env, [p], p.fileGone ? new Set([p.file]) : undefined) : undefined;
  const baseEdit = onBase?.edited[0];
  const draft = checked!.verdict.state === 'draft' && !p.fileGone && !onBase?.held.has(p.file);
  const taken = draft ? await (await import('./deploy-number.js')).numberTakenProblems(project, [p], c.env) : undefined;
  const draftCopy = registered && !released && checked!.verdict.state === 'draft';
  const releasedFile = (released || registered) && !draftCopy ? releasedVersionFile(p, checked!.verdict, checked!.record, c.optionNames, orderDiffers(p), released ? 'released' : 'registered') : undefined;
  const registeredFile = draftCopy ? registeredDraftFile(p, checked!.record, c.optionNames, orderDiffers(p)) : undefined;
  const suites = suitesApplying(project.suites, p).map((s) => ({
    name: s.name,
    kind: s.data.kind,
    cases: s.data.cases.length,
    ...(s.data.kind === 'adversarial' ? { attacks: generatedCases(s).length } : {}),
    file: s.file,
  }));
  return {
    id: p.id,
    version: p.version,
    file: p.file,
    ...fromCwdField(project, p.file),
    contentHash: p.hash,
    registeredHash: checked!.record?.contentHash ?? null,
    state: onBase?.held.has(p.file) ? 'released' : checked!.verdict.state,
    editedSinceRegistered: !checked!.verdict.allowed || baseEdit !== undefined,
    ...(onBase?.held.has(p.file) ? { releasedOnBase: { base: onBase.base, ...(baseEdit ? { edit: baseEdit.message } : {}) } } : {}),
    ...(taken?.problems[0] ? { numberTaken: { base: taken.base, message: taken.problems[0].message } } : {}),
    ...(checked!.origin ? { editOrigin: checked!.origin } : {}),
    ...(p.fileGone ? { fileDeleted: p.fileGone } : {}),
    description: p.data.description,
    author: p.data.author,
    // What eval sends: the one merge and its fallbacks (core/eval/plan.ts).
    model: { ...effectiveParams(project.config.server.model, project.config.defaults, p.data.model) },
    variables: p.data.variables,
    tokenBudget: p.data.token_budget ?? null,
    messages: p.data.messages,
    ...requestSurface(p.data),
    suites,
    otherVersions: versionsOf(project, p.id).map((v) => v.version).filter((v) => v !== p.version),
    ...(releasedFile !== undefined ? { releasedFile } : {}),
    ...(registeredFile !== undefined ? { registeredFile } : {}),
    ...(orderDiffers(p) ? { schemaOrderUnrecorded: true as const } : {}),
  };
}

/**
 * The registry's copy of a released version as a version file. A released version's record is the
 * content it was released with (it is never superseded), and the loader hashes content, not text,
 * so the file saved from this has the released content hash.
 */
function releasedVersionFile(p: { id: string; version: string; fileGone?: unknown }, verdict: VersionVerdict, record: VersionRecord | undefined, names: OptionNames, orderUnrecorded: boolean, option: 'released' | 'registered'): string {
  const ref = `${p.id}@${p.version}`;
  // Named as the caller wrote it: `--released` on the command line, `released: true` in a script.
  const released = optionSet(names, option);
  const gives = names === 'flags' ? 'prints' : 'returns';
  if (verdict.state !== 'released') {
    throw new InputError({
      message: `${ref} was never deployed, so the registry holds no released content for it`,
      why: `${released} ${gives} the content a version was deployed with; a draft has only its file.`,
      hint: p.fileGone
        ? `its file is gone: ${names === 'flags' ? `promptctl show ${ref} --registered prints` : `show({ ref: '${ref}', registered: true }) returns`} the content the registry holds for this draft as a version file.`
        : names === 'flags' ? `promptctl show ${ref} shows its file.` : `show({ ref: '${ref}' }), without ${released}, returns its file.`,
    });
  }
  // Released, but the registry's record is not the released content (its row deleted, or swapped
  // since): printing it would hand out other content as the released version.
  if (!record || record.contentHash !== verdict.releasedHash) {
    const holds = record ? `its record holds sha256:${record.contentHash.slice(0, 12)}…, not the sha256:${verdict.releasedHash.slice(0, 12)}… it was released with` : 'it holds no record of the version';
    throw new InputError({
      message: `${ref} was deployed to ${verdict.releasedIn.join(', ')}, but the registry does not hold the content it was released with: ${holds}`,
      why: `${released} ${gives} the registry's copy of the released content, and only when the registry still holds that content.`,
      hint: 'run `promptctl audit verify`, then restore the registry from a backup and find out who changed it.',
    });
  }
  return `${orderUnrecorded ? `# ${SCHEMA_ORDER_UNRECORDED}\n` : ''}${asVersionFile(record)}`;
}

/** A draft's registered content as a version file: the content its last eval registered (a draft may hold any content until released). */
function registeredDraftFile(p: { id: string; version: string }, record: VersionRecord | undefined, names: OptionNames, orderUnrecorded: boolean): string {
  if (record) return `${orderUnrecorded ? `# ${SCHEMA_ORDER_UNRECORDED}\n` : ''}${asVersionFile(record)}`;
  const ref = `${p.id}@${p.version}`;
  throw new InputError({
    message: `${ref} is not registered, so the registry holds no content for it`,
    why: `${optionSet(names, 'registered')} ${names === 'flags' ? 'prints' : 'returns'} the content the registry holds for a version; a draft is registered by its first eval.`,
    hint: names === 'flags' ? `promptctl show ${ref} shows its file.` : `show({ ref: '${ref}' }) returns its file.`,
  });
}

/** Registered content as a version file, keys in the order versions are written; the loader hashes content, not text, so the hash stays. */
function asVersionFile(record: VersionRecord): string {
  const content = parseRegisteredContent<Record<string, unknown>>(record);
  // Canonical JSON sorts keys (a sent schema's keep theirs); a file reads better in the order versions are written (init's, new's).
  const first = <T extends Record<string, unknown>>(o: T, keys: string[]): T => ({ ...Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]])), ...o });
  const ordered = first(content, ['id', 'version', 'description', 'author', 'model', 'variables', 'token_budget', 'messages']);
  if (Array.isArray(ordered.variables)) ordered.variables = ordered.variables.map((v: Record<string, unknown>) => first(v, ['name']));
  if (Array.isArray(ordered.messages)) ordered.messages = ordered.messages.map((m: Record<string, unknown>) => first(m, ['role', 'content']));
  return stringify(ordered, { lineWidth: 0 });
}
