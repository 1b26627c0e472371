import { afterEach, describe, expect, it, vi } from 'vitest';
import { branchOf, cli, ciRepoForFile, ID } from '../support/ci-repo.js';
import { readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A checkout git refuses to read (another user owns it: "detected dubious ownership", as after
 * `chown` in a container job or a volume mounted from the host) is exit 2 in every command that
 * holds a version to what the default branch released, naming git's reason and `safe.directory`.
 * Before, eval, deploy, show and status went on as if the project were outside git (an edited
 * released version was registered and could be deployed), and ci said git found no repository.
 * git's own test switch GIT_TEST_ASSUME_DIFFERENT_OWNER makes it refuse as it does for another owner.
 */

const repo = ciRepoForFile();
afterEach(() => void vi.unstubAllEnvs());

const REFUSED = /^error: git refuses to read the repository at .+: another user owns it$/m;

describe('a checkout git refuses to read', () => {
  it('eval, deploy, show, status and ci stop with git\'s reason and the safe.directory fix; trusted, eval refuses the edit as before', async () => {
    const dir = branchOf(repo.base, 'refused');
    // 1.0.0 is on main (released) and evaluated; edit it.
    const file = `prompts/${ID}/1.0.0.yaml`;
    writeProjectFile(dir, file, readProjectFile(dir, file).replace(/^description: .*$/m, 'description: edited after release'));
    vi.stubEnv('GIT_TEST_ASSUME_DIFFERENT_OWNER', '1');
    for (const args of [['eval', `${ID}@1.0.0`], ['deploy', `${ID}@1.0.0`, '--env', 'staging', '--dry-run'], ['show', `${ID}@1.0.0`], ['status'], ['ci', '--base', 'main']]) {
      const r = await cli(dir, ...args);
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(2);
      expect(r.stderr).toMatch(REFUSED);
      expect(r.stderr).toContain('detected dubious ownership');
      expect(r.stderr).toMatch(/^hint: .*git config --global --add safe\.directory \S+/m);
      expect(r.output).not.toMatch(/found none|All \d+ suite runs passed|\\n/);
    }
    // Trusted through the environment (as a container job sets it), the edit is refused as without the refusal.
    vi.stubEnv('GIT_CONFIG_COUNT', '1');
    vi.stubEnv('GIT_CONFIG_KEY_0', 'safe.directory');
    vi.stubEnv('GIT_CONFIG_VALUE_0', '*');
    const trusted = await cli(dir, 'eval', `${ID}@1.0.0`);
    expect(trusted.code, trusted.output).toBe(2);
    expect(trusted.stderr).toContain(`${ID}@1.0.0 was edited after it was released (it is on main)`);
  });
});
