import { EventEmitter } from 'node:events';
import chalk from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import { sample } from './fixtures.js';

/**
 * Issue 14 §5: NO_COLOR (and --no-color) reach the live view. ink colours through chalk's global
 * level, which never looks at NO_COLOR, so the view itself must draw without colour or style.
 * Cursor moves (ink redrawing in place) are not colour and stay.
 */

// As in live-view.test.tsx: load ink as an interactive terminal session would see it.
const ciVars = Object.keys(process.env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
const saved = Object.fromEntries(ciVars.map((k) => [k, process.env[k]]));
for (const k of ciVars) delete process.env[k];
const { startLiveView } = await import('../../src/render/live-view.js');
Object.assign(process.env, saved);

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

/** Select Graphic Rendition: colours, bold, dim. */
const SGR = /\u001b\[[0-9;]*m/;
const level = chalk.level;
afterEach(() => void (chalk.level = level));

async function draw(color: boolean | undefined): Promise<string> {
  chalk.level = 3; // a colour terminal, as chalk would detect one
  const stdout = new FakeStdout();
  const view = startLiveView({ stdout: stdout as unknown as NodeJS.WriteStream, now: () => 0, ...(color === undefined ? {} : { color }), ink: { debug: true, patchConsole: false, exitOnCtrlC: false } });
  const ev = (verdict: 'pass' | 'fail' | 'error'): ProgressEvent => ({ type: 'sample', promptId: 'p', version: '1.0.0', suite: 's', result: sample({ caseId: verdict, verdict, reasons: [] }) });
  view.onEvent({ type: 'start', total: 3, resumed: 0, label: 'p@1.0.0' });
  for (const v of ['pass', 'fail', 'error'] as const) view.onEvent(ev(v));
  view.onEvent({ type: 'notice', message: 'a notice' } as ProgressEvent);
  await view.stop();
  return stdout.frames.join('');
}

describe('the live view and NO_COLOR', () => {
  it('draws colours by default (so the check below can see them)', async () => {
    expect(await draw(undefined)).toMatch(SGR);
  });

  it('with color: false writes no colour or style sequence at all', async () => {
    const text = await draw(false);
    expect(text).not.toMatch(SGR);
    expect(text).toContain('pass 1 fail 1 error 1');
  });
});
