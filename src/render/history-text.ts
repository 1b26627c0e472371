import type { HistoryResult } from '../app/history.js';
import { escapeControlChars } from '../core/control-chars.js';
import { requestChanges, servedOf } from '../core/deployed-model.js';
import { weightsChange } from '../core/served-weights.js';
import { settingChangesText, weightsChangeText } from './deploy-text.js';

/** `history`'s lines: one per deploy or rollback, oldest first, or why there is none to show. */

export function historyText(h: HistoryResult): string[] {
  if (!h.events.length) return [emptyHistoryText(h)];
  const changes = changesOf(h);
  return h.events.flatMap((e, i) => [
    escapeControlChars(`#${e.seq} ${e.at} ${e.action.padEnd(8)} ${e.promptId}@${e.version} in ${e.env} (from ${e.previousVersion ?? 'nothing'}${changes[i] ? `; ${changes[i]}` : ''}) by ${e.actor}${signedBy(e)}${e.reason ? `: ${e.reason}` : ''}`),
    // An override's record of what it pushed through: the gates it skipped, as they were said then.
    ...skippedGates(e.detail).map((g) => escapeControlChars(`    skipped: ${g}`)),
  ]);
}

/**
 * Why `history` shows nothing: nothing recorded yet, or filters that left out what is recorded
 * (`--since 1m` on a registry whose deploys are older), named with how many events they left out.
 */
function emptyHistoryText(h: HistoryResult): string {
  const scope = `${h.promptId ? ` of ${h.promptId}` : ''}${h.env ? ` in ${h.env}` : ''}`;
  // Unfiltered and empty (a new project's): what records the first.
  const next = h.promptId || h.env || h.since || h.actions ? '' : '\nnext: `promptctl eval <id>@<version>` tests a version, and `promptctl deploy <id>@<version> --env <env>` records the first deploy';
  if (!h.leftOut) return `no deploys or rollbacks${scope} recorded yet${next}`;
  const since = h.since ? ` since ${h.since}` : '';
  const leftOut = `${h.leftOut} recorded event${h.leftOut === 1 ? '' : 's'}${scope} ${h.leftOut === 1 ? 'is' : 'are'} left out`;
  const filters = [...(h.since ? ['--since'] : []), ...(h.actions ? ['--action'] : [])].join(' and ');
  return h.actions
    ? `none match --action ${h.actions.join(' ')}${scope}${since} (${leftOut}; drop ${filters} to see them)`
    : `no deploys or rollbacks${scope}${since} (${leftOut}; drop --since to see them)`;
}

/** The actor is what the deployer typed; the key that signed is what is proven: shown beside it. */
function signedBy(e: { signer?: string }): string {
  const [role, id] = e.signer?.split(':') ?? [];
  return role && id ? ` (signed with ${role} key ${id})` : '';
}

function skippedGates(detail: Record<string, unknown> | undefined): string[] {
  const skipped = detail?.skipped;
  return Array.isArray(skipped) ? skipped.filter((g): g is string => typeof g === 'string') : [];
}

/**
 * Per event, what it changed from the event before it in the same environment (`previousServed`,
 * found by the use case whatever the filters left out), when both recorded what they serve: the
 * request settings (a deploy of the same version after a `defaults` change, a model upgrade, a
 * rollback to the settings served before) and the weights behind the same model name (a redeploy
 * after the server swapped them), in deploy's words. Nothing is said where the predecessor is unknown.
 */
function changesOf(h: HistoryResult): Array<string | undefined> {
  return h.events.map((e, i) => {
    const before = h.previousServed[i];
    const served = servedOf(e.detail);
    if (!before || !served) return undefined;
    const settings = requestChanges(before.request, served.request);
    const weights = weightsChange(before, served);
    const said = [...(settings.length ? [`request settings: ${settingChangesText(settings)}`] : []), ...(weights ? [weightsChangeText(weights)] : [])];
    return said.length ? said.join('; ') : undefined;
  });
}
