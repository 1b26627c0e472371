import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import type { Clock } from '../../src/infra/clock.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * The clock a script injects is the time of everything an eval records and waits (issue 10, item
 * 4): a request's latency is measured on its `now()`, and the pause before a retry is its
 * `after()`. The model client took the system clock: latencies recorded (and judged by deploy's
 * p95 gate) and Retry-After pauses ran on real time whatever the script passed.
 */

const sim = simulatorForFile({ retryAfterSeconds: 7 });

describe('runEval on an injected clock', () => {
  it('records latencies on its now() and waits out a Retry-After on its after()', async () => {
    const cwd = makeSimProject(sim.url, { concurrency: 1 }, 'promptctl-app-clock-');
    // A class, as a host's clock often is: its after() reads its own `this`.
    class StillClock implements Clock {
      readonly paused: number[] = [];
      date() {
        return new Date('2030-01-01T00:00:00.000Z');
      }
      // Time stands still: every latency measured on it is 0.
      now() {
        return 1000;
      }
      after(ms: number, fn: () => void) {
        this.paused.push(ms);
        // The server answers again once the Retry-After pause is over, which this clock ends at once.
        if (ms === 7000) sim.setFaults({});
        const t = setImmediate(fn);
        return () => clearImmediate(t);
      }
    }
    const clock = new StillClock();
    const paused = clock.paused;
    sim.setFaults({ rate429: 1 });
    const result = await runEval({ cwd, env: SCRIPT_ENV, clock, refs: ['support-answer@1.1.0'], suite: ['golden'], n: false, cache: false });
    expect(result.exitCode, JSON.stringify(result.warnings)).toBe(0);
    // The first request got a 429 with Retry-After: 7, paused on the injected clock for 7,000 ms.
    expect(paused).toContain(7000);
    const run = result.report.runs[0]!;
    expect(run.run.startedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(run.cases.flatMap((c) => c.samples.map((s) => s.latencyMs))).toEqual(run.cases.flatMap((c) => c.samples.map(() => 0)));
    expect(run.run.summary).toMatchObject({ latencyP50: 0, latencyP95: 0 });
  });
});
