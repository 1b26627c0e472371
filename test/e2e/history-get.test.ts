import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeProject, removeProjectFile, runCli, type RunResult } from '../support/cli.js';
import { markTested } from '../support/registry-cli.js';

/**
 * `history`, `status`, `get` and `export` against names that do not exist, and what the bundles
 * carry: the built CLI in temp copies of examples/quickstart, no server (versions are marked tested
 * through the registry's internal API).
 */

const ID = 'support-answer';
const WHY = ['--reason', 'e2e release', '--actor', 'release@example.com'];

afterAll(() => cleanupTempDirs());

function expectExit(code: number, dir: string, ...args: string[]): RunResult {
  const r = runCli(args, { cwd: dir });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

describe('unknown names', () => {
  it('history of a prompt neither the files nor the registry know: exit 2 naming it, with the hint to list prompts', () => {
    const dir = makeProject();
    const r = expectExit(2, dir, 'history', 'nope');
    expect(r.stderr).toMatch(/prompt "nope" does not exist/);
    expect(r.stderr).toMatch(/promptctl list/);
    expect(r.stdout).not.toMatch(/no deploys or rollbacks/);
    expect(JSON.parse(expectExit(2, dir, 'history', 'nope', '--json').stdout)).toMatchObject({ exitCode: 2 });
    // A known prompt without events is an empty history, said for that prompt.
    expect(expectExit(0, dir, 'history', ID).stdout).toMatch(/^no deploys or rollbacks of support-answer recorded yet$/m);
    expect(expectExit(0, dir, 'history', ID, '--env', 'staging').stdout).toMatch(/^no deploys or rollbacks of support-answer in staging recorded yet$/m);
    expect(expectExit(0, dir, 'history').stdout).toMatch(/^no deploys or rollbacks recorded yet$/m);
  });

  it('history of a prompt whose files were deleted still shows its events (the registry knows it)', () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHY);
    removeProjectFile(dir, `prompts/${ID}`);
    expect(expectExit(0, dir, 'history', ID).stdout).toMatch(/deploy +support-answer@1\.0\.0 in staging/);
  });

  it('--env naming no environment: exit 2 for history, status, get and export', () => {
    const dir = makeProject();
    for (const args of [['history', '--env', 'nope'], ['history', ID, '--env', 'nope'], ['status', '--env', 'nope'], ['get', ID, '--env', 'nope'], ['export', '--env', 'nope']]) {
      expect(expectExit(2, dir, ...args).stderr).toMatch(/"nope" is not an environment/);
    }
    expect(expectExit(2, dir, 'get', 'nope', '--env', 'production').stderr).toMatch(/nope has no active version in production/);
  });
});
