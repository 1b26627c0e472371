import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import { misplacedEventProblem } from '../../src/core/signing.js';
import { runCliInProcess } from '../support/cli.js';
import { appendForged, deployedInStagingTwice } from '../support/forge.js';
import { projectRegistryPath } from '../support/registry-cli.js';

/**
 * A mark written under an environment: hash, chain and head made to match (and, in a signing
 * project, signed with the evaluator's key alone, which signs marks). The newest event of an
 * environment was read as what it runs, so `get`, `status` and the library served the version it
 * named, and `audit verify` said the log was intact. Only deploy, rollback and override events
 * change an environment: such a row is now a break in verify, and the reads refuse it (exit 3).
 */

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

describe('an event recorded where its action does not belong', () => {
  it('a tested event under an environment: verify names it; get, status and the library refuse to serve it', async () => {
    const dir = await deployedInStagingTwice(WHO);
    // staging runs 1.1.0; the forged mark names 1.0.0 under staging.
    appendForged(dir, { env: 'staging', version: '1.0.0', previous_version: null, action: 'tested', actor: 'ci@example.com', reason: null, detail: null, at: new Date().toISOString() });

    const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(verify.code, verify.output).toBe(1);
    expect(verify.output).toMatch(/event 6 is a tested event recorded under environment staging: only deploy, rollback and override events change an environment/);

    for (const args of [['get', ID, '--env', 'staging'], ['status']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(3);
      expect(r.stderr).toContain(`error: the registry cannot say what ${ID} runs in staging: event 6 is a tested event recorded under environment staging`);
      expect(r.stdout).not.toContain('1.0.0');
    }
    const reader = openRegistry({ path: projectRegistryPath(dir) });
    try {
      await expect(reader.getActive(ID, 'staging')).rejects.toMatchObject({ exitCode: 3 });
      // Another environment is read as before.
      expect((await reader.getActive(ID, 'development'))?.version).toBe('1.0.0');
    } finally {
      await reader.close();
    }
  });

  it('a deploy under no environment: verify names it', async () => {
    const dir = await deployedInStagingTwice(WHO);
    appendForged(dir, { env: '', action: 'deploy', at: new Date().toISOString() });
    const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(verify.code, verify.output).toBe(1);
    expect(verify.output).toContain('event 6 is a deploy event recorded under no environment');
  });
});

describe('misplacedEventProblem', () => {
  it.each([
    [{ seq: 1, action: 'tested', env: 'production' }, true],
    [{ seq: 1, action: 'supersede', env: 'staging' }, true],
    [{ seq: 1, action: 'deploy', env: '' }, true],
    [{ seq: 1, action: 'deploy', env: 'production' }, false],
    [{ seq: 1, action: 'untested', env: '' }, false],
    // An action this release does not know (a newer promptctl's, on a shared registry) is judged by neither list.
    [{ seq: 1, action: 'freeze', env: 'production' }, false],
    [{ seq: 1, action: 'freeze', env: '' }, false],
  ])('%j: misplaced %s', (e, misplaced) => {
    expect(misplacedEventProblem(e) !== undefined).toBe(misplaced);
  });
});
