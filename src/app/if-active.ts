import { GateError } from '../core/errors.js';
import type { AuditEvent } from '../infra/registry/types.js';

/**
 * A change bound to what was active when it was chosen (`ifActive`): the confirmed preview of a
 * change to the last environment, or a script's compare-and-set (`--if-active`). Checked inside
 * the change's transaction, after its turn is taken, so a change recorded in between (a second
 * release manager's rollback, a double-clicked rollback) is never carried out on top of it.
 */

/** `--if-active none` (or null): only while nothing is active there. */
export const NOTHING_ACTIVE = 'none';

export interface ActiveExpectation {
  promptId: string;
  env: string;
  /** The version expected active, or `none`; undefined: no expectation. */
  ifActive: string | undefined;
  /**
   * The `seq` of the environment's newest event a confirmed preview saw (0: none): exact where a
   * version is not (a redeploy of the same version with other settings or weights is a change too).
   */
  ifActiveEvent?: number;
  /** The environment's newest event, read in the change's transaction. */
  active: AuditEvent | undefined;
  /** The command that shows the change as it would be now (`promptctl rollback x --env p --dry-run`). */
  review: string;
  /** The option that binds a change, as its caller names it: `--if-active` (the default) or `ifActive`; promote's is `promoting`. */
  bindOption?: string;
}

export function requireStillActive(x: ActiveExpectation): void {
  const shown = (v: string | null) => (v === null ? 'nothing' : `${x.promptId}@${v}`);
  const by = x.active ? `event #${x.active.seq} (${x.active.action} of ${x.active.version} by ${x.active.actor}, ${x.active.at})` : 'the log';
  const expected = x.ifActive === NOTHING_ACTIVE ? null : (x.ifActive ?? null);
  const now = x.active?.version ?? null;
  // Another version active says most; the event alone tells a redeploy of the same version.
  if (x.ifActive !== undefined && now !== expected) {
    throw new GateError({
      message: `${x.env} changed: ${shown(now)} is active there now, not ${shown(expected)}`,
      why: `the change was bound to ${shown(expected)} being active (a confirmed preview, or ${x.bindOption ?? '--if-active'}), and ${by} says otherwise; nothing was changed or recorded.`,
      hint: `review the change as it would be now: \`${x.review}\``,
    });
  }
  if (x.ifActiveEvent !== undefined && (x.active?.seq ?? 0) !== x.ifActiveEvent) {
    throw new GateError({
      message: `${x.env} changed since the change was previewed: ${by === 'the log' ? 'its events were removed' : `${by} was recorded after it`}`,
      why: 'a confirmed change is the one its preview showed; nothing was changed or recorded.',
      hint: `review the change as it would be now: \`${x.review}\``,
    });
  }
}
