import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A report path that is right but cannot take the bytes (a full disk; /dev/full is one that is
 * always full) is exit 3 naming the file, after the work is recorded, never a stack trace (exit 70).
 */

const sim = simulatorForFile();
afterEach(() => sim.resetStats());

const FULL = '/dev/full';

describe('an output file on a full disk', () => {
  it.each([
    ['eval --junit', ['eval', 'support-answer@1.1.0', '--junit', FULL], '--junit'],
    ['eval --summary', ['eval', 'support-answer@1.1.0', '--summary', FULL], '--summary'],
    ['report -o', ['report', '-o', FULL], '-o'],
  ])('%s /dev/full: exit 3 naming the file and the disk', async (_name, args, option) => {
    const dir = makeSimProject(sim.url);
    if (args[0] === 'report') expect((await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir })).code).toBeLessThan(2);
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).not.toMatch(/hit a bug/);
    expect(r.stderr).toContain(`cannot write ${option} ${FULL}`);
    expect(r.stderr).toMatch(/no space left|ENOSPC/i);
    expect(r.stderr).toMatch(/^hint: .*free space/m);
  });

  it('report -o /proc/version (a file the kernel refuses to take bytes for): exit 3, and the hint is not about free space', async () => {
    const dir = makeSimProject(sim.url);
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir })).code).toBeLessThan(2);
    const r = await runCliInProcess(['report', '-o', '/proc/version'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toContain('cannot write -o /proc/version: the device reported an I/O error (EIO)');
    expect(r.stderr).toMatch(/^hint: check that the path is a file on a working disk \(not a device or a \/proc entry\)/m);
    expect(r.stderr).not.toMatch(/free space/);
  });

  it('$GITHUB_STEP_SUMMARY on a full disk: exit 3 naming it', async () => {
    const dir = makeSimProject(sim.url);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: FULL } });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toContain(`cannot write $GITHUB_STEP_SUMMARY ${FULL}`);
  });
});
