import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { cleanupTempDirs, makeProject, removeProjectFile } from '../support/project.js';
import { markTested, patchConfig, withProjectRegistry } from '../support/registry-cli.js';

/**
 * `history`, `status`, `get` and `export` against names that do not exist, and what the bundles
 * carry: the CLI (in-process) in temp copies of examples/quickstart, no server (versions are marked tested
 * through the registry's internal API).
 */

const ID = 'support-answer';
const WHY = ['--reason', 'e2e release', '--actor', 'release@example.com'];

afterAll(() => cleanupTempDirs());

async function expectExit(code: number, dir: string, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

describe('unknown names', () => {
  it('history of a prompt neither the files nor the registry know: exit 2 naming it, with the hint to list prompts', async () => {
    const dir = makeProject();
    withProjectRegistry(dir, () => undefined); // a registry with nothing recorded yet
    const r = await expectExit(2, dir, 'history', 'nope');
    expect(r.stderr).toMatch(/prompt "nope" does not exist/);
    expect(r.stderr).toMatch(/promptctl list/);
    expect(r.stdout).not.toMatch(/no deploys or rollbacks/);
    expect(JSON.parse((await expectExit(2, dir, 'history', 'nope', '--json')).stdout)).toMatchObject({ exitCode: 2 });
    // A known prompt without events is an empty history, said for that prompt.
    expect((await expectExit(0, dir, 'history', ID)).stdout).toMatch(/^no deploys or rollbacks of support-answer recorded yet$/m);
    expect((await expectExit(0, dir, 'history', ID, '--env', 'staging')).stdout).toMatch(/^no deploys or rollbacks of support-answer in staging recorded yet$/m);
    expect((await expectExit(0, dir, 'history')).stdout).toMatch(/^no deploys or rollbacks recorded yet$/m);
  });

  it('history of a prompt whose files were deleted still shows its events (the registry knows it)', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHY);
    removeProjectFile(dir, `prompts/${ID}`);
    expect((await expectExit(0, dir, 'history', ID)).stdout).toMatch(/deploy +support-answer@1\.0\.0 in staging/);
  });

  it('--env naming no environment: exit 2 for history, status, get and export', async () => {
    const dir = makeProject();
    for (const args of [['history', '--env', 'nope'], ['history', ID, '--env', 'nope'], ['status', '--env', 'nope'], ['get', ID, '--env', 'nope'], ['export', '--env', 'nope']]) {
      expect((await expectExit(2, dir, ...args)).stderr).toMatch(/"nope" is not an environment/);
    }
    withProjectRegistry(dir, () => undefined); // a registry with nothing recorded yet
    expect((await expectExit(2, dir, 'get', 'nope', '--env', 'production')).stderr).toMatch(/nope has no active version in production/);
  });

  it('no registry file at registry.path (misspelt, or not restored): status, history, get and export say so, exit 2, never "never deployed"', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHY);
    patchConfig(dir, (c: { registry?: { path: string } }) => {
      c.registry = { path: '.promptctl/registy.db' };
    });
    const missing = path.join(dir, '.promptctl', 'registy.db');
    for (const args of [['status'], ['history'], ['history', ID], ['get', ID, '--env', 'staging'], ['export', '--env', 'staging']]) {
      const r = await expectExit(2, dir, ...args);
      expect(r.stderr).toContain(`error: no registry at ${missing}`);
      expect(r.stderr).toMatch(/\.promptrc\.yaml:\d+:\d+ registry\.path:/);
      expect(r.stderr).toMatch(/^hint: if the path is misspelt, fix registry\.path/m);
      expect(r.stdout).not.toMatch(/never deployed|no deploys/);
    }
    expect(existsSync(missing)).toBe(false); // a reader creates nothing
  });
});

describe('get and export carry the effective request settings', () => {
  it('effective = server model + config defaults + the version\'s own settings; content stays the registered content', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.1.0`);
    await expectExit(0, dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHY);
    const registered = withProjectRegistry(dir, (r) => r.getVersion(ID, '1.1.0'))!;
    // 1.1.0 sets temperature 0 and max_tokens 200; the config's defaults set 0 and 256.
    expect(JSON.parse(registered.content).model).toEqual({ temperature: 0, max_tokens: 200 });

    const got = JSON.parse((await expectExit(0, dir, 'get', ID, '--env', 'staging', '--json')).stdout);
    expect(got.effective).toEqual({ model: 'sim-model', temperature: 0, max_tokens: 200 });
    expect(got.content).toEqual(JSON.parse(registered.content));
    expect((await expectExit(0, dir, 'get', ID, '--env', 'staging')).stdout).toMatch(/^model sim-model, temperature 0, max_tokens 200$/m);

    // Issue 15: the deploy recorded its settings, so editing the config changes nothing served
    // until the next gated deploy; the version's own settings still win over the defaults then.
    patchConfig(dir, (c) => {
      c.server.model = 'served-model';
      c.defaults = { temperature: 0.7, max_tokens: 512, top_p: 0.9, seed: 7 };
    });
    const effective = { model: 'sim-model', temperature: 0, max_tokens: 200 };
    expect(JSON.parse((await expectExit(0, dir, 'get', ID, '--env', 'staging', '--json')).stdout).effective).toEqual(effective);
    await expectExit(0, dir, 'export', '--env', 'staging', '-o', 'bundle.json');
    const bundle = JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8'));
    expect(bundle.prompts[ID].effective).toEqual(effective);
    expect(bundle.prompts[ID].content).toEqual(JSON.parse(registered.content));
    expect(bundle.prompts[ID].contentHash).toBe(registered.contentHash);
  });
});
