import { describe, expect, it } from 'vitest';
import { auditVerify, deploy, runEval } from '../../src/app/index.js';
import { systemClock, type Clock } from '../../src/infra/clock.js';
import { makeSimProject, patchServerConfig, withRegistry } from '../support/project.js';
import { simulatorsForFile } from '../support/simulator.js';

/**
 * The newest run of a suite decides its tested mark and the gates. In a SQLite registry runs are
 * dated by the clock of the machine that wrote them: one run recorded while that clock ran an hour
 * ahead stayed "newest" for that hour, so a failing re-run after the clock was corrected left the
 * version tested and deployable. A run is now never dated before the latest run time recorded.
 */

const sims = simulatorsForFile({}, { modelSpecs: [{ id: 'sim-model', weakness: 1 }] });
const env = { PROMPTCTL_ACTOR: 'script@example.com' };
const ID = 'support-answer';
const HOUR = 3_600_000;
const aheadBy = (ms: number): Clock => ({ ...systemClock, date: () => new Date(Date.now() + ms) });

const runTimes = (cwd: string) =>
  withRegistry(cwd, (db) => db.prepare("SELECT started_at AS started, ended_at AS ended FROM runs WHERE suite = 'golden' ORDER BY rowid").all() as Array<{ started: string; ended: string }>);

describe('a run dated ahead by a clock that was later corrected', () => {
  it('does not outrank the runs after it: a failing re-run voids the mark, and deploy refuses', async () => {
    const [good, broken] = sims;
    const cwd = makeSimProject(good!.url, {}, 'promptctl-dated-ahead-');
    const passed = await runEval({ cwd, env, clock: aheadBy(HOUR), refs: [`${ID}@1.1.0`] });
    expect(passed.exitCode).toBe(0);
    const tested = await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging', dryRun: true });
    expect(tested.checks.find((c) => c.kind === 'tested')).toMatchObject({ ok: true });

    // The clock is right again, and the server now answers badly.
    patchServerConfig(cwd, { base_url: broken!.url });
    const failed = await runEval({ cwd, env, refs: [`${ID}@1.1.0`], suite: ['golden'], cache: false });
    expect(failed.exitCode).toBe(1);

    const refused = await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging', dryRun: true });
    expect(refused.checks.find((c) => c.kind === 'tested')).toMatchObject({ ok: false });
    expect(refused.exitCode).toBe(1);

    // audit verify says why the runs after it are dated ahead too, as it does for events.
    const verified = await auditVerify({ cwd, env });
    expect(verified.warnings).toContainEqual(expect.stringMatching(/^run [0-9a-f-]{8} is dated .*, after this machine's clock \(.*\): every later run will be dated at least that late/));

    // The second run takes the first's time rather than an earlier one: the times keep the order written.
    const [first, second] = runTimes(cwd);
    expect(second!.started >= first!.ended).toBe(true);
    expect(second!.ended >= second!.started).toBe(true);
  });
});
