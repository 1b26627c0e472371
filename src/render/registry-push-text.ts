import type { PushProgress, PushResult, PushTable } from '../app/registry-push.js';
import { holderWords } from '../infra/registry/postgres/lock-wait.js';

/** The words of `registry push`: per table, what was pushed and what was already there. Never a password. */

const LABELS: Array<[PushTable, string]> = [
  ['versions', 'versions'],
  ['supersededVersions', 'superseded versions'],
  ['runs', 'runs'],
  ['samples', 'samples'],
  ['cachedResponses', 'cached answers'],
  ['events', 'audit events'],
];

export function pushText(r: PushResult): string[] {
  const width = Math.max(...LABELS.map(([, label]) => label.length)) + 2;
  const lines = [`pushed ${r.from} → ${r.to} (schema ${r.toSchema})`];
  for (const [key, label] of LABELS) {
    const t = r.tables[key];
    const skipped = key === 'events' && r.eventsSkipped ? ' (skipped: --skip-events)' : '';
    lines.push(`  ${label.padEnd(width)}${t.pushed} pushed, ${t.already} already there${skipped}`);
  }
  lines.push('  secrets are not pushed: the team registry keeps its own canary key');
  lines.push(...leftLocalText(r.leftLocal));
  // An empty log is not "intact": audit verify refuses to call it so (it proves nothing).
  if (!r.verify.ok) lines.push(`audit verify on the team registry FAILED at event ${r.verify.broken?.seq}: ${r.verify.broken?.problem}`);
  else lines.push(`audit verify on the team registry: ${r.verify.events ? `${r.verify.events} events, hash chain intact` : 'no audit events yet (an empty log proves nothing)'}`);
  return lines;
}

/** Drafts the team registry holds with other content, and their runs: kept in the local registry only, each with why. */
function leftLocalText(left: PushResult['leftLocal']): string[] {
  if (!left.versions.length) return [];
  const lines = [`left in the local registry only (${left.versions.length} draft${left.versions.length === 1 ? '' : 's'}, ${left.runs.length} run${left.runs.length === 1 ? '' : 's'} on their content):`];
  for (const v of left.versions) {
    const runs = left.runs.filter((r) => r.prompt === v.prompt && r.version === v.version);
    lines.push(`  ${v.prompt}@${v.version}: ${v.why}${runs.length ? `; runs ${runs.map((r) => `${r.id} (${r.suite})`).join(', ')}` : ''}`);
  }
  lines.push('  if that content is still wanted, give it a new version (`promptctl new <id>`, the text copied in) and run its evals; nothing here or on the team registry was changed for it');
  return lines;
}

/** What a push says on stderr while it works: whose turn it waits for, and how far a large copy of runs has got. */
export function pushProgressLine(e: PushProgress): string {
  if (e.type === 'waiting-turn') {
    return `waiting for another registry push to finish${e.holder ? ` (${holderWords(e.holder)})` : ''}: pushes take turns; waiting up to ${e.waitsAtMost}`;
  }
  return `copied ${e.done} of ${e.total} runs (${e.samples} samples)`;
}
