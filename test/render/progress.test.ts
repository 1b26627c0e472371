import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { createPlainProgress, formatFinalLine } from '../../src/render/plain-progress.js';
import { LatencyHistogram, liveFailureLines, liveProgressText, ProgressModel } from '../../src/render/progress-model.js';
import { displayWidth } from '../../src/render/table.js';
import { sample } from './fixtures.js';

function ev(over: Partial<SampleResult> = {}): ProgressEvent {
  return { type: 'sample', promptId: 'support-faq', version: '1.1.0', suite: 'faq', result: sample({ caseId: 'c', ...over }) };
}

const failing: Partial<SampleResult> = {
  caseId: 'refund-window',
  verdict: 'fail',
  output: "I'm not sure, please\ncontact support \u001b[31mnow\u001b[0m",
  reasons: [{ expectation: 'contains', message: 'output does not contain "30 days"', expected: '"30 days"' }],
};

describe('LatencyHistogram', () => {
  it('gives percentiles within about 1% over many values in fixed memory', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 100_000; i++) h.add(i % 1000);
    expect(h.count).toBe(100_000);
    expect(Math.abs((h.percentile(50) ?? 0) - 499) / 499).toBeLessThan(0.01);
    expect(Math.abs((h.percentile(95) ?? 0) - 949) / 949).toBeLessThan(0.01);
  });

  it('is exact when every value is the same, and null when empty', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(50)).toBeNull();
    h.add(41);
    h.add(41);
    expect(h.percentile(50)).toBe(41);
    expect(h.percentile(95)).toBe(41);
  });
});

describe('ProgressModel', () => {
  it('counts verdicts and keeps only the latest failures', () => {
    const m = new ProgressModel({ keepFailures: 2 });
    m.apply({ type: 'start', total: 10, resumed: 0, label: 'eval' }, 0);
    m.apply(ev(), 10);
    for (let i = 0; i < 3; i++) m.apply(ev({ ...failing, sample: i }), 20);
    m.apply(ev({ verdict: 'error', error: 'timeout after 30000ms' }), 30);
    const s = m.snapshot(30);
    expect([s.done, s.passed, s.failed, s.errored]).toEqual([5, 1, 3, 1]);
    expect(s.recentFailures.map((f) => f.where)).toEqual(['support-faq@1.1.0 faq/refund-window#2', 'support-faq@1.1.0 faq/c#0']);
    expect(s.recentFailures[1]).toEqual({ kind: 'error', where: 'support-faq@1.1.0 faq/c#0', detail: 'timeout after 30000ms' });
    expect(s.fraction).toBe(0.5);
  });

  it('leaves errors out of the latency percentiles, and counts cached samples at their recorded latency', () => {
    const m = new ProgressModel();
    m.apply(ev({ latencyMs: 50 }), 0);
    m.apply(ev({ latencyMs: 30_000, verdict: 'error', error: 'timeout' }), 0);
    expect(m.snapshot(0).p95).toBe(50);
    m.apply(ev({ latencyMs: 70, cached: true }), 0);
    expect(m.snapshot(0).p95).toBe(70);
  });

  it('a fully cached run shows the latencies the final table shows, not "p50 –"', () => {
    const m = new ProgressModel();
    m.apply({ type: 'start', total: 3, resumed: 0, label: 'x' }, 0);
    for (const latencyMs of [40, 41, 90]) m.apply(ev({ latencyMs, cached: true }), 0);
    const s = m.snapshot(0);
    // The histogram is within about 1% of the exact value.
    expect(s.p50).toBeCloseTo(41, 0);
    expect(s.p95).toBe(90);
    expect(s.cached).toBe(3);
  });

  it('estimates time left from live samples only', () => {
    const m = new ProgressModel();
    m.apply({ type: 'start', total: 1000, resumed: 0, label: 'eval' }, 0);
    // 500 cached samples arrive at once; they must not make the estimate optimistic.
    for (let i = 0; i < 500; i++) m.apply(ev({ cached: true }), 0);
    expect(m.snapshot(0).etaMs).toBeNull();
    for (let i = 0; i < 100; i++) m.apply(ev(), 10_000);
    // 100 live samples in 10 s, 400 to go: 40 s.
    expect(m.snapshot(10_000).etaMs).toBe(40_000);
    m.apply({ type: 'end' }, 11_000);
    expect(m.snapshot(11_000).etaMs).toBe(0);
  });
});

describe('createPlainProgress', () => {
  function harness(opts = {}) {
    const lines: string[] = [];
    let t = 0;
    const p = createPlainProgress((l) => lines.push(l), () => t, opts);
    return { lines, p, at: (ms: number) => (t = ms) };
  }

  it('prints at most one progress line per second', () => {
    const { lines, p, at } = harness();
    p.onEvent({ type: 'start', total: 2000, resumed: 0, label: 'support-faq@1.1.0: 2 suites' });
    for (let i = 0; i < 2000; i++) {
      at(i * 5); // 200 samples a second for 10 s
      p.onEvent(ev({ latencyMs: 41 }));
    }
    p.onEvent({ type: 'end' });
    const progress = lines.filter((l) => l.startsWith('progress '));
    expect(progress.length).toBeGreaterThanOrEqual(9);
    expect(progress.length).toBeLessThanOrEqual(10);
    expect(progress[0]).toBe('progress 201/2000 (10%) pass 201 fail 0 error 0 p50 41ms p95 41ms eta 9s');
    expect(lines[0]).toBe('eval support-faq@1.1.0: 2 suites: 2000 samples');
    expect(lines.at(-1)).toBe('done 2000/2000 pass 2000 fail 0 error 0 p50 41ms p95 41ms in 10s');
  });

  it('prints failures as they happen, up to the cap, then counts the rest', () => {
    const { lines, p } = harness();
    p.onEvent({ type: 'start', total: 30, resumed: 0, label: 'x' });
    for (let i = 0; i < 25; i++) p.onEvent(ev({ ...failing, sample: i }));
    for (let i = 0; i < 3; i++) p.onEvent(ev({ verdict: 'error', error: 'HTTP 503' }));
    p.finish();
    p.finish();
    const shown = lines.filter((l) => l.startsWith('FAIL ') || l.startsWith('ERROR '));
    expect(shown).toHaveLength(20);
    // The scorer's message, and the output with its line break shown as \n (a log line stays one line) and its escape sequences as \e.
    expect(shown[0]).toBe('FAIL support-faq@1.1.0 faq/refund-window#0: contains: output does not contain "30 days" — got "I\'m not sure, please\\ncontact support \\e[31mnow\\e[0m"');
    expect(lines).toContain('... 5 more failures and 3 more errors not shown');
    expect(lines.at(-1)).toMatch(/^stopped 28\/30 pass 0 fail 25 error 3 /);
    expect(lines.filter((l) => l.startsWith('stopped'))).toHaveLength(1);
  });

  it('a resumed run counts only what it sends and names the resumed samples, never "stopped"', () => {
    const { lines, p } = harness();
    // 194 planned, 32 recorded by the run that was interrupted: 162 to send.
    p.onEvent({ type: 'start', total: 162, resumed: 32, label: '1 run' });
    for (let i = 0; i < 162; i++) p.onEvent(ev({ latencyMs: 41 }));
    p.onEvent({ type: 'end' });
    expect(lines[0]).toBe('eval 1 run: 162 samples to send, 32 resumed');
    expect(lines.at(-1)).toBe('done 162/162 sent, 32 resumed pass 162 fail 0 error 0 p50 41ms p95 41ms in 0s');
  });

  it('prints notices and nothing after finish', () => {
    const { lines, p } = harness();
    p.onEvent({ type: 'start', total: 1, resumed: 0, label: 'x' });
    p.onEvent({ type: 'notice', message: 'server\nslow' });
    p.finish();
    p.onEvent(ev());
    expect(lines).toEqual(['eval x: 1 sample', 'note: server slow', 'stopped 0/1 pass 0 fail 0 error 0 p50 – p95 – in 0s']);
  });

  it('prints no summary when no run started (a failed preflight dispatched nothing)', () => {
    const { lines, p } = harness();
    p.onEvent({ type: 'notice', message: 'nothing failing' });
    p.finish();
    expect(lines).toEqual(['note: nothing failing']);
  });
});

describe('a FAIL line in a model matrix', () => {
  it('names the model when the event carries one, and is unchanged when it does not', async () => {
    const { failureFromSample, formatFailureLine } = await import('../../src/render/progress-model.js');
    const line = (e: ProgressEvent) => formatFailureLine(failureFromSample(e as Extract<ProgressEvent, { type: 'sample' }>)!);
    expect(line({ ...(ev(failing) as object), model: 'sim-b' } as ProgressEvent)).toMatch(/^FAIL support-faq@1\.1\.0:sim-b faq\/refund-window#0: /);
    expect(line(ev(failing))).toMatch(/^FAIL support-faq@1\.1\.0 faq\/refund-window#0: /);
  });
});

describe('the end of a run, as the live view and the plain lines name it', () => {
  const ended = (total: number, done: number, resumed = 0) => {
    const m = new ProgressModel();
    m.apply({ type: 'start', total, resumed, label: 'x' }, 0);
    for (let i = 0; i < done; i++) m.apply(ev({ latencyMs: 400 }), 2_000);
    m.apply({ type: 'end' }, 2_000);
    return m.snapshot(2_000);
  };
  it.each([
    // Ctrl-C after 10 of 190: the ink view said "done" where the plain line said "stopped".
    { total: 190, done: 10, resumed: 0, live: '10/190 5% · 2s · stopped', plain: /^stopped 10\/190 / },
    { total: 190, done: 190, resumed: 0, live: '190/190 100% · 2s · done', plain: /^done 190\/190 / },
    { total: 162, done: 162, resumed: 32, live: '162/162 100% · 2s · done', plain: /^done 162\/162 sent, 32 resumed / },
    { total: 0, done: 0, resumed: 0, live: '0 · 2s · done', plain: /^done 0 / },
  ])('$done of $total: $live', ({ total, done, resumed, live, plain }) => {
    const s = ended(total, done, resumed);
    expect(liveProgressText(s)).toBe(live);
    expect(formatFinalLine(s)).toMatch(plain);
  });

  it('a run still going shows its estimate, not an end', () => {
    const m = new ProgressModel();
    m.apply({ type: 'start', total: 100, resumed: 0, label: 'x' }, 0);
    expect(liveProgressText(m.snapshot(0))).toBe('0/100 0% · 0s · eta –');
    for (let i = 0; i < 50; i++) m.apply(ev(), 10_000);
    expect(liveProgressText(m.snapshot(10_000))).toBe('50/100 50% · 10s · eta 10s');
  });
});

describe('a failure in the live view', () => {
  // ink clears the screen, scrollback included, once a frame is as tall as the terminal: a failure's height is bounded.
  const f = { kind: 'fail' as const, where: 'support-answer@1.1.0 strict/eqlong#0', detail: `equals: output differs from the expected text at character 61 — expected "…9am to 5pm CEST.\\"}", got "…9am to 5pm CET.\\"}"` };
  it.each([
    [200, ['FAIL  support-answer@1.1.0 strict/eqlong#0: equals: output differs from the expected text at character 61 — expected "…9am to 5pm CEST.\\"}", got "…9am to 5pm CET.\\"}"']],
    [100, ['FAIL  support-answer@1.1.0 strict/eqlong#0: equals: output differs from the expected text at', 'character 61 — expected "…9am to 5pm CEST.\\"}", got "…9am to 5pm CET.\\"}"']],
  ])('at %i columns is wrapped whole, its difference included', (width, lines) => {
    expect(liveFailureLines(f, width)).toEqual(lines);
  });
  it('takes at most two lines however narrow the terminal, saying when it was cut', () => {
    const lines = liveFailureLines(f, 60);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/…$/);
  });
});

describe('an ERROR line', () => {
  it("masks what a server's error body echoed (the canary, a customer's data) as every report does, and keeps the server's address", async () => {
    const { failureFromSample, formatFailureLine } = await import('../../src/render/progress-model.js');
    const error = '400 rejected from 10.0.0.5:8000: You are the assistant. Internal marker: CANARY-e229df36b2ad240427a9. Customer jane.doe@example.com, card 4111 1111 1111 1111';
    const line = formatFailureLine(failureFromSample(ev({ caseId: 'a1', verdict: 'error', output: '', error }) as Extract<ProgressEvent, { type: 'sample' }>)!);
    expect(line).toMatch(/^ERROR support-faq@1\.1\.0 faq\/a1#0: /);
    expect(line).toContain('CANARY-…');
    expect(line).not.toContain('e229df36');
    expect(line).not.toContain('jane.doe@example.com');
    expect(line).not.toContain('4111 1111');
    expect(line).toContain('10.0.0.5:8000');
  });
});
