import { describe, expect, it } from 'vitest';
import { InterruptedError, runEval } from '../../src/app/index.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * A request the server answered 429 waits out its Retry-After before it is sent again. Aborting
 * `signal` during that pause ends the pause's timer too: left running, it kept a script's process
 * alive for the rest of the pause (up to a minute) after runEval had already thrown. No timing:
 * the simulator's Retry-After is far longer than the test, and the timers are counted, not waited for.
 */

const sim = simulatorForFile({ retryAfterSeconds: 600 });

/** Timers that keep the process alive (an unref'd timer is not listed). */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('aborting signal while requests wait out a Retry-After', () => {
  it('leaves no timer behind once runEval has thrown', async () => {
    const cwd = makeSimProject(sim.url, { concurrency: 4 }, 'promptctl-app-stop-pause-');
    sim.setFaults({ rate429: 1 });
    const before = liveTimers();
    const controller = new AbortController();
    const stopped = runEval({ cwd, env: SCRIPT_ENV, refs: ['support-answer@1.1.0'], suite: ['golden'], n: false, cache: false, signal: controller.signal }).catch((e: unknown) => e);
    // Each of the 4 workers got its 429 and pauses for 600 s.
    while (sim.stats().chatCompletions < 4) await tick();
    for (let i = 0; i < 20; i++) await tick();
    controller.abort();
    expect(await stopped).toBeInstanceOf(InterruptedError);
    for (let i = 0; i < 20; i++) await tick();
    expect(liveTimers()).toBeLessThanOrEqual(before);
    sim.setFaults({});
  });
});
