import { sinceLine } from './signing.js';

/**
 * `audit verify`'s warning about signing.since, as it warns of a retired key's `until`: a since
 * that anchors less than the log holds. Later than the first signed event, it leaves the events
 * from there to it vouched for by the log's own account only: a database writer who strips every
 * signature makes them history. Past the next event (`head` + 1) with nothing signed, it checks
 * nothing yet; exactly the next event is a new setup's (keys pinned before the first signed event),
 * and no warning.
 */
export function sinceWarning(since: number | undefined, firstSigned: number | undefined, head: number): string | undefined {
  if (since === undefined) return undefined;
  if (firstSigned !== undefined && firstSigned < since) {
    const last = Math.min(since - 1, head);
    const span = last === firstSigned ? `event #${firstSigned}` : `events #${firstSigned} to #${last}`;
    return `${sinceLine(since)} in .promptrc.yaml is later than the first signed event, #${firstSigned}: a database writer who strips the signatures of ${span} leaves a log that still verifies; set \`${sinceLine(firstSigned)}\``;
  }
  const next = head + 1;
  if (firstSigned === undefined && since > next) {
    return `${sinceLine(since)} in .promptrc.yaml is past the log, which ends at #${head}, and no event is signed: it anchors nothing, so a log stripped of every signature verifies; set it to the seq of the first signed event (if the log held signed events, it was stripped: restore it from a backup), or to \`${sinceLine(next)}\` if signing starts with the next event`;
  }
  return undefined;
}
