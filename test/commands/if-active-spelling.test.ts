import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/**
 * `--if-active v1.1.0` (a git tag's spelling) or ` 1.1.0` passed the version check (semver reads both
 * as 1.1.0) but never matched the recorded 1.1.0: the change was refused as "staging changed:
 * support-answer@1.1.0 is active there now, not support-answer@v1.1.0" with exit 1, which a script
 * takes for another release manager's change. It is bad usage (exit 2) naming the spelling to use.
 */

afterAll(() => cleanupTempDirs());

describe('--if-active written other than as the version is recorded', () => {
  it('is exit 2 naming the recorded spelling, for deploy, promote and rollback, dry runs included; the recorded spelling binds', async () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', UNGATED_CONFIG);
    const run = (...args: string[]) => runCliInProcess([...args, '--reason', 'r', '--actor', 'ci@example.com'], { cwd: dir });
    expect((await run('deploy', 'support-answer@1.0.0', '--env', 'staging')).code).toBe(0);
    expect((await run('deploy', 'support-answer@1.1.0', '--env', 'staging')).code).toBe(0);

    for (const spelt of ['v1.1.0', ' 1.1.0']) {
      for (const args of [
        ['rollback', 'support-answer', '--env', 'staging'],
        ['rollback', 'support-answer', '--env', 'staging', '--dry-run'],
        ['deploy', 'support-answer@1.0.0', '--env', 'staging'],
        ['promote', 'support-answer', '--from', 'staging', '--to', 'production'],
      ]) {
        const r = await run(...args, '--if-active', spelt);
        expect(r.code, `${args.join(' ')} --if-active "${spelt}": ${r.output}`).toBe(2);
        expect(r.stderr).toContain('invalid --if-active: must be the version as it is recorded, 1.1.0 (no "v", no spaces)');
        expect(r.stderr).not.toContain('changed');
      }
    }
    const bound = await run('rollback', 'support-answer', '--env', 'staging', '--if-active', '1.1.0');
    expect(bound.code, bound.output).toBe(0);
  });
});
