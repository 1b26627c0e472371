import { expect } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';

/**
 * The error `p` rejects with, of class `kind` (an UnavailableError, exit 3, unless told otherwise);
 * the test fails when it resolves or rejects otherwise.
 */
export async function refusal<E extends Error = UnavailableError>(p: Promise<unknown>, kind: abstract new (...args: never[]) => E = UnavailableError as never): Promise<E> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(kind);
  return err as E;
}
