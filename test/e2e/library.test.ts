import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { assertBuilt, REPO_ROOT, runCli, runCliInProcess, runNode } from '../support/cli.js';
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

/**
 * A registry URL with sslmode=require, which pg takes for verify-full: neither the library nor the
 * CLI prints pg's "SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated
 * as aliases for 'verify-full'" on stderr (a process warning, given once per process: hence a
 * process each). Before, every application reading such a registry had it in its output. Nothing
 * listens on port 1: the read fails as unavailable (exit 3) after pg made its TLS settings.
 */
describe('a registry URL with sslmode=require', () => {
  const url = 'postgres://app@127.0.0.1:1/prompts?sslmode=require';

  it('the library reader gives no process warning', () => {
    const script = path.join(dir, 'sslmode-require.mjs');
    writeFileSync(
      script,
      [
        `import { openRegistry } from ${JSON.stringify(pathToFileURL(INDEX).href)};`,
        "process.on('warning', (w) => console.log(`WARNING ${w.message.split('\\n')[0]}`));",
        `const reader = openRegistry({ url: ${JSON.stringify(url)}, password: 'x' });`,
        "try { await reader.getActive('support-answer', 'production'); } catch (e) { console.log(`exit ${e.exitCode}`); } finally { await reader.close(); }",
      ].join('\n'),
    );
    const r = runNode(script, [], { cwd: dir });
    expect(r.stdout.trim()).toBe('exit 3');
    expect(r.stderr).toBe('');
  });

  it('the CLI prints its error, without the warning', () => {
    const r = runCli(['status'], { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url, PGPASSWORD: 'x' } });
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/Warning|SECURITY/);
  });
});
