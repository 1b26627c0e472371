import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { assertBuilt, REPO_ROOT, runCli, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested, projectRegistryPath } from '../support/registry-cli.js';

/**
 * The library entry (`dist/index.js`, what `import 'promptctl'` gives an application): it reads the
 * active version that the CLI deployed. What it loads is checked by library-load.test.ts.
 */

const ID = 'support-answer';
const INDEX = path.join(REPO_ROOT, 'dist', 'index.js');

let dir: string;

function ok(...args: string[]) {
  const r = runCli(args, { cwd: dir });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

// The deploys the library reads are set-up, run in this process (the same commands, without a
// Node start-up each); the rollback it must see while its reader stays open is another process.
beforeAll(async () => {
  assertBuilt();
  dir = makeProject();
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  for (const args of [
    ['deploy', `${ID}@1.0.0`, '--env', 'staging'],
    ['deploy', `${ID}@1.0.0`, '--env', 'production', '--actor', 'lib@example.com', '--reason', 'library test'],
    ['deploy', `${ID}@1.1.0`, '--env', 'staging'],
  ]) {
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  }
});
afterAll(() => cleanupTempDirs());

describe('openRegistry({ path }).getActive(id, env)', () => {
  it('returns the version the CLI deployed, with its registered content, and follows later deploys', async () => {
    const { openRegistry } = (await import(pathToFileURL(INDEX).href)) as typeof import('../../src/index.js');
    const files = loadProject(dir).prompts;
    const file = (v: string) => files.find((p) => p.version === v)!;
    const reader = openRegistry({ path: projectRegistryPath(dir) });
    try {
      const staging = await reader.getActive(ID, 'staging');
      expect(staging).toMatchObject({ id: ID, version: '1.1.0', env: 'staging', contentHash: file('1.1.0').hash });
      expect(staging!.content).toEqual(JSON.parse(file('1.1.0').canonical));
      expect(staging!.content.messages[0]!.role).toBe('system');
      expect(await reader.getActive(ID, 'production')).toMatchObject({ version: '1.0.0', contentHash: file('1.0.0').hash });
      // development is in the project's config but nothing was ever deployed there: the library
      // has no config, so it is unknown unless the application declares it.
      await expect(reader.getActive(ID, 'development')).rejects.toMatchObject({ exitCode: 2, message: 'unknown environment "development"', known: ['production', 'staging'] });
      const declared = openRegistry({ path: projectRegistryPath(dir), environments: ['development', 'staging', 'production'] });
      expect(await declared.getActive(ID, 'development')).toBeUndefined();
      await declared.close();
      await expect(reader.getActive('no-such-prompt', 'staging')).rejects.toMatchObject({ name: 'UnknownPromptError', exitCode: 2 });
      expect(Object.keys((await reader.exportEnv('staging')).prompts)).toEqual([ID]);

      // An application keeps its reader open; a rollback is visible on the next call, no redeploy.
      ok('rollback', ID, '--env', 'staging', '--reason', 'library test');
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0', contentHash: file('1.0.0').hash });
    } finally {
      await reader.close();
    }
  });
});
