import type { Registry } from './types.js';

/**
 * A registry whose backend is loaded and opened on its first call. The library entry's reader
 * (`openRegistry`) takes the PostgreSQL backend this way: about 45 modules that an application
 * reading a registry file never needs, and that cost every such application's start 20-30 ms.
 * Every Registry call returns a Promise, so waiting for the module first changes no caller; `path`
 * is known before it (the URL without its password). A reader closed before any call loads nothing.
 */
export function loadedOnUse(path: string, open: () => Promise<Registry>): Registry {
  let opened: Promise<Registry> | undefined;
  return new Proxy({ path } as Registry, {
    get(_, key) {
      if (key === 'path') return path;
      // Not a thenable (an `await` of the reader must not call it), and nothing else but methods.
      if (typeof key !== 'string' || key === 'then') return undefined;
      if (key === 'close') return async () => (opened ? (await opened).close() : undefined);
      return async (...args: unknown[]) => {
        const registry = await (opened ??= open());
        return (registry[key as keyof Registry] as (...a: unknown[]) => Promise<unknown>)(...args);
      };
    },
  });
}
