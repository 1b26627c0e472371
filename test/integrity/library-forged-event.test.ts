import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeEventHash } from '../../src/core/audit-chain.js';
import { UnavailableError } from '../../src/core/errors.js';
import { openRegistry, UnverifiedRecordError } from '../../src/index.js';
import { toEvent, type EventRow } from '../../src/infra/registry/sqlite-rows.js';
import { runCliInProcess } from '../support/cli.js';
import { deployedInStagingTwice } from '../support/forge.js';
import { cleanupTempDirs } from '../support/project.js';
import { projectRegistryPath, tamper } from '../support/registry-cli.js';

/**
 * A deploy event edited by hand to name another version, with its content hash set to that
 * version's (so the content check passes): `get` refuses it (exit 3), saying it may be forged. The
 * library never serves it as sound: the read is exit 3, so a reader with a good value serves it
 * stale and one without throws. `export -o` writes no bundle built on it (exit 3).
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

/** #1, #2: the tested marks. #3, #4: staging. #5: development, so #4 is in the middle. */
const project = (): Promise<string> => deployedInStagingTwice(WHO);

/** #4 (staging's 1.1.0) made to say 1.0.0, with 1.0.0's content hash; its own hash recomputed or not. */
function forge(dir: string, recomputeHash: boolean): void {
  tamper(dir, (db) => {
    const first = db.prepare('SELECT content_hash FROM events WHERE seq = 3').get() as { content_hash: string };
    db.prepare("UPDATE events SET version = '1.0.0', content_hash = ? WHERE seq = 4").run(first.content_hash);
    if (!recomputeHash) return;
    const row = db.prepare('SELECT * FROM events WHERE seq = 4').get() as EventRow;
    db.prepare('UPDATE events SET hash = ? WHERE seq = 4').run(computeEventHash(toEvent(row)));
  });
}

describe.each([
  ['its own hash kept', false, /event #4 does not match its own hash/],
  ['its hash recomputed', true, /event #4 is not the event #5 was chained onto/],
])('a forged deploy event (%s)', (_, recomputeHash, problem) => {
  it('the library serves the last good value stale, or throws exit 3 with none; export -o writes nothing', async () => {
    const dir = await project();
    const warm = openRegistry({ path: projectRegistryPath(dir) });
    try {
      expect(await warm.getActive(ID, 'staging')).toMatchObject({ version: '1.1.0' });
      await warm.exportEnv('staging');
      forge(dir, recomputeHash);
      // get refuses it with the library's words.
      const get = await runCliInProcess(['get', ID, '--env', 'staging'], { cwd: dir });
      expect(get.code, get.output).toBe(3);
      expect(get.stderr).toMatch(/support-answer@1\.0\.0 in staging does not verify: it may be forged/);
      expect(get.stderr).toMatch(problem);

      expect(await warm.getActive(ID, 'staging')).toMatchObject({ version: '1.1.0', stale: true, staleReason: expect.stringMatching(/support-answer@1\.0\.0 in staging does not verify/) });
      expect(await warm.exportEnv('staging')).toMatchObject({ stale: true, prompts: { [ID]: { version: '1.1.0' } } });
      const cold = openRegistry({ path: projectRegistryPath(dir) });
      try {
        const e = await cold.getActive(ID, 'staging').catch((err: unknown) => err);
        expect(e).toBeInstanceOf(UnavailableError);
        expect((e as UnavailableError).why).toMatch(problem);
        await expect(cold.exportEnv('staging')).rejects.toBeInstanceOf(UnavailableError);
        // An event that verifies is served as ever.
        expect(await cold.getActive(ID, 'development')).toMatchObject({ version: '1.0.0' });
      } finally {
        await cold.close();
      }

      const exported = await runCliInProcess(['export', '--env', 'staging', '-o', 'bundle.json'], { cwd: dir });
      expect(exported.code, exported.output).toBe(3);
      expect(exported.stderr).toMatch(problem);
      expect(existsSync(path.join(dir, 'bundle.json'))).toBe(false);
    } finally {
      await warm.close();
    }
  });
});

/**
 * A deploy event edited to name a version the registry never registered: the event is what was
 * edited, so it is a record that does not verify (UnverifiedRecordError: no back-off, the next call
 * reads again), never "the version row was deleted" with a hint to find who deleted it. Before, the
 * row was looked up before the event was checked.
 */
describe('a deploy event edited to name an unregistered version', () => {
  const forged = /^the registry's deploy record of support-answer@9\.9\.9 in staging does not verify: it may be forged$/;
  const setVersion = (dir: string, version: string) => tamper(dir, (db) => db.prepare('UPDATE events SET version = ? WHERE seq = 4').run(version));

  it('is UnverifiedRecordError for the library, get and export; restored, it is served on the next call', async () => {
    const dir = await project();
    // A clock that never moves: a back-off after the forged read would serve the next call stale.
    const warm = openRegistry({ path: projectRegistryPath(dir), clock: { date: () => new Date(), now: () => 0 } });
    try {
      expect(await warm.getActive(ID, 'staging')).toMatchObject({ version: '1.1.0' });
      setVersion(dir, '9.9.9');

      const cold = openRegistry({ path: projectRegistryPath(dir) });
      try {
        const e = await cold.getActive(ID, 'staging').catch((err: unknown) => err);
        expect(e).toBeInstanceOf(UnverifiedRecordError);
        expect((e as UnverifiedRecordError).message).toMatch(forged);
        expect((e as UnverifiedRecordError).why).toBe('event #4 does not match its own hash: it was edited after it was written');
        expect(await cold.exportEnv('staging').catch((err: unknown) => err)).toBeInstanceOf(UnverifiedRecordError);
      } finally {
        await cold.close();
      }
      expect(await warm.getActive(ID, 'staging')).toMatchObject({ version: '1.1.0', stale: true, staleReason: expect.stringMatching(/support-answer@9\.9\.9 in staging does not verify: it may be forged/) });

      const get = await runCliInProcess(['get', ID, '--env', 'staging', '--json'], { cwd: dir });
      expect(get.code, get.output).toBe(3);
      expect(get.output).toMatch(/support-answer@9\.9\.9 in staging does not verify: it may be forged/);
      expect(get.output).not.toMatch(/row was deleted/);
      const exported = await runCliInProcess(['export', '--env', 'staging', '-o', 'bundle.json'], { cwd: dir });
      expect(exported.code, exported.output).toBe(3);
      expect(exported.stderr).toMatch(/support-answer@9\.9\.9 in staging does not verify: it may be forged/);
      expect(existsSync(path.join(dir, 'bundle.json'))).toBe(false);

      setVersion(dir, '1.1.0');
      const restored = await warm.getActive(ID, 'staging');
      expect(restored).toMatchObject({ version: '1.1.0' });
      expect(restored!.stale).toBeUndefined();
    } finally {
      await warm.close();
    }
  });
});
