import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { ProgressModel } from '../../src/render/progress-model.js';
import { sample } from './fixtures.js';

// ink decides when it is imported whether it runs in CI, and there it draws only a final frame.
// The live view is used only on an interactive terminal, so load ink as a terminal session would
// see it, whatever the environment running the tests (CI sets CI=true).
const ciVars = Object.keys(process.env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
const saved = Object.fromEntries(ciVars.map((k) => [k, process.env[k]]));
for (const k of ciVars) delete process.env[k];
const { renderToString } = await import('ink');
const { LiveView, startLiveView } = await import('../../src/render/live-view.js');
Object.assign(process.env, saved);

/** Just enough of a WriteStream for ink: it records every frame written. */
class FakeStdout extends EventEmitter {
  columns = 100;
  rows = 40;
  isTTY = false;
  frames: string[] = [];
  write(chunk: string): boolean {
    this.frames.push(chunk);
    return true;
  }
}

function ev(over: Partial<SampleResult> = {}): ProgressEvent {
  return { type: 'sample', promptId: 'support-faq', version: '1.1.0', suite: 'faq', result: sample({ caseId: 'c', ...over }) };
}

const strip = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('LiveView', () => {
  it('draws progress, counts, percentiles, ETA and the latest failures', () => {
    const m = new ProgressModel();
    m.apply({ type: 'start', total: 200, resumed: 0, label: 'support-faq@1.1.0 · 2 suites' }, 0);
    for (let i = 0; i < 90; i++) m.apply(ev({ latencyMs: 41 }), 9_000);
    for (let i = 0; i < 7; i++)
      m.apply(ev({ caseId: `case-${i}`, verdict: 'fail', output: 'nope', reasons: [{ expectation: 'contains', message: 'output does not contain "30 days"', expected: '"30 days"' }] }), 9_000);
    m.apply(ev({ caseId: 'slow', verdict: 'error', error: 'timeout after 30000ms' }), 10_000);
    // Longer than the terminal is wide: wrapped, so the difference at its end is not cut off.
    const [want, got] = ['Support hours are Monday to Friday, 9am to 5pm CEST.', 'Support hours are Monday to Friday, 9am to 5pm CET.'];
    const differs = { expectation: 'equals', message: 'output differs from the expected text at character 48', expected: want, actual: got };
    m.apply(ev({ caseId: 'hours', verdict: 'fail', output: got, reasons: [differs] }), 10_000);
    const out = renderToString(<LiveView snapshot={m.snapshot(10_000)} width={100} />, { columns: 100 });
    expect(out).toContain('support-faq@1.1.0 · 2 suites');
    expect(out).toContain('99/200 49%');
    expect(out).toContain('pass 90 fail 8 error 1');
    expect(out).toContain('p50 41ms · p95 41ms');
    expect(out).toContain('eta 10s');
    expect(out).toContain('Latest failures');
    // Only the latest five, newest last.
    expect(out).not.toContain('case-0#0');
    expect(out).not.toContain('case-2#0');
    expect(out).toContain('FAIL  support-faq@1.1.0 faq/case-6#0: contains: output does not contain "30 days" — got "nope"');
    expect(out).toContain('ERROR support-faq@1.1.0 faq/slow#0: timeout after 30000ms');
    expect(out.replace(/\s*\n\s*/g, ' ')).toContain('faq/hours#0: equals: output differs from the expected text at character 48 — expected "…9am to 5pm CEST.", got "…9am to 5pm CET."');
  });
});

describe('startLiveView', () => {
  it('renders the counts to its stream and redraws at most every interval', async () => {
    const stdout = new FakeStdout();
    let t = 0;
    const view = startLiveView({
      stdout: stdout as unknown as NodeJS.WriteStream,
      now: () => t,
      intervalMs: 100,
      ink: { debug: true, patchConsole: false, exitOnCtrlC: false },
    });
    view.onEvent({ type: 'start', total: 10_000, resumed: 0, label: 'big run' });
    // 10,000 samples within 50 ms of clock time: no redraw is due.
    for (let i = 0; i < 10_000; i++) {
      t = Math.floor(i / 200);
      view.onEvent(ev({ verdict: i % 100 === 0 ? 'fail' : 'pass', reasons: [] }));
    }
    const framesDuringRun = stdout.frames.length;
    await view.stop();
    expect(framesDuringRun).toBeLessThan(5);
    const last = strip(stdout.frames.at(-1) ?? '');
    expect(last).toContain('10000/10000 100%');
    expect(last).toContain('pass 9900 fail 100 error 0');
    expect(view.snapshot().done).toBe(10_000);
  });
});

describe('LiveView on a short terminal', () => {
  it('draws fewer lines than the terminal has rows, each cut to its width', () => {
    const m = new ProgressModel();
    m.apply({ type: 'start', total: 200, resumed: 0, label: `support-answer@1.1.0 · ${'a very long label '.repeat(10)}` }, 0);
    m.apply({ type: 'notice', message: 'a notice' }, 0);
    for (let i = 0; i < 5; i++) m.apply(ev({ caseId: `must-fail-${i}`, verdict: 'fail', output: 'x'.repeat(300), reasons: [{ expectation: 'contains', message: `output does not contain "never-there-${i}"`, expected: 'y' }] }), 1_000);
    const out = renderToString(<LiveView snapshot={m.snapshot(1_000)} width={40} rows={12} />, { columns: 40 });
    const lines = out.split('\n');
    expect(lines.length, out).toBeLessThanOrEqual(11);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(out).toContain('must-fail-4#0');
  });
});

describe('Ctrl-Z during the live view', () => {
  it('shows the cursor before the process stops; after fg, draws a new view below the shell, erasing nothing', async () => {
    const stdout = new FakeStdout();
    stdout.isTTY = true;
    let listener: (() => void) | undefined;
    let beforeStop = '';
    const jobControl = {
      on: (_: 'SIGTSTP', l: () => void) => void (listener = l),
      off: (_: 'SIGTSTP', l: () => void) => void (listener = listener === l ? undefined : listener),
      suspend: () => {
        // The process stops here: what the terminal shows, then the shell's "Stopped" and `fg` lines.
        expect(listener).toBeUndefined();
        beforeStop = stdout.frames.join('');
        stdout.frames.length = 0;
      },
    };
    const view = startLiveView({ stdout: stdout as unknown as NodeJS.WriteStream, now: () => 0, jobControl, ink: { patchConsole: false, exitOnCtrlC: false } });
    view.onEvent({ type: 'start', total: 10, resumed: 0, label: 'the run' });
    listener!();
    expect(beforeStop).toContain('\u001b[?25l');
    expect(beforeStop.lastIndexOf('\u001b[?25h')).toBeGreaterThan(beforeStop.lastIndexOf('\u001b[?25l'));
    expect(strip(beforeStop)).toContain('the run');
    const afterFg = stdout.frames.join('');
    expect(strip(afterFg)).toContain('the run');
    expect(afterFg).not.toContain('\u001b[1A');
    expect(listener).toBeDefined();
    await view.stop();
    expect(listener).toBeUndefined();
  });
});
