import { UnavailableError } from '../../core/errors.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Clock } from '../clock.js';
import { namedProcessGone, thisProcess } from '../local-pid.js';
import type { Registry } from '../registry/types.js';

/**
 * An eval sends a run's samples only while it holds the run's lease in the registry, so two evals
 * that resume one run at once never both send its missing cases: the second is refused (exit 3)
 * naming the first. The holder renews its leases every third of their time to live and releases
 * them when it ends (a signal included); a holder that crashed keeps them until they expire, or,
 * on the same host, loses them at once, since a process that no longer exists sends nothing.
 */

/** How long a lease lasts unrenewed: the longest a crashed holder on another machine holds a resume up. */
export const DEFAULT_LEASE_TTL_MS = 60_000;

export interface LeasePolicy {
  /** This eval as other evals will name it: pid@host and its invocation id. */
  holder: string;
  ttlMs: number;
  /** Whether a holder is known to be gone, so its live lease may be taken over at once. */
  holderGone(holder: string): boolean;
}

export function leasePolicy(invocationId: string, ttlMs = DEFAULT_LEASE_TTL_MS): LeasePolicy {
  return { holder: `${thisProcess()} (invocation ${invocationId})`, ttlMs, holderGone: localProcessGone };
}

/**
 * A holder of this host whose process no longer exists (killed with SIGKILL, or crashed). A pid
 * that was reused since counts as alive: the lease then only runs out, which is safe.
 */
export function localProcessGone(holder: string): boolean {
  return namedProcessGone(holder);
}

type RunNames = Pick<RunRecord, 'id' | 'promptId' | 'version' | 'suite'>;

const runName = (run: RunNames) => `run ${run.id} (${run.promptId}@${run.version}, suite ${run.suite})`;

/** Takes `run`'s lease inside the caller's transaction, or throws exit 3 naming the live holder. */
export async function takeRunLease(tx: Registry, run: RunNames, policy: LeasePolicy): Promise<void> {
  let got = await tx.acquireLease(run.id, policy.holder, policy.ttlMs);
  if (!got.ok && policy.holderGone(got.holder)) got = await tx.acquireLease(run.id, policy.holder, policy.ttlMs, { takeOverFrom: got.holder });
  if (got.ok) return;
  throw new UnavailableError({
    message: `${runName(run)} is already being run by ${got.holder}; its lease lasts until ${got.expiresAt}`,
    why: 'only the holder of a run\'s lease sends its cases, so that two evals resuming one run never send a case twice; the holder renews the lease while it runs',
    hint: `wait for that eval to end, then run this command again: it sends only what is still missing. If that process crashed, its lease runs out at ${got.expiresAt} and the next --resume takes the run over`,
  });
}

/**
 * Who is running `run` now: its live lease's holder, unless the holder is known to be gone (then
 * takeRunLease would take the run over). Reads only: a merge asks it of shards it must not take.
 */
export async function runningHolder(registry: Registry, runId: string, policy: LeasePolicy): Promise<{ holder: string; expiresAt: string } | undefined> {
  const lease = await registry.liveLease(runId);
  return lease && !policy.holderGone(lease.holder) ? lease : undefined;
}

/** This eval stops: another one took over `run` after its lease expired unrenewed. */
export function leaseLostError(run: RunNames, ttlMs: number): UnavailableError {
  return new UnavailableError({
    message: `${runName(run)} was taken over by another eval: this one could not renew its lease in time`,
    why: `a lease not renewed for ${ttlMs / 1000} s expires (the process was suspended, or too busy to renew it), and another eval resumed the run; this one stopped sending, so that no case is sent twice`,
    hint: 'let the other eval finish the run; run this command with --resume afterwards to send anything still missing',
  });
}

export interface HeldLeases {
  /** The runs whose lease another eval took over (after it expired unrenewed). */
  lost(): string[];
  /** Resolves when the renewals started so far have ended. */
  settled(): Promise<void>;
  /**
   * Renews every lease still held once, now, and returns the runs lost (all so far). A session
   * asks before it finishes its runs: another eval may have taken one over since the last
   * renewal, and finishing it (or marking a version tested on it) would record a verdict on
   * samples the other eval is still writing. A registry that fails here throws.
   */
  confirm(): Promise<string[]>;
  /** Stops renewing and releases the leases still held. */
  release(): Promise<void>;
}

/** Renews the leases on `runIds` every third of their time to live, on `clock`'s timers, until released. */
export function keepLeases(registry: Registry, runIds: string[], policy: LeasePolicy, clock: Clock, onLost: (runId: string) => void): HeldLeases {
  const lost = new Set<string>();
  let stopped = false;
  let cancel = () => {};
  let renewing: Promise<void> = Promise.resolve();
  const renewAll = async (o: { throwing: boolean }) => {
    for (const id of runIds) {
      if (stopped || lost.has(id)) continue;
      try {
        if (await registry.renewLease(id, policy.holder, policy.ttlMs)) continue;
        lost.add(id);
        onLost(id);
      } catch (err) {
        // A registry that fails here fails the next batch write too, and that reports it; the
        // lease still has two renewals' time to run.
        if (o.throwing) throw err;
      }
    }
  };
  const schedule = () => {
    cancel = clock.after(policy.ttlMs / 3, () => {
      schedule();
      // One renewal at a time: a slow one delays the next rather than overlapping it.
      renewing = renewing.then(() => renewAll({ throwing: false }));
    });
  };
  schedule();
  return {
    lost: () => [...lost],
    settled: () => renewing,
    async confirm() {
      const now = renewing.then(() => renewAll({ throwing: true }));
      // The timer's renewals go on after this one, whatever it met.
      renewing = now.catch(() => {});
      await now;
      return [...lost];
    },
    async release() {
      stopped = true;
      cancel();
      await renewing;
      for (const id of runIds) {
        if (lost.has(id)) continue;
        // Best effort: a lease that cannot be released (the registry failed) runs out by itself.
        await registry.releaseLease(id, policy.holder).catch(() => {});
      }
    },
  };
}
