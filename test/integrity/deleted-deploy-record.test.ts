import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegistry, UnverifiedRecordError } from '../../src/index.js';
import { runCliInProcess } from '../support/cli.js';
import { deployedInStagingTwice } from '../support/forge.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { projectRegistryPath, readChain, tamper } from '../support/registry-cli.js';

/**
 * An environment's deploy records deleted by hand, the chain head left alone. With no event left
 * for the environment there was nothing to check: get said "no active version … nothing was
 * deployed" (exit 2), rollback "no version has been deployed here yet" (exit 1), and the library's
 * getActive answered undefined. With an earlier deploy left, rollback said it was the only version
 * left (exit 1). Each now refuses (exit 3) naming the deletion, as get does when a later event is gone.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com', '--reason', 'r'];
const cli = (dir: string, args: string[]) => runCliInProcess(args, { cwd: dir });

/** #1, #2: the tested marks; #3, #4: staging; #5: development, whose only deploy is then deleted. */
async function onlyDeployDeleted(): Promise<string> {
  const dir = await deployedInStagingTwice(WHO);
  tamper(dir, (db) => db.prepare('DELETE FROM events WHERE seq = 5').run());
  return dir;
}

const deletion = /^why: 1 event of the 5 the chain head records is missing from the log: events were deleted$/m;

describe("an environment's only deploy record deleted (the newest event)", () => {
  it('get, export and rollback (and its dry run) refuse (exit 3) naming the deletion; nothing is written', async () => {
    const dir = await onlyDeployDeleted();
    const before = readChain(dir);
    const out = path.join(dir, 'bundle.json');
    for (const args of [
      ['get', ID, '--env', 'development'],
      ['export', '--env', 'development', '-o', out],
      ['rollback', ID, '--env', 'development', ...WHO, '--dry-run'],
      ['rollback', ID, '--env', 'development', ...WHO],
    ]) {
      const r = await cli(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.output}`).toBe(3);
      expect(r.stderr).toMatch(/^error: the registry holds no deploy record of (support-answer|any prompt) in development, and its audit log does not verify: the record may have been deleted$/m);
      expect(r.stderr).toMatch(deletion);
    }
    expect(existsSync(out)).toBe(false);
    expect(readChain(dir)).toEqual(before);
  });

  it("the library's getActive and exportEnv throw UnverifiedRecordError (exit 3), never undefined or an unknown environment", async () => {
    const dir = await onlyDeployDeleted();
    const reader = openRegistry({ path: projectRegistryPath(dir) });
    try {
      for (const read of [() => reader.getActive(ID, 'development'), () => reader.exportEnv('development')]) {
        const err = await read().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UnverifiedRecordError);
        expect(err).toMatchObject({ exitCode: 3, why: expect.stringMatching(/events were deleted$/) });
      }
    } finally {
      await reader.close();
    }
  });
});

describe("an environment's newest deploy record deleted, an earlier one left", () => {
  it('rollback refuses (exit 3) instead of "the only version left"', async () => {
    const dir = await deployedInStagingTwice(WHO);
    tamper(dir, (db) => db.prepare('DELETE FROM events WHERE seq = 4').run());
    const r = await cli(dir, ['rollback', ID, '--env', 'staging', ...WHO]);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/^why: event #4 is missing although the chain head records #5: events were deleted$/m);
  });
});

describe('a whole log with nothing deployed in the environment', () => {
  it('still says so: get exit 2, rollback exit 1, the library undefined', async () => {
    const dir = makeProject();
    expect((await cli(dir, ['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO])).code).toBe(0);
    expect((await cli(dir, ['get', ID, '--env', 'staging'])).stderr).toMatch(/^error: support-answer has no active version in staging$/m);
    const r = await cli(dir, ['rollback', ID, '--env', 'development', ...WHO]);
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(/nothing to roll back to/);
    const reader = openRegistry({ path: projectRegistryPath(dir), environments: ['development', 'staging'] });
    try {
      expect(await reader.getActive(ID, 'staging')).toBeUndefined();
      expect(await reader.exportEnv('staging')).toMatchObject({ prompts: {} });
    } finally {
      await reader.close();
    }
  });
});
