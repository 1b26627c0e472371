import { expect } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';

/**
 * The error a PostgreSQL registry at `url` (with libpq's variables `env`) fails its first read with:
 * an UnavailableError, as every connection fault is. For tests of what a server that is no
 * PostgreSQL, a TLS endpoint or an unreachable host makes promptctl say.
 */
export async function firstReadFault(url: string, env?: Record<string, string>): Promise<UnavailableError> {
  const registry = openPostgresRegistry({ target: postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL', ...(env ? { env } : {}) }) });
  try {
    const err = await registry.listPromptIds().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnavailableError);
    return err as UnavailableError;
  } finally {
    await registry.close();
  }
}
