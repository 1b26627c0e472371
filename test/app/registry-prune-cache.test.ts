import { describe, expect } from 'vitest';
import { registryPruneCache } from '../../src/app/registry-admin.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/**
 * `registry prune-cache`: cached answers can be removed by age or all at once; runs keep their
 * samples (the stored run still passes the gate), and the next eval asks the server again. The age
 * is measured on the clock a script passes, so no test waits.
 */

const EVAL = ['eval', 'support-answer@1.1.0', '--suite', 'golden'];
const DEPLOY = ['deploy', 'support-answer@1.1.0', '--env', 'staging', '--dry-run', '--reason', 'r'];
const cachedAnswers = async (cwd: string): Promise<number> => (JSON.parse((await runCliInProcess(['registry', 'info', '--json'], { cwd })).stdout) as { counts: { cachedResponses: number } }).counts.cachedResponses;

describe('registry prune-cache', () => {
  it('by age, all, and as a dry run; the next eval asks the server again for what went', async ({ simProject: cwd, sim }) => {
    expect((await runCliInProcess(EVAL, { cwd })).code).toBe(0);
    const held = await cachedAnswers(cwd);
    expect(held).toBeGreaterThan(0);
    const gatesBefore = (await runCliInProcess(DEPLOY, { cwd })).output;
    expect(gatesBefore).toMatch(/ok {3}support-answer@1\.1\.0 is registered/);

    const dry = await runCliInProcess(['registry', 'prune-cache', '--all', '--dry-run'], { cwd });
    expect(dry.code, dry.output).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^would remove ${held} cached answers \\(\\d+ bytes\\): every cached answer, from .*registry\\.db \\(sqlite\\); nothing was removed \\(--dry-run\\)$`, 'm'));
    expect(await cachedAnswers(cwd)).toBe(held);

    // Cached just now: nothing is a day old yet; two days later, everything is.
    const now = Date.now();
    const clockAt = (ms: number) => ({ date: () => new Date(ms), now: () => ms, after: () => () => {} });
    expect(await registryPruneCache({ cwd, olderThan: '1d', clock: clockAt(now) })).toMatchObject({ answers: 0, dryRun: false, before: new Date(now - 86_400_000).toISOString() });
    const pruned = await registryPruneCache({ cwd, olderThan: '1d', clock: clockAt(now + 2 * 86_400_000) });
    expect(pruned).toMatchObject({ backend: 'sqlite', answers: held });
    expect(pruned.bytes).toBeGreaterThan(0);
    expect(await cachedAnswers(cwd)).toBe(0);

    // The stored runs still count: a deploy's checks read the same before and after.
    expect((await runCliInProcess(DEPLOY, { cwd })).output).toBe(gatesBefore);

    sim.resetStats();
    const again = await runCliInProcess(EVAL, { cwd });
    expect(again.code, again.output).toBe(0);
    expect(sim.stats().chatCompletions).toBe(held);
  });

  it.for([
    [[], /say which cached answers to remove: --older-than <age> \(for example 90d\) or --all/],
    [['--all', '--older-than', '30d'], /give --older-than or --all, not both/],
    [['--older-than', '3mo'], /--older-than "3mo" is not an age[\s\S]*a whole number and a unit: s, m, h, d or w/],
    [['--older-than', '10000000d'], /--older-than "10000000d" is too long an age[\s\S]*an age has at most 6 digits \(999999d is over 2,700 years\)/],
  ] as const)('%j is exit 2, naming what to write, and removes nothing', async ([args, message], { simProject: cwd }) => {
    expect((await runCliInProcess(EVAL, { cwd })).code).toBe(0);
    const held = await cachedAnswers(cwd);
    const r = await runCliInProcess(['registry', 'prune-cache', ...args], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await cachedAnswers(cwd)).toBe(held);
  });
});
