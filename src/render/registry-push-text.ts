import type { PushResult, PushTable } from '../app/registry-push.js';

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
  // An empty log is not "intact": audit verify refuses to call it so (it proves nothing).
  if (!r.verify.ok) lines.push(`audit verify on the team registry FAILED at event ${r.verify.broken?.seq}: ${r.verify.broken?.problem}`);
  else lines.push(`audit verify on the team registry: ${r.verify.events ? `${r.verify.events} events, hash chain intact` : 'no audit events yet (an empty log proves nothing)'}`);
  return lines;
}
