import { copyFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import * as app from '../../src/app/index.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { fakeClock } from '../support/fake-clock.js';
import { markTested, projectRegistryPath } from '../support/registry-cli.js';

/**
 * A long-running reader of a registry file that is replaced by rename (rsync, cp + mv, a
 * ConfigMap update): the next call reads the new file, as "every call reads the file" promises.
 * Before, the reader kept the first file's connection and served the old inode for ever, not
 * even marked stale. A replacement that cannot be opened serves the last good value stale.
 */

const ID = 'support-answer';
let cwd: string;
let served: string;

/** Puts the project's registry at `served` the way a deployment tool does: a copy renamed into place. */
function publish(): void {
  copyFileSync(projectRegistryPath(cwd), `${served}.tmp`);
  renameSync(`${served}.tmp`, served);
}

beforeAll(async () => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`);
  await app.deploy({ cwd, env: {}, clock: fakeClock(), ref: `${ID}@1.0.0`, environment: 'staging' });
  served = path.join(cwd, 'served.db');
  publish();
});
afterAll(() => cleanupTempDirs());

describe('openRegistry({ path }) on a file replaced by rename', () => {
  it('reads the new file on the next call, and serves the last good value stale while the path holds no registry', async () => {
    const reader = library.openRegistry({ path: served });
    try {
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0' });
      await expect(reader.getActive(ID, 'development')).rejects.toBeInstanceOf(library.UnknownEnvironmentError);

      await app.deploy({ cwd, env: {}, clock: fakeClock(), ref: `${ID}@1.0.0`, environment: 'development' });
      publish();
      const now = await reader.getActive(ID, 'development');
      expect(now).toMatchObject({ version: '1.0.0', env: 'development' });
      expect(now!.stale).toBeUndefined();

      // A replacement that is no registry: the last good value, marked stale, naming what failed.
      writeFileSync(`${served}.tmp`, 'not a registry');
      renameSync(`${served}.tmp`, served);
      const stale = await reader.getActive(ID, 'staging');
      expect(stale).toMatchObject({ version: '1.0.0', stale: true });
      expect(stale!.staleReason).toContain(`cannot reopen the registry at ${served}`);
    } finally {
      await reader.close();
    }
  });

  it('a path whose file was removed serves the last good value stale', async () => {
    publish();
    const reader = library.openRegistry({ path: served });
    try {
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0' });
      unlinkSync(served);
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0', stale: true, staleReason: expect.stringContaining(`cannot read ${served}`) });
    } finally {
      await reader.close();
    }
  });
});
