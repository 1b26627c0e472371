import { describe, expect } from 'vitest';
import { deploy } from '../../src/app/deploy.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { appendForged } from '../support/forge.js';
import { markTested, readChain } from '../support/registry-cli.js';

/** A laptop whose clock is wrong (the library's clock option stands in for it) cannot date an event before the newest. */

const ID = 'support-answer';
const PAST = Date.parse('2026-01-01T00:00:00Z');
const past = { date: () => new Date(PAST), now: () => PAST, after: () => () => undefined };

describe('backdated events', () => {
  it('an append with a clock behind the log takes the newest time; verify warns of an inversion written by hand', async ({ project: dir }) => {
    markTested(dir, `${ID}@1.0.0`);
    const [mark] = readChain(dir);
    const r = await deploy({ cwd: dir, ref: `${ID}@1.0.0`, environment: 'development', reason: 'backdated', actor: 'carol', clock: past, env: {} });
    expect(r.exitCode).toBe(0);
    const [, deployed] = readChain(dir);
    expect(deployed!.at).toBe(mark!.at);
    // A database writer appends one dated a year back, its hash recomputed.
    appendForged(dir, { at: '2025-01-01T00:00:00.000Z' });
    const v = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(v.code, v.output).toBe(0);
    expect(v.stderr).toContain(`warning: event 3 is dated 2025-01-01T00:00:00.000Z, before event 2 (${mark!.at}) that it follows`);
    expect(JSON.parse((await runCliInProcess(['audit', 'verify', '--json'], { cwd: dir })).stdout).warnings).toHaveLength(1);
  });

  it('verify warns of a newest event dated after its own clock: every later append would take that date', async ({ project: dir }) => {
    markTested(dir, `${ID}@1.0.0`);
    appendForged(dir, { at: '2099-01-01T00:00:00.000Z' });
    const v = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(v.code, v.output).toBe(0);
    expect(v.stderr).toMatch(/warning: event 2 is dated 2099-01-01T00:00:00\.000Z, after this machine's clock \(.*\): every later event will be dated at least that late/);
  });
});
