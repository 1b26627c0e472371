import type { CachedResponse, Registry } from '../registry/types.js';

/** Keys asked in one call at most (the registry's batched read takes them as one array). */
const MOST_KEYS = 500;

/**
 * The response cache as the samples in flight read it: a key asked while a lookup is on its way
 * waits for it and goes in the next one, with every other key asked meanwhile
 * (`Registry.getCachedResponses`). Before, each sample read its own key: on the registry's one
 * connection, a round trip each, one after another (2,000 samples: 2,000 round trips to a team
 * registry across the network). The first key asked goes at once, so a lone sample waits no longer.
 */
export function batchedCacheLookups(registry: Pick<Registry, 'getCachedResponses'>): (key: string) => Promise<CachedResponse | undefined> {
  type Asked = { key: string; resolve: (r: CachedResponse | undefined) => void; reject: (e: unknown) => void };
  let asked: Asked[] = [];
  let busy = false;
  const drain = async () => {
    busy = true;
    while (asked.length) {
      const batch = asked.slice(0, MOST_KEYS);
      asked = asked.slice(batch.length);
      try {
        const found = await registry.getCachedResponses([...new Set(batch.map((a) => a.key))]);
        for (const a of batch) a.resolve(found.get(a.key));
      } catch (e) {
        // A registry fault fails the samples that asked, as a lookup of their own would have.
        for (const a of batch) a.reject(e);
      }
    }
    busy = false;
  };
  return (key) =>
    new Promise((resolve, reject) => {
      asked.push({ key, resolve, reject });
      if (!busy) void drain();
    });
}
