import { describe, expect, it } from 'vitest';
import { loadedOnUse } from '../../src/infra/registry/loaded-on-use.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';

/**
 * The library reader's team registry, loaded on its first call (src/index.ts): its `path` is known
 * before, a reader closed unused loads nothing, concurrent first calls share one open, and the
 * registry is no thenable (an `await` of it must not call a method named `then`).
 */

/** A real (in-memory SQLite) registry behind a counter of how often it was opened. */
function counted(): { registry: Registry; opens: () => number; closed: () => boolean } {
  let opens = 0;
  let closed = false;
  const registry = loadedOnUse('postgres://app@db.example/registry', async () => {
    opens++;
    const real = openSqliteRegistry({ path: ':memory:' });
    const close = real.close.bind(real);
    return Object.assign(real, { close: async () => ((closed = true), close()) });
  });
  return { registry, opens: () => opens, closed: () => closed };
}

describe('a registry loaded on use', () => {
  it('names where it is before anything is loaded', () => {
    const { registry, opens } = counted();
    expect(registry.path).toBe('postgres://app@db.example/registry');
    expect(opens()).toBe(0);
  });

  it('closed before any call, loads and opens nothing', async () => {
    const { registry, opens, closed } = counted();
    await registry.close();
    expect(opens()).toBe(0);
    expect(closed()).toBe(false);
  });

  it('opens once for concurrent first calls, answers through the real registry, and closes it', async () => {
    const { registry, opens, closed } = counted();
    const [ids, envs] = await Promise.all([registry.listPromptIds(), registry.listEnvironments()]);
    expect([ids, envs]).toEqual([[], []]);
    expect(opens()).toBe(1);
    await registry.close();
    expect(closed()).toBe(true);
  });

  it('is no thenable: awaiting it gives it back', async () => {
    const { registry, opens } = counted();
    expect(await Promise.resolve(registry)).toBe(registry);
    expect(opens()).toBe(0);
  });
});
