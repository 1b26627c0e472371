import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/** `eval --json` says what the run came to (`verdict`, `exitCode`), as `ci --json` and the library's `runEval` do. */

describe('eval --json', () => {
  it('a passing run leads with verdict "passed" and exit code 0', async ({ sharedSimProject }) => {
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--json'], { cwd: sharedSimProject });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 2)).toEqual(['verdict', 'exitCode']);
    expect(json).toMatchObject({ verdict: 'passed', exitCode: 0, runs: [expect.objectContaining({ run: expect.objectContaining({ suite: 'golden' }) })] });
  });
});
