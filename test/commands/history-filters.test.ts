import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/** `history --since` and `--action`: a release manager's questions ("what was rolled back this week?") without reading the whole log. */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const run = (dir: string, ...args: string[]) => runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'rm@example.com' } });
const actions = async (dir: string, ...args: string[]) => {
  const r = await run(dir, 'history', '--json', ...args);
  expect(r.code, r.output).toBe(0);
  return (JSON.parse(r.stdout) as { events: Array<{ action: string; version: string }> }).events.map((e) => `${e.action} ${e.version}`);
};

describe('history --since / --action', () => {
  it('filter by kind of change and by time, with --limit after them; a bad value is exit 2 saying what to write', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    for (const args of [['deploy', `${ID}@1.0.0`], ['deploy', `${ID}@1.1.0`], ['rollback', ID]]) expect((await run(dir, ...args, '--env', 'staging')).code).toBe(0);

    expect(await actions(dir)).toEqual(['deploy 1.0.0', 'deploy 1.1.0', 'rollback 1.0.0']);
    expect(await actions(dir, '--action', 'rollback')).toEqual(['rollback 1.0.0']);
    expect(await actions(dir, '--action', 'deploy', 'override', '--limit', '1')).toEqual(['deploy 1.1.0']);
    expect(await actions(dir, ID, '--since', '1d')).toHaveLength(3);
    expect(await actions(dir, '--since', '2999-01-01')).toEqual([]);

    const since = await run(dir, 'history', '--since', 'last week');
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since "last week" is not a time[\s\S]*an age \(7d, 12h\), a date \(2026-11-01, midnight UTC\)/);
    // A day that does not exist is refused with a time and zone too, not rolled over into March.
    const day = await run(dir, 'history', '--since', '2026-02-30T09:00:00Z');
    expect(day.code).toBe(2);
    expect(day.stderr).toMatch(/--since "2026-02-30T09:00:00Z" is not a time/);
    const far = await run(dir, 'history', '--since', '1000000000d');
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/--since "1000000000d" is too far back[\s\S]*an age has at most 6 digits \(999999d is over 2,700 years\): write a shorter one, or a date/);
    const action = await run(dir, 'history', '--action', 'deploys');
    expect(action.code).toBe(2);
    expect(action.stderr).toMatch(/deploy.*rollback.*override/);
    expect(action.stderr).toContain('error: invalid --action "deploys": must be one of "deploy", "rollback", "override"');
    expect(action.stderr).toContain('hint: see `promptctl history --help`.');
    // The prompt id after the variadic flag is read as an action: the error names it and says where it goes.
    const swallowed = await run(dir, 'history', '--action', 'rollback', ID);
    expect(swallowed.code).toBe(2);
    expect(swallowed.stderr).toContain(`error: invalid --action "${ID}": must be one of "deploy", "rollback", "override"`);
    expect(swallowed.stderr).toContain(`hint: --action takes every word after it, so "${ID}" was read as one; if it is the <id>, put it before the flag: promptctl history ${ID} --action rollback`);
    expect(await actions(dir, ID, '--action', 'rollback')).toEqual(['rollback 1.0.0']);
  });

  it('when the filters leave nothing, says so and how many recorded events they left out, not "recorded yet"', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    for (const v of ['1.0.0', '1.1.0']) expect((await run(dir, 'deploy', `${ID}@${v}`, '--env', 'staging')).code).toBe(0);
    const said = async (...args: string[]) => {
      const r = await run(dir, 'history', ...args);
      expect(r.code, r.output).toBe(0);
      return r.stdout.trim();
    };
    expect(await said('--since', '9999-12-31')).toBe('no deploys or rollbacks since 9999-12-31T00:00:00.000Z (2 recorded events are left out; drop --since to see them)');
    expect(await said('--action', 'rollback')).toBe('none match --action rollback (2 recorded events are left out; drop --action to see them)');
    expect(await said(ID, '--env', 'staging', '--action', 'rollback', 'override', '--since', '9999-12-31')).toBe(
      'none match --action rollback override of support-answer in staging since 9999-12-31T00:00:00.000Z (2 recorded events of support-answer in staging are left out; drop --since and --action to see them)',
    );
    // Nothing recorded where the filters look: as before.
    expect(await said('--env', 'production', '--action', 'rollback')).toBe('no deploys or rollbacks in production recorded yet');
    // --json tells the same apart: the time --since counts from and how many events the filters left out.
    const json = async (...args: string[]) => JSON.parse((await run(dir, 'history', '--json', ...args)).stdout) as Record<string, unknown>;
    expect(await json('--since', '9999-12-31')).toEqual({ events: [], since: '9999-12-31T00:00:00.000Z', leftOut: 2 });
    expect(await json('--action', 'rollback')).toEqual({ events: [], leftOut: 2 });
    expect(await json('--env', 'production', '--action', 'rollback')).toEqual({ events: [], leftOut: 0 });
  });
});
