import { describe, expect, it } from 'vitest';
import { batchedCacheLookups } from '../../src/infra/eval/cache-lookups.js';
import type { CachedResponse } from '../../src/infra/registry/types.js';

/**
 * The samples in flight read the response cache in batches: a key asked while a lookup is on its
 * way goes in the next one. Before, each sample was a round trip of its own to the registry.
 */

const answer = (output: string): CachedResponse => ({ output, latencyMs: 1, tokensIn: 1, tokensOut: 1 });

function countingRegistry(held: Record<string, CachedResponse>, fail?: (keys: readonly string[]) => boolean) {
  const calls: string[][] = [];
  return {
    calls,
    getCachedResponses: async (keys: readonly string[]) => {
      calls.push([...keys]);
      await new Promise((r) => setImmediate(r));
      if (fail?.(keys)) throw new Error('the registry went away');
      return new Map(keys.flatMap((k) => (held[k] ? [[k, held[k]!] as const] : [])));
    },
  };
}

describe('cache lookups of the samples in flight', () => {
  it('sends the first key at once and the keys asked meanwhile together; each gets its own answer', async () => {
    const registry = countingRegistry({ a: answer('A'), c: answer('C'), e: answer('E') });
    const lookUp = batchedCacheLookups(registry);
    const got = await Promise.all(['a', 'b', 'c', 'd', 'e', 'c'].map(lookUp));
    expect(got.map((r) => r?.output)).toEqual(['A', undefined, 'C', undefined, 'E', 'C']);
    expect(registry.calls).toEqual([['a'], ['b', 'c', 'd', 'e']]);
    // Later, alone again: at once.
    expect((await lookUp('e'))?.output).toBe('E');
    expect(registry.calls).toHaveLength(3);
  });

  it('asks at most 500 keys in one call', async () => {
    const registry = countingRegistry({});
    const lookUp = batchedCacheLookups(registry);
    await Promise.all(Array.from({ length: 1201 }, (_, i) => lookUp(`k${i}`)));
    expect(registry.calls.map((c) => c.length)).toEqual([1, 500, 500, 200]);
  });

  it('a registry fault fails the samples of that lookup only; the next lookup asks again', async () => {
    const registry = countingRegistry({ z: answer('Z') }, (keys) => keys.includes('x'));
    const lookUp = batchedCacheLookups(registry);
    const first = lookUp('w');
    const failing = [lookUp('x'), lookUp('y')].map((p) => p.then(() => 'answered', (e: Error) => e.message));
    expect((await first)?.output).toBeUndefined();
    expect(await Promise.all(failing)).toEqual(['the registry went away', 'the registry went away']);
    expect((await lookUp('z'))?.output).toBe('Z');
  });
});
