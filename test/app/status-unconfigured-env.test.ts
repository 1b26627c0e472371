import { describe, expect, it } from 'vitest';
import { deploy, history, status } from '../../src/app/index.js';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * An environment taken out of .promptrc.yaml while the registry still records deployments to it
 * keeps serving what was deployed there. `status` says so instead of dropping it without a word,
 * and the commands that only read the record still read it; the ones that change it refuse.
 */

const env = { PROMPTCTL_ACTOR: 'script@example.com' };
const ID = 'support-answer';

describe('an environment removed from the config', () => {
  it('status warns and names it; status --env, history --env, get and export still read it; deploy refuses it', async () => {
    const cwd = makeProject();
    expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development', reason: 'first' })).exitCode).toBe(0);
    expect((await status({ cwd, env })).unconfiguredEnvironments).toEqual([]);
    const config = readProjectFile(cwd, '.promptrc.yaml');
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/  - name: development\n    gates:\n      requires_tested: false\n/, ''));

    const all = await status({ cwd, env });
    expect(all.unconfiguredEnvironments).toEqual(['development']);
    expect(all.rows.map((r) => r.env)).not.toContain('development');
    const text = await runCliInProcess(['status'], { cwd, env });
    expect(text.code).toBe(0);
    expect(text.stderr).toContain(
      'warning: environment "development" is not in .promptrc.yaml, but the registry records deployments to it: its rows are left out above. It still serves what was last deployed there (`promptctl status --env development` and `history --env development` show it; `get` and `export` read it); add it back under environments to deploy or roll back there.',
    );
    expect(parseJsonOutput(await runCliInProcess(['status', '--json'], { cwd, env })).unconfiguredEnvironments).toEqual(['development']);

    const one = await status({ cwd, env, environment: 'development' });
    expect(one.rows).toMatchObject([{ promptId: ID, env: 'development', version: '1.0.0', deployedBy: 'script@example.com' }]);
    expect(one.rows[0]).not.toHaveProperty('pendingModel');
    expect((await history({ cwd, env, environment: 'development' })).events.map((e) => `${e.action} ${e.version}`)).toEqual(['deploy 1.0.0']);
    // What applications read: it still serves.
    expect(JSON.parse((await runCliInProcess(['get', ID, '--env', 'development', '--json'], { cwd, env })).stdout)).toMatchObject({ version: '1.0.0' });
    expect((await runCliInProcess(['export', '--env', 'development'], { cwd, env })).code).toBe(0);

    const refused = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'development', '--reason', 'again'], { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error: "development" is not an environment');
    // A name neither the config nor the registry knows is still a typo.
    const typo = await runCliInProcess(['history', '--env', 'stagign'], { cwd, env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/"stagign" is not an environment[\s\S]*did you mean "staging"/);
  });
});
