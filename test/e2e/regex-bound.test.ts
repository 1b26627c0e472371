import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Loading `promptctl/app` (as the CLI's entry does first) bounds regex backtracking: a runaway
 * pattern V8 can run on its linear engine (no u or i flag: a legacy regex expectation) finishes on
 * an input that would otherwise take hours. A runaway regex blocks its thread, so only a process
 * shows it: the child is killed at the deadline (a regression fails, never hangs the suite); no
 * time is measured.
 */

const APP = pathToFileURL(path.join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'app', 'index.js')).href;

describe('regex backtracking once promptctl/app is loaded', () => {
  it('a runaway pattern on a long near miss finishes', () => {
    const script = `await import(${JSON.stringify(APP)}); process.stdout.write(String([/(a+)+b/.test('a'.repeat(64)), /^(\\:|a|aa)+$/.test('a'.repeat(64) + '!')]));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('false,false');
  });
});
