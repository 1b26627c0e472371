import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deferredRegistry } from '../../src/infra/registry/deferred.js';
import { REGISTRY_CALLS } from '../../src/infra/registry/registry-calls.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

afterAll(cleanupTempDirs);

/** The registry a SQLite project never loads the PostgreSQL code for: loaded once, on its first call. */
describe('deferredRegistry', () => {
  const version = { promptId: 'p', version: '1.0.0', contentHash: 'h', content: '{}', description: 'd', author: 'a' };

  it('loads its implementation once, on the first call, and forwards every call and transactions to it', async () => {
    const file = path.join(makeTempDir(), 'registry.db');
    let loads = 0;
    const reg = deferredRegistry(file, async () => {
      loads++;
      return openSqliteRegistry({ path: file });
    });
    expect(reg.path).toBe(file);
    expect(loads).toBe(0);
    for (const name of REGISTRY_CALLS) expect(typeof reg[name], name).toBe('function');
    await reg.registerVersion(version);
    expect(await reg.getVersion('p', '1.0.0')).toMatchObject({ contentHash: 'h' });
    await reg.transaction(async (tx) => {
      await tx.appendEvent({ env: 'staging', promptId: 'p', version: '1.0.0', previousVersion: null, action: 'deploy', actor: 'me', reason: null });
    });
    expect((await reg.listEvents()).map((e) => e.action)).toEqual(['deploy']);
    expect(loads).toBe(1);
    await reg.close();
    const reopened = openSqliteRegistry({ path: file, readonly: true });
    expect((await reopened.listEvents()).map((e) => e.version)).toEqual(['1.0.0']);
    await reopened.close();
  });

  it('closing one never used loads nothing; a failed load is the failure of each call, not of close', async () => {
    let loads = 0;
    const unused = deferredRegistry('nowhere', async () => {
      loads++;
      throw new Error('not loaded');
    });
    await unused.close();
    expect(loads).toBe(0);
    await expect(unused.listPromptIds()).rejects.toThrow('not loaded');
    await expect(unused.transaction(async () => 1)).rejects.toThrow('not loaded');
    expect(loads).toBe(1);
    const failing: Registry = unused;
    await expect(failing.close()).resolves.toBeUndefined();
  });
});
