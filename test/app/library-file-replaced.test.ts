import { copyFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
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

/** Registries whose staging runs 1.0.0 and 1.1.0: what a release and its rollback copy over a file. */
let v100: string;
let v110: string;

beforeAll(async () => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
  await app.deploy({ cwd, env: {}, clock: fakeClock(), ref: `${ID}@1.0.0`, environment: 'staging' });
  served = path.join(cwd, 'served.db');
  publish();
  v100 = path.join(cwd, 'v100.db');
  copyFileSync(projectRegistryPath(cwd), v100);
  await app.deploy({ cwd, env: {}, clock: fakeClock(), ref: `${ID}@1.1.0`, environment: 'staging' });
  v110 = path.join(cwd, 'v110.db');
  copyFileSync(projectRegistryPath(cwd), v110);
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
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.1.0' });
      unlinkSync(served);
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.1.0', stale: true, staleReason: expect.stringContaining(`cannot read ${served}`) });
    } finally {
      await reader.close();
    }
  });
});

describe('openRegistry({ path }) on a file written in place', () => {
  /** `cp from served`: the same file (inode) with new content; its times set apart, so no clock decides what is seen. */
  function copyInPlace(from: string, seconds: number): void {
    const ino = statSync(inPlace).ino;
    copyFileSync(from, inPlace);
    utimesSync(inPlace, seconds, seconds);
    expect(statSync(inPlace).ino).toBe(ino);
  }
  let inPlace: string;

  it('reads the new content on the next call, and serves the last good value stale while the file holds no registry', async () => {
    inPlace = path.join(cwd, 'in-place.db');
    copyFileSync(v100, inPlace);
    utimesSync(inPlace, 1_000_000_000, 1_000_000_000);
    // The back-off after a failed read (1 s) is passed by moving the reader's clock, not by waiting.
    const clock = fakeClock();
    const reader = library.openRegistry({ path: inPlace, clock });
    try {
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0' });

      // A release copied over the file the application reads (the SQLite connection's cache would keep 1.0.0).
      copyInPlace(v110, 1_000_000_100);
      const released = await reader.getActive(ID, 'staging');
      expect(released).toMatchObject({ version: '1.1.0' });
      expect(released!.stale).toBeUndefined();

      // Garbage written in place: the last good value, marked stale, never the garbage read as current.
      writeFileSync(inPlace, 'not a registry');
      utimesSync(inPlace, 1_000_000_200, 1_000_000_200);
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.1.0', stale: true, staleReason: expect.stringContaining(`cannot reopen the registry at ${inPlace}, which changed`) });

      // A rollback copied in place reaches the application.
      copyInPlace(v100, 1_000_000_300);
      clock.advance(60_000);
      const rolledBack = await reader.getActive(ID, 'staging');
      expect(rolledBack).toMatchObject({ version: '1.0.0' });
      expect(rolledBack!.stale).toBeUndefined();
    } finally {
      await reader.close();
    }
  });
});
