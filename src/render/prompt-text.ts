import type { DiffResult } from '../app/diff.js';
import type { ShowResult } from '../app/show.js';
import type { ChatMessage } from '../core/schemas/prompt.js';

/** Lines for the commands that show prompt versions: `diff`, `show`, `render`. */

export function diffText(d: DiffResult): string[] {
  return d.identical ? [`${d.id}@${d.a} and @${d.b} have identical content`] : d.patch.trimEnd().split('\n');
}

/** Each message under a `--- role ---` header, as it would be sent. */
export function messagesText(messages: ChatMessage[]): string[] {
  return messages.flatMap((m) => [`--- ${m.role} ---`, m.content.trimEnd()]);
}

export function showText(s: ShowResult): string[] {
  return [
    `${s.id}@${s.version}  (${s.file})`,
    `description: ${s.description}`,
    `author:      ${s.author}`,
    `hash:        sha256:${s.contentHash}`,
    `state:       ${s.state === 'draft' ? 'draft (never deployed: edit it freely)' : 'released (deployed: immutable)'}`,
    ...(s.editedSinceRegistered
      ? [`EDITED:      the file no longer matches the released content (sha256:${s.registeredHash}); restore it and create the next version: promptctl new ${s.id}`]
      : []),
    `model:       ${Object.entries(s.model).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`,
    `variables:   ${s.variables.map((v) => `${v.name}${v.required ? '' : '?'}: ${v.type}${v.max_length ? ` (max ${v.max_length})` : ''}${v.untrusted ? ' [untrusted]' : ''}`).join(', ') || 'none'}`,
    ...(s.tokenBudget ? [`budget:      ${s.tokenBudget} tokens`] : []),
    `suites:      ${s.suites.map((x) => `${x.name} (${x.kind}, ${x.cases} cases)`).join(', ') || 'none apply'}`,
    `versions:    ${s.otherVersions.join(', ') || 'no other versions'}`,
    '',
    ...messagesText(s.messages),
  ];
}
