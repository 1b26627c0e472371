import type Database from 'better-sqlite3';

/**
 * A statement prepared when it is first used, not when its store is made. A registry opens its
 * stores (events, runs, versions, cache, leases: about 45 statements) on every open, and a command
 * uses a few of them: preparing all of them cost about 2 ms of every command's start and of every
 * application's first `getActive`, and most of a registry-heavy test's time. The statement behaves
 * as the prepared one in every way (`make` may also `.pluck()` it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any statement shape, as better-sqlite3 types them
export function preparedOnUse<S extends Database.Statement<any, any>>(make: () => S): S {
  let made: S | undefined;
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy({} as S, {
    get(_, key) {
      made ??= make();
      const value = Reflect.get(made, key, made) as unknown;
      if (typeof value !== 'function') return value;
      let fn = bound.get(key);
      if (fn === undefined) bound.set(key, (fn = (value as (...args: unknown[]) => unknown).bind(made)));
      return fn;
    },
  });
}

/** `db.transaction(fn)` as a plain function, made on first call: better-sqlite3 prepares its BEGIN, COMMIT and ROLLBACK statements then. */
export function transactionOnUse<A extends unknown[], R>(db: Database.Database, fn: (...args: A) => R): (...args: A) => R {
  let made: ((...args: A) => R) | undefined;
  return (...args: A) => (made ??= db.transaction(fn) as unknown as (...args: A) => R)(...args);
}
