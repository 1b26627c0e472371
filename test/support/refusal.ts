import { expect } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';

/** The UnavailableError (exit 3) `p` rejects with; the test fails when it resolves or rejects otherwise. */
export async function refusal(p: Promise<unknown>): Promise<UnavailableError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnavailableError);
  return err as UnavailableError;
}
