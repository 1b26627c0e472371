import { describe, expect, it } from 'vitest';
import { ACTOR, branchOf, cliWith, commitAll, git, ID, ciRepoForFile, newVersion } from '../support/ci-repo.js';
import { postgresAvailable, startPostgres } from '../support/postgres.js';
import { writeProjectFile } from '../support/project.js';

/**
 * A pull request adds a suite (it passes) and `ci` runs it on a registry the base branch shares (a
 * team registry, or a developer's own switching branches): the deployed version gets a run of it
 * and a tested mark naming it. Back on the base branch, which never had the file, the suite is not
 * "gone": status keeps the version tested, deploy passes, and another pull request's ci names no
 * missing suite. Before, all three called it deleted (suite-missing, not overridable) and asked to
 * restore it from a commit that never was. A suite deleted by a commit of this branch still counts.
 */

const repo = ciRepoForFile();
const EXTRA = `evalsets/${ID}/extra.yaml`;
const SUITE = `prompt: ${ID}\nversions: ">=1.0.0"\nkind: golden\nthreshold: 0.5\ncases:\n  - id: refund\n    vars: { question: "How long do I have to ask for a refund?" }\n    expect:\n      - icontains: "30 days"\n`;

const pgOk = postgresAvailable();
const registries: Array<{ name: string; env: (dir: string) => Promise<Record<string, string>> }> = [
  { name: 'SQLite', env: async () => ({}) },
  ...(pgOk
    ? [
        {
          name: 'PostgreSQL',
          // The base's registry pushed to a team registry of its own, as examples/ci/github-actions-team.yml shares one.
          env: async (dir: string) => {
            const cluster = await startPostgres();
            const env = { PROMPTCTL_REGISTRY_URL: cluster.url(await cluster.createDatabase(), { withPassword: true }) };
            for (const args of [['registry', 'migrate'], ['registry', 'push']]) {
              const r = await cliWith(dir, env, ...args);
              expect(r.code, r.output).toBe(0);
            }
            return env;
          },
        },
      ]
    : []),
];

interface StatusRow {
  promptId: string;
  env: string;
  tested: boolean;
  goneSuites?: Array<{ suite: string }>;
}

describe.each(registries)('a pull request suite never on the base branch, on $name', ({ env: registryEnv }) => {
  it('is not gone on the base branch (status, deploy, another pull request), and is once this branch deletes it', async () => {
    const dir = branchOf(repo.base, 'add-suite');
    const env = await registryEnv(dir);
    const run = async (code: number, ...args: string[]) => {
      const r = await cliWith(dir, env, ...args);
      expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
      return r;
    };
    const stagingRow = async () => (JSON.parse((await run(0, 'status', '--json')).stdout) as { rows: StatusRow[] }).rows.find((r) => r.promptId === ID && r.env === 'staging')!;
    const ci = (code: number) => run(code, 'ci', '--base', 'main', '--junit', '.promptctl/j.xml', '--summary', '.promptctl/s.md');

    writeProjectFile(dir, EXTRA, SUITE);
    commitAll(dir, 'add suite extra');
    await ci(0);

    // The base branch, where extra.yaml never was.
    git(dir, 'checkout', '-q', 'main');
    expect(await stagingRow()).toMatchObject({ tested: true });
    expect(await stagingRow()).not.toHaveProperty('goneSuites');
    const status = await run(0, 'status');
    expect(status.output).not.toContain("'extra'");
    const deploy = await run(0, 'deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run', '--actor', ACTOR);
    expect(deploy.output).not.toContain('suite-missing');

    // Another pull request from the base, adding a version: no suite of the first is missing.
    git(dir, 'checkout', '-q', '-b', 'new-version', 'main');
    await newVersion(dir, 'A second pull request.');
    commitAll(dir, 'add 1.2.0');
    const second = await ci(0);
    expect(second.output).not.toContain("suite 'extra' is missing");

    // The first branch deleting its suite in a commit: gone there, as before.
    git(dir, 'checkout', '-q', 'add-suite');
    git(dir, 'rm', '-q', EXTRA);
    commitAll(dir, 'drop suite extra');
    expect(await stagingRow()).toMatchObject({ tested: false, goneSuites: [{ suite: 'extra' }] });
    const refused = await run(1, 'deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run', '--actor', ACTOR);
    expect(refused.output).toContain(`golden suite 'extra' is missing: ${EXTRA} is not in the project`);
  });
});
