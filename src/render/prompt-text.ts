import type { DiffResult } from '../app/diff.js';
import { escapeControlChars } from '../core/control-chars.js';
import { SCHEMA_ORDER_UNRECORDED } from '../core/sent-schemas.js';
import type { ShowResult } from '../app/show.js';
import type { ChatMessage } from '../core/schemas/prompt.js';
import type { RequestSurface } from '../core/eval/request.js';
import type { ToolDefinition } from '../core/schemas/request.js';
import { editedAfterReleaseHint, restoreDeletedFile } from '../core/version-state.js';
import type { FileGone } from '../infra/project-query.js';

/** Lines for the commands that show prompt versions: `diff`, `show`, `render`. */

export function diffText(d: DiffResult): string[] {
  const notes = (d.fileDeleted ?? []).map((g) => `note: ${d.id}@${g.version} ${fileDeletedText(g, 'its registered content is compared', `${d.id}@${g.version}`)}`);
  // The patch quotes the files' text: an invisible or direction-changing character in a changed line
  // (a right-to-left override hiding what a line says, Trojan Source's trick) is shown escaped, as
  // `show` and `render` show it; `--json` keeps the exact patch.
  const patch = d.patch.trimEnd().split('\n').map((l) => escapeControlChars(l, '\t'));
  return [...notes, ...(d.identical ? [`${d.id}@${d.a} and @${d.b} have identical content`] : patch)];
}

/** A registered version shown or compared from the registry because its file was deleted, and how to restore the file. */
function fileDeletedText(g: FileGone, shown: string, ref: string): string {
  const where = g.activeIn.length ? ` (active in ${g.activeIn.join(', ')})` : '';
  return `is registered${where} but its file ${g.file} was deleted: ${shown}; restore the file ${g.how === 'untracked' ? '' : 'from git '}(${restoreDeletedFile(g, g.how, ref)})`;
}

/**
 * Each message under a `--- role ---` header, as it would be sent, its control and invisible
 * characters shown escaped as every text output shows them (`\e[2J`, `\r`, `\u{202e}`): a variable
 * value given to `render` would otherwise clear the screen, retitle the window or print backwards.
 * Newlines and tabs stay; `--json` keeps the exact text.
 */
export function messagesText(messages: ChatMessage[]): string[] {
  return messages.flatMap((m) => [`--- ${m.role} ---`, escapeControlChars(m.content.trimEnd(), '\n\t')]);
}

/** `get_weather(city, days?)`: a tool by its name and its parameters' properties, optional ones marked `?`. */
function toolSignature(t: ToolDefinition): string {
  const params = t.function.parameters;
  const schema = typeof params === 'object' && params !== null ? (params as { properties?: Record<string, unknown>; required?: unknown }) : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const names = Object.keys(schema.properties ?? {}).map((k) => (required.includes(k) ? k : `${k}?`));
  return `${t.function.name}(${names.join(', ')})`;
}

/** The header lines of what a version sends besides its messages (its tools and output constraint); `get` prints them too. */
export function surfaceLines(s: RequestSurface): string[] {
  const lines: string[] = [];
  if (s.tools) lines.push(`tools:       ${s.tools.map(toolSignature).join(', ')}`);
  if (s.tool_choice !== undefined) lines.push(`tool_choice: ${typeof s.tool_choice === 'string' ? s.tool_choice : `${s.tool_choice.function.name} (forced)`}`);
  const rf = s.response_format;
  if (rf) lines.push(`output:      response_format ${rf.type}${rf.json_schema ? ` "${rf.json_schema.name}"${rf.json_schema.strict ? ' (strict)' : ''}` : ''}`);
  if (s.structured_outputs) lines.push(`output:      structured_outputs ${Object.keys(s.structured_outputs).filter((k) => (s.structured_outputs as Record<string, unknown>)[k] !== undefined).join(', ')}`);
  return lines;
}

/** The tools and output constraint in full, after the messages, each under a `--- field ---` header as JSON. */
export function surfaceBlocks(s: RequestSurface): string[] {
  const blocks: Array<[string, unknown]> = [['tools', s.tools], ['response_format', s.response_format], ['structured_outputs', s.structured_outputs]];
  return blocks.filter(([, v]) => v !== undefined).flatMap(([k, v]) => [`--- ${k} ---`, JSON.stringify(v, null, 2)]);
}

/** `golden (golden, 4 cases)`, `adversarial (adversarial, 2 cases + 188 attacks)`: the cases a run of the suite sends. */
function suiteText(x: ShowResult['suites'][number]): string {
  const cases = `${x.cases} case${x.cases === 1 ? '' : 's'}`;
  return `${x.name} (${x.kind}, ${x.attacks ? `${cases} + ${x.attacks} attack${x.attacks === 1 ? '' : 's'}` : cases})`;
}

/**
 * The header quotes the file too (description, author, tool descriptions in the blocks after the
 * messages): every line is escaped as the messages are, newlines and tabs kept.
 */
export function showText(s: ShowResult): string[] {
  return [
    `${s.id}@${s.version}  (${s.file})`,
    `description: ${s.description}`,
    `author:      ${s.author}`,
    `hash:        sha256:${s.contentHash}`,
    `state:       ${s.state === 'draft' ? (s.numberTaken ? `draft (never deployed, but its number is taken on ${s.numberTaken.base})` : 'draft (never deployed: edit it freely)') : s.releasedOnBase ? `released (on ${s.releasedOnBase.base}: immutable)` : 'released (deployed: immutable)'}`,
    ...(s.numberTaken ? [`TAKEN:       ${s.numberTaken.message}`] : []),
    ...(s.releasedOnBase?.edit
      ? [`EDITED:      ${s.releasedOnBase.edit}`]
      : s.editedSinceRegistered
        ? [`EDITED:      the file no longer matches the released content (sha256:${s.registeredHash}); ${editedAfterReleaseHint({ id: s.id, version: s.version, file: s.file, ...(s.fromCwd ? { here: s.fromCwd } : {}), origin: s.editOrigin })}`]
        : []),
    ...(s.schemaOrderUnrecorded ? [`note:        ${SCHEMA_ORDER_UNRECORDED}`] : []),
    ...(s.fileDeleted ? [`DELETED:     ${s.id}@${s.version} ${fileDeletedText(s.fileDeleted, 'this is its registered content', `${s.id}@${s.version}`)}`] : []),
    `model:       ${Object.entries(s.model).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`,
    `variables:   ${s.variables.map((v) => `${v.name}${v.required ? '' : '?'}: ${v.type}${v.max_length ? ` (max ${v.max_length})` : ''}${v.untrusted ? ' [untrusted]' : ''}`).join(', ') || 'none'}`,
    ...(s.tokenBudget ? [`budget:      ${s.tokenBudget} tokens`] : []),
    ...surfaceLines(s),
    `suites:      ${s.suites.map(suiteText).join(', ') || 'none apply'}`,
    `versions:    ${s.otherVersions.join(', ') || 'no other versions'}`,
    '',
    ...messagesText(s.messages),
    ...surfaceBlocks(s),
  ].map((l) => escapeControlChars(l, '\n\t'));
}
