import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/server.js';
import type { Simulator } from '../../src/sim/types.js';
import { runCliInProcess } from '../support/cli.js';
import { branchOf, cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The hostile-pull-request hunt: a branch that pointed `server.base_url` at a server it controls had
 * its new version answered there (answers cached and a tested mark earned in the shared registry),
 * then reverted the config so the final diff showed only the version; one that pointed
 * `registry.path` at an empty file passed with no regression check. ci now refuses a change of
 * server, registry or keys together with anything it evaluates, before opening either, and on its
 * own lints it and opens neither (core/ci/trust-settings.ts).
 */

const ID = 'support-answer';
const sim = simulatorForFile();
let other: Simulator;
/** The repository on main with the example project evaluated: made once for the file, each test works on a copy (the git-ignored registry travels with it). */
let evaluated: string;
beforeAll(async () => {
  other = await startSimulator({ port: 0 });
  evaluated = makeSimProject(sim.url, {}, 'promptctl-ci-trust-');
  relaxLatencyGate(evaluated);
  initRepo(evaluated, 'base');
  expect((await cli(evaluated, 'eval', `${ID}@1.1.0`, '--suite', 'golden')).code).toBe(0);
});
afterAll(async () => {
  await other.close();
});

/** A copy of the repository on main with the example project evaluated, then a branch with a new version 1.2.0. */
async function branch(withVersion: boolean): Promise<string> {
  const dir = branchOf(evaluated, 'pr');
  if (withVersion) writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0').replace(/^description: .*$/m, 'description: shorter'));
  return dir;
}

/** ci on the branch refuses its change of server.base_url (exit 2), and the other server is asked nothing. */
async function expectServerChangeRefused(dir: string): Promise<void> {
  other.resetStats();
  const r = await cli(dir, 'ci', '--base', 'main');
  expect(r.code, r.output).toBe(2);
  expect(r.output).toMatch(/server\.base_url changes \(/);
  expect(other.stats().chatCompletions).toBe(0);
}

const runs = (dir: string) => withRegistry(dir, (db) => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n);
const edit = (dir: string, from: string | RegExp, to: string) => writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace(from, to));

describe('ci and the server, registry and keys a pull request names', () => {
  it.for([
    { field: 'server.base_url', change: (dir: string) => edit(dir, sim.url, other.url) },
    { field: 'server.api_key_env', change: (dir: string) => edit(dir, /api_key_env: \w+/, 'api_key_env: GITHUB_TOKEN') },
    { field: 'registry.path', change: (dir: string) => edit(dir, /^registry:[\s\S]*?(?=^\S)/m, 'registry:\n  path: .promptctl/empty.db\n') },
    { field: 'signing', change: (dir: string) => edit(dir, /$(?![\s\S])/, 'signing:\n  evaluator: ["ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]\n') },
  ])('$field changed with a new version: exit 2 naming the field and its line, nothing sent, nothing recorded', async ({ field, change }) => {
    const dir = await branch(true);
    change(dir);
    commitAll(dir, 'a new version, and the config');
    const before = runs(dir);
    other.resetStats();
    sim.resetStats();
    const r = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md');
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(new RegExp(`\\.promptrc\\.yaml:\\d+:\\d+ error ${field.replace('.', '\\.')}\\b.*${field.replace('.', '\\.')} changes \\(.* -> .*\\) in a pull request that ci must evaluate: ci sends requests and records results only through the server, registry and keys main configures`));
    expect(sim.stats().chatCompletions + other.stats().chatCompletions).toBe(0);
    expect(Object.values(other.stats().requests).reduce((a, b) => a + b, 0)).toBe(0);
    expect(runs(dir)).toBe(before);
    expect(existsSync(path.join(dir, '.promptctl', 'empty.db'))).toBe(false);
  });

  it('a config turned into a link to a file of the branch is compared with the base\'s config under its own name: refused', async () => {
    const dir = await branch(true);
    const text = readProjectFile(dir, '.promptrc.yaml').replace(sim.url, other.url);
    writeProjectFile(dir, 'conf/rc.yaml', text);
    rmSync(path.join(dir, '.promptrc.yaml'));
    symlinkSync('conf/rc.yaml', path.join(dir, '.promptrc.yaml'));
    commitAll(dir, 'the config, moved behind a link');
    await expectServerChangeRefused(dir);
  });

  it('a config reached through a folder link on the base, edited behind the link: refused', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-ci-trust-');
    relaxLatencyGate(dir);
    writeProjectFile(dir, 'conf/rc.yaml', readProjectFile(dir, '.promptrc.yaml'));
    rmSync(path.join(dir, '.promptrc.yaml'));
    symlinkSync('conf', path.join(dir, 'cfg'));
    symlinkSync('cfg/rc.yaml', path.join(dir, '.promptrc.yaml'));
    initRepo(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'pr');
    writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0'));
    writeProjectFile(dir, 'conf/rc.yaml', readProjectFile(dir, 'conf/rc.yaml').replace(sim.url, other.url));
    commitAll(dir, 'a version, and the server behind the links');
    await expectServerChangeRefused(dir);
  });

  it('an error before the trust check opens no registry the branch names (no audit head read from it)', async () => {
    const dir = await branch(false);
    const seen: string[] = [];
    const listener = createServer((socket) => {
      seen.push('connection');
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const port = (listener.address() as AddressInfo).port;
      edit(dir, /^registry:[\s\S]*?(?=^\S)/m, `registry:\n  url: postgres://ci@127.0.0.1:${port}/db?sslmode=disable\n  password_env: MY_SECRET\n`);
      commitAll(dir, 'another registry');
      const r = await runCliInProcess(['ci', '--base', 'no-such-branch', '--summary', 's.md'], { cwd: dir, env: { MY_SECRET: 'hunter2' } });
      expect(r.code, r.output).toBe(2);
      expect(r.output).toMatch(/no-such-branch/);
      expect(seen).toEqual([]);
    } finally {
      listener.close();
    }
  });

  it('server.base_url changed on its own: linted, nothing evaluated, neither server nor registry opened; the summary says so', async () => {
    const dir = await branch(false);
    edit(dir, sim.url, other.url);
    edit(dir, /^registry:[\s\S]*?(?=^\S)/m, 'registry:\n  path: .promptctl/moved.db\n');
    commitAll(dir, 'move the server and the registry');
    other.resetStats();
    const r = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md');
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('note: This pull request changes server.base_url, registry.path of .promptrc.yaml: ci opened neither the server nor the registry');
    expect(readProjectFile(dir, 's.md')).toContain('ci opened neither the server nor the registry');
    expect(r.stdout).not.toMatch(/evaluate /);
    expect(Object.values(other.stats().requests).reduce((a, b) => a + b, 0)).toBe(0);
    expect(existsSync(path.join(dir, '.promptctl', 'moved.db'))).toBe(false);
  });

  it('server.base_url changed with a version deleted: refused as with a new one (the deletion is checked against the registry)', async () => {
    const dir = await branch(false);
    rmSync(path.join(dir, 'prompts', ID, '1.0.0.yaml'));
    edit(dir, sim.url, other.url);
    commitAll(dir, 'delete a version, and move the server');
    other.resetStats();
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(/\.promptrc\.yaml:\d+:\d+ error server\.base_url\b.*in a pull request that ci must evaluate/);
    expect(Object.values(other.stats().requests).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('a gate loosened with a new version is evaluated as written, and the text and summary list the change for the reviewer', async () => {
    const dir = await branch(true);
    edit(dir, 'max_pass_rate_drop: 0.05', 'max_pass_rate_drop: 0.5');
    commitAll(dir, 'a new version, and a looser regression limit');
    const r = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md');
    expect(r.stdout).toContain(`evaluate ${ID}@1.2.0 (new version)`);
    expect(r.stdout).toMatch(/^ {2}config environments\.\w+\.gates\.max_pass_rate_drop: 0\.05 -> 0\.5$/m);
    expect(readProjectFile(dir, 's.md')).toMatch(/### Changed in \.promptrc\.yaml\n\n- `environments\.\w+\.gates\.max_pass_rate_drop`: `0\.05` → `0\.5`\n/);
  });

  it.for([
    {
      name: 'an environment added after production: the defaults that move with the order, and the baseline',
      change: (dir: string) => edit(dir, /$(?![\s\S])/, '  - name: canary\n'),
      listed: [
        ['default baseline environment', 'production', 'canary'],
        ['environments.production.gates.on_inconclusive', 'block', 'warn'],
      ],
    },
    {
      // The word `config --effective` uses for a gate that is off, in the text and the summary alike.
      name: 'a gate switched off',
      change: (dir: string) => edit(dir, 'min_adversarial_pass_rate: 0.995', 'min_adversarial_pass_rate: null'),
      listed: [['environments.production.gates.min_adversarial_pass_rate', '0.995', 'off']],
    },
  ])('$name: ci lists it in its text and summary', async ({ change, listed }) => {
    const dir = await branch(false);
    change(dir);
    commitAll(dir, 'the config');
    const r = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md');
    expect(r.code, r.output).toBe(0);
    const summary = readProjectFile(dir, 's.md');
    for (const [field, from, to] of listed) {
      expect(r.stdout).toContain(`\n  config ${field}: ${from} -> ${to}\n`);
      expect(summary).toContain(`\n- \`${field}\`: \`${from}\` → \`${to}\`\n`);
    }
  });

  it('the same branch with the config put back evaluates the version through the base\'s server', async () => {
    const dir = await branch(true);
    edit(dir, sim.url, other.url);
    commitAll(dir, 'point at another server');
    expect((await cli(dir, 'ci', '--base', 'main')).code).toBe(2);
    git(dir, 'checkout', '-q', 'main', '--', '.promptrc.yaml');
    commitAll(dir, 'put the server back');
    sim.resetStats();
    other.resetStats();
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.stdout).toContain(`evaluate ${ID}@1.2.0 (new version)`);
    expect(sim.stats().chatCompletions).toBeGreaterThan(0);
    expect(other.stats().chatCompletions).toBe(0);
  });
});
