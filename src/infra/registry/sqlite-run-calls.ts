import type { Clock } from '../clock.js';
import { leaseEnd } from './lease-end.js';
import { LeaseNotHeldError, runIdsOf } from './lease-fence.js';
import type { ResponseCache } from './sqlite-cache.js';
import type { LeaseStore } from './sqlite-leases.js';
import type { RunStore } from './sqlite-runs.js';
import type { WriteTransactions } from './sqlite-writes.js';
import type { CachedResponse, Registry } from './types.js';

/**
 * The SQLite registry's calls about runs, their samples and leases, and the response cache, as
 * plain functions over the store's tables (mirroring postgres/runs.ts and postgres/leases.ts);
 * sqlite-store.ts puts them on the store. Each write is one write transaction of the store, so a
 * sample batch, the lease it is fenced by and the cache rows of its answers are one step.
 */

export type RunCalls = ReturnType<typeof runCalls>;

export function runCalls(store: { runs: RunStore; leases: LeaseStore; cache: ResponseCache; writes: WriteTransactions; clock: Pick<Clock, 'date'> }) {
  const { runs, leases, cache, writes, clock } = store;
  const now = () => clock.date().toISOString();
  return {
    createRun(run: Parameters<Registry['createRun']>[0]): void {
      writes.run(() => runs.create(run));
    },

    recordSamples(...[samples, cacheRows = [], fence]: Parameters<Registry['recordSamples']>): void {
      if (samples.length === 0 && cacheRows.length === 0) return;
      const refused = writes.run(() => {
        const refused = fence ? leases.notHeld(runIdsOf(samples), fence.holder) : [];
        runs.recordSamples(refused.length ? samples.filter((s) => !refused.includes(s.runId)) : samples);
        const at = now();
        for (const row of cacheRows) cache.set(row.key, row.response, at);
        return refused;
      });
      if (refused.length) throw new LeaseNotHeldError(refused[0]!, fence!.holder);
    },

    finishRun(...args: Parameters<Registry['finishRun']>): void {
      writes.run(() => runs.finishRun(...args));
    },

    getRun: (runId: string) => runs.get(runId),
    listRuns: (filter: Parameters<Registry['listRuns']>[0]) => runs.list(filter),
    newestRuns: (models: readonly string[] | undefined, limit: number) => runs.newest(models, limit),
    findResumableRun: (inputsKey: string) => runs.findResumable(inputsKey),
    getSamples: (...[runId, page]: Parameters<Registry['getSamples']>) => (page ? runs.samplesOfCases(runId, page.caseIds) : runs.samples(runId)),
    sampleTally: (runId: string) => runs.tally(runId),
    sampleDigests: (runId: string) => runs.digests(runId),

    acquireLease(runId: string, holder: string, ttlMs: number, opts: { takeOverFrom?: string } = {}) {
      return writes.run(() => {
        const at = clock.date();
        return leases.acquire(runId, holder, at.toISOString(), leaseEnd(at, ttlMs), opts.takeOverFrom);
      });
    },
    renewLease: (runId: string, holder: string, ttlMs: number): boolean => writes.run(() => leases.renew(runId, holder, leaseEnd(clock.date(), ttlMs))),
    releaseLease: (runId: string, holder: string): void => writes.run(() => leases.release(runId, holder)),
    liveLease: (runId: string) => leases.live(runId, clock.date().toISOString()),

    getCachedResponse: (key: string) => cache.get(key),
    getCachedResponses: (keys: readonly string[]) => cache.getMany(keys),
    putCachedResponse: (key: string, r: CachedResponse): void => writes.run(() => cache.set(key, r, now())),
    countCachedResponses: (before?: string) => cache.count(before),
    pruneCachedResponses: (before?: string) => writes.run(() => cache.prune(before)),
  };
}
