import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';

/**
 * A project that has recorded nothing yet (`init`, then `status`): its registry is at the default
 * path and was never created. Read-only commands show it empty, exit 0, and create no file. Where a
 * missing file more likely means a lost or misnamed registry they still refuse (exit 2, "no
 * registry at"): a CI job (an evicted cache), a registry.path set elsewhere, a folder holding other files.
 */

afterAll(() => cleanupTempDirs());

/** Outside a CI job: CI=false switches CI behaviour off whatever else the test process has set. */
const LOCAL = { env: { CI: 'false' } };
const registryFile = (dir: string) => path.join(dir, '.promptctl', 'registry.db');

describe('a new project, nothing recorded yet', () => {
  it('status lists the drafts with nothing deployed, history says how to record the first, and no registry file is made', async () => {
    const dir = makeProject();
    // lint writes .promptctl/cache/ (and its .gitignore): that is no sign of a lost registry.
    expect((await runCliInProcess(['lint'], { cwd: dir, ...LOCAL })).code).toBe(0);
    const status = await runCliInProcess(['status'], { cwd: dir, ...LOCAL });
    expect(status.code, status.output).toBe(0);
    expect(status.stdout).toMatch(/support-answer\s+production\s+-\s+-\s+never deployed/);
    expect(status.stdout).toMatch(/support-answer\s+1\.0\.0 draft \(file only\), 1\.1\.0 draft \(file only\)/);
    const history = await runCliInProcess(['history'], { cwd: dir, ...LOCAL });
    expect(history.code, history.output).toBe(0);
    expect(history.stdout).toBe('no deploys or rollbacks recorded yet\nnext: `promptctl eval <id>@<version>` tests a version, and `promptctl deploy <id>@<version> --env <env>` records the first deploy\n');
    const get = await runCliInProcess(['get', 'support-answer', '--env', 'production'], { cwd: dir, ...LOCAL });
    expect([get.code, get.stderr]).toEqual([2, expect.stringContaining('support-answer has no active version in production')]);
    // export hands a bundle to a deploy: a checkout that never restored its registry looks the same, and
    // an empty bundle would publish nothing, so it keeps the refusal.
    const exported = await runCliInProcess(['export', '--env', 'production'], { cwd: dir, ...LOCAL });
    expect([exported.code, exported.stdout, exported.stderr]).toEqual([2, '', expect.stringContaining('no registry at')]);
    const info = await runCliInProcess(['registry', 'info'], { cwd: dir, ...LOCAL });
    expect(info.stdout).toContain(`location        ${registryFile(dir)} (no file yet: nothing recorded; the first eval or deploy creates it)`);
    const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir, ...LOCAL });
    expect([verify.code, verify.stderr]).toEqual([2, expect.stringContaining('has no audit events yet: there is nothing to verify')]);
    expect(existsSync(registryFile(dir))).toBe(false);
  });

  it.each([
    ['registry.path set to the default as init writes it', (dir: string) => patchConfig(dir, (c: { registry?: { path: string } }) => void (c.registry = { path: '.promptctl/registry.db' }))],
    ['no registry: block (the default)', (dir: string) => patchConfig(dir, (c: { registry?: unknown }) => void delete c.registry)],
  ])('%s: status exit 0', async (_, configure) => {
    const dir = makeProject();
    configure(dir);
    const r = await runCliInProcess(['status'], { cwd: dir, ...LOCAL });
    expect(r.code, r.output).toBe(0);
    expect(existsSync(registryFile(dir))).toBe(false);
  });

  it.each([
    ['in a CI job (an evicted cache leaves no file either)', () => undefined, { CI: 'true' }, registryFile],
    ['beside another file in the registry folder (what a registry left)', (dir: string) => {
      mkdirSync(path.join(dir, '.promptctl'), { recursive: true });
      writeFileSync(`${registryFile(dir)}-wal`, '');
    }, { CI: 'false' }, registryFile],
    ['at a registry.path the config sets elsewhere (misspelt, or not restored)', (dir: string) => patchConfig(dir, (c: { registry?: { path: string } }) => void (c.registry = { path: 'state/registry.db' })), { CI: 'false' }, (dir: string) => path.join(dir, 'state', 'registry.db')],
  ])('%s: status and history still refuse, exit 2', async (_, prepare, env, file) => {
    const dir = makeProject();
    prepare(dir);
    for (const args of [['status'], ['history']]) {
      const r = await runCliInProcess(args, { cwd: dir, env });
      expect(r.code, r.output).toBe(2);
      expect(r.stderr).toContain(`no registry at ${file(dir)}`);
    }
  });
});
