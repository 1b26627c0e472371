import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import type { Output } from '../../src/render/output.js';
import { Screen } from '../support/screen.js';
import { sample } from './fixtures.js';

/**
 * A `warning:` line said while the live view is drawn stays on screen, whole (report h43 #1): ink
 * redraws by erasing its last frame's height upward from the cursor, so a line written to stderr
 * behind its back was erased by the next frame ("no suite applies; not evaluated" vanished, the
 * "created a new registry" notice kept only its first row). stdout and stderr share one Screen, as
 * at a terminal; the real progressFor, sink and view run, only drawn into that screen.
 */

// ink decides when it is imported whether it runs in CI (then it draws only a final frame): load it
// as a terminal session sees it, whatever runs the tests (live-view.test.tsx does the same).
const ciVars = Object.keys(process.env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
const saved = Object.fromEntries(ciVars.map((k) => [k, process.env[k]]));
for (const k of ciVars) delete process.env[k];
await import('ink');
Object.assign(process.env, saved);

let screen = new Screen(80, 24);
let t = 0;
vi.mock('../../src/render/live-view.js', async (original) => {
  const real = await original<typeof import('../../src/render/live-view.js')>();
  const jobControl = { on: () => {}, off: () => {}, suspend: () => {} };
  return {
    ...real,
    startLiveView: (opts: import('../../src/render/live-view.js').LiveViewOptions) =>
      real.startLiveView({ ...opts, stdout: screen.stream(), now: () => t, intervalMs: 100, jobControl, ink: { patchConsole: false, exitOnCtrlC: false } }),
  };
});

const { progressFor } = await import('../../src/render/eval-text.js');
const { stderrLine } = await import('../../src/render/stderr-lines.js');

const out = (tty: boolean, stderr: string[]): Output => ({
  json: false,
  color: false,
  tty,
  width: 80,
  line: () => {},
  write: () => {},
  error: (text) => {
    stderr.push(`${text}\n`);
    screen.write(`${text}\n`);
  },
});

const pass = (caseId: string): ProgressEvent => ({ type: 'sample', promptId: 'support-answer', version: '1.1.0', suite: 'golden', result: sample({ caseId }) });
const NOTICE =
  'created a new registry at .promptctl/registry.db (there was none). If this project had one, restore it from its backup before recording more: git clean -fdx and git stash --all delete it (git clean -fdx -e .promptctl keeps it)';
const direct = (stderr: string[]) => (line: string) => {
  stderr.push(`${line}\n`);
  screen.write(`${line}\n`);
};

afterEach(() => {
  t = 0;
});

/** What eval does: the view is up before the use case opens the registry and warns. */
async function run(tty: boolean, columns: number): Promise<{ stderr: string[]; shown: string }> {
  screen = new Screen(columns, 24);
  const stderr: string[] = [];
  const progress = await progressFor(out(tty, stderr), () => t);
  stderrLine(`warning: ${NOTICE}`, direct(stderr));
  progress.onEvent({ type: 'warning', message: 'extra@1.0.1: no suite applies; not evaluated' });
  progress.onEvent({ type: 'start', total: 3, resumed: 0, label: '1 run' });
  for (const id of ['a', 'b', 'c']) {
    t += 150;
    progress.onEvent(pass(id));
  }
  await progress.stop();
  // After the view: straight to stderr, below its last frame.
  stderrLine('warning: after the view', direct(stderr));
  return { stderr, shown: screen.text().join('\n') };
}

describe('warnings while the live view is drawn', () => {
  it.each([80, 300])('stay on a %i-column terminal, whole, above the frame', async (columns) => {
    const { shown, stderr } = await run(true, columns);
    const unwrapped = screen.text().join('');
    expect(unwrapped).toContain(`warning: ${NOTICE}`);
    expect(shown).toContain('warning: extra@1.0.1: no suite applies; not evaluated');
    expect(shown).toContain('pass 3 fail 0 error 0');
    expect(shown.indexOf('not evaluated')).toBeLessThan(shown.indexOf('pass 3 fail 0 error 0'));
    expect(shown.trimEnd().endsWith('warning: after the view')).toBe(true);
    // One frame: the first one (an empty bar) was erased, not left behind by the warnings.
    expect(shown.match(/pass \d+ fail/g)).toHaveLength(1);
    // The lines are still said on stderr, once each, as without a terminal.
    expect(stderr).toEqual([`warning: ${NOTICE}\n`, 'warning: extra@1.0.1: no suite applies; not evaluated\n', 'warning: after the view\n']);
  });

  it('a notice said before the view is drawn (compare and ci open the registry first) stays above it', async () => {
    screen = new Screen(80, 24);
    const stderr: string[] = [];
    stderrLine(`warning: ${NOTICE}`, direct(stderr));
    const progress = await progressFor(out(true, stderr), () => t);
    progress.onEvent({ type: 'start', total: 1, resumed: 0, label: '1 run' });
    t += 150;
    progress.onEvent(pass('a'));
    await progress.stop();
    expect(screen.text().join('')).toContain(`warning: ${NOTICE}`);
    expect(screen.text().join('\n')).toContain('pass 1 fail 0 error 0');
  });

  it('are written as before without a terminal (plain lines)', async () => {
    const { stderr } = await run(false, 80);
    expect(stderr.filter((l) => l.startsWith('warning:'))).toEqual([`warning: ${NOTICE}\n`, 'warning: extra@1.0.1: no suite applies; not evaluated\n', 'warning: after the view\n']);
  });
});
