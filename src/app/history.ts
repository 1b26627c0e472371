import { z } from 'zod';
import { parseSince } from '../core/age.js';
import { InputError } from '../core/errors.js';
import { optionWithValue } from '../core/option-names.js';
import { parsePromptRef } from '../core/refs.js';
import { listPromptFolders, loadProjectConfig } from '../infra/project-config.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { shownEventWarnings } from '../infra/registry/shown-events.js';
import type { AuditEvent, Registry } from '../infra/registry/types.js';
import { servedOf, type ServedModel } from '../core/deployed-model.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions, wholeNumber } from './options.js';
import { openRecordFor, requireKnownPrompt } from './require.js';
import { groupBy } from '../core/group.js';

/** `history`: the audit trail of deploys and rollbacks, newest last. */

export const HistoryOptions = z.object({
  /** One prompt (`<id>` or `<id>@<version>`; the version is ignored). */
  id: z.string().optional(),
  environment: z.string().optional(),
  /** Only events at or after this: an age (`7d`), a date (`2026-11-01`, UTC) or a date and time with its zone. */
  since: z.string().optional(),
  /** Only these kinds of change. */
  action: z.array(z.enum(['deploy', 'rollback', 'override'])).min(1).optional(),
  /** The newest `limit` events (after the filters above). */
  limit: wholeNumber(1).optional(),
});
export type HistoryOptions = z.input<typeof HistoryOptions>;

export interface HistoryResult {
  promptId?: string;
  env?: string;
  events: AuditEvent[];
  /**
   * Per event, what the event before it in its environment (prompt and env) recorded it serves (the
   * model, its weights, the request settings), whether or not the filters show that event: what a
   * change of settings or weights is told against. Undefined: nothing before it there, or an event
   * from before events recorded what they serve.
   */
  previousServed: Array<ServedModel | undefined>;
  /** Events shown that do not verify against the chain around them. */
  warnings: string[];
  /** `--since`, as the time it counts from (ISO 8601, UTC). */
  since?: string;
  /** `--action`, as given. */
  actions?: Array<'deploy' | 'rollback' | 'override'>;
  /**
   * When `--since` or `--action` left no event: how many of the prompt's and environment's events
   * they left out (0: none recorded at all), so an empty answer is not read as an empty history.
   */
  leftOut?: number;
}

export async function history(opts: HistoryOptions & AppOptions): Promise<HistoryResult> {
  const o = parseOptions('history', HistoryOptions, opts);
  const c = appContext(opts);
  const since = o.since === undefined ? undefined : parseSince(o.since, c.clock.date());
  if (since && !since.ok) throw new InputError({ message: `${optionWithValue(c.optionNames, 'since', o.since!, `"${o.since}"`)} ${since.tooFar ? 'is too far back' : 'is not a time'}`, hint: `${since.why}.` });
  const promptId = o.id ? parsePromptRef(o.id, { noVersion: (r) => `write ${r.id}: history lists every version deployed.` }).id : undefined;
  const project = loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames });
  const registry = await openRecordFor(project, o.environment, () => openProjectRegistry(project, { readonly: true, mustExist: true, env: c.env, clock: c.clock, signal: c.signal }));
  try {
    // An unknown id is a typo (exit 2), not an empty history that reads as if nothing was deployed.
    if (promptId) await requireKnownPrompt(listPromptFolders(project.root), registry, promptId);
    // The deploy history: tested marks are in the same chain, but are not changes to an environment.
    // An age (`2h`) counts back from the registry's clock, which dated its events (on PostgreSQL the
    // server's): a machine whose clock is off would otherwise see a wider or narrower window.
    const from = since?.ok ? parseSince(o.since!, new Date(await registry.time())) : undefined;
    const events = await registry.listEvents({ promptId, env: o.environment, environments: true, limit: o.limit, ...(from?.ok ? { since: from.iso } : {}), ...(o.action ? { actions: o.action } : {}) });
    const warnings = await shownEventWarnings(registry, events, project.config.signing);
    const filtered = from?.ok || o.action !== undefined;
    const previousServed = await previousServedOf(registry, events, filtered || o.limit !== undefined);
    const leftOut = filtered && !events.length ? await registry.countEvents({ promptId, env: o.environment, environments: true }) : undefined;
    return {
      ...(promptId ? { promptId } : {}),
      ...(o.environment ? { env: o.environment } : {}),
      events,
      previousServed,
      warnings,
      ...(from?.ok ? { since: from.iso } : {}),
      ...(o.action ? { actions: o.action } : {}),
      ...(leftOut !== undefined ? { leftOut } : {}),
    };
  } finally {
    await registry.close();
  }
}

/**
 * For each event, what its predecessor in the same prompt and environment recorded it serves. `partial`:
 * the filters (`--action`, `--since`, `--limit`) may have left the predecessor out, so each
 * environment shown is read whole; otherwise the events listed are all there is.
 */
async function previousServedOf(registry: Registry, events: readonly AuditEvent[], partial: boolean): Promise<Array<ServedModel | undefined>> {
  const key = (e: AuditEvent) => JSON.stringify([e.promptId, e.env]);
  const trails = groupBy(events, key);
  if (partial) for (const [k, [e]] of trails) trails.set(k, await registry.listEvents({ promptId: e!.promptId, env: e!.env, environments: true }));
  // Each trail in seq order once; an event's predecessor is the last of its trail below its own seq.
  for (const trail of trails.values()) trail.sort((a, b) => a.seq - b.seq);
  return events.map((e) => {
    const trail = trails.get(key(e))!;
    let lo = 0;
    for (let hi = trail.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (trail[mid]!.seq < e.seq) lo = mid + 1;
      else hi = mid;
    }
    return servedOf(trail[lo - 1]?.detail);
  });
}
