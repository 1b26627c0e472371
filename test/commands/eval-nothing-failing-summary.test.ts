import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/**
 * `eval --filter-failing --summary` when every case passed last time: the Markdown (the step summary
 * CI shows) says nothing was failing, as the terminal does. It said `⚠️ no suites were run`, with an
 * empty invocation (`invocation  ·`) and no word of why.
 */

describe('eval --filter-failing with nothing failing', () => {
  it('writes a summary that says nothing was failing, under exit 0', async ({ sharedSimProject: dir }) => {
    const first = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: dir });
    expect(first.code, first.output).toBe(0);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--filter-failing', '--summary', 'summary.md'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const text = readFileSync(path.join(dir, 'summary.md'), 'utf8');
    expect(text.split('\n')[0]).toBe('## ✅ promptctl eval: nothing failing, so nothing was re-run');
    expect(text).not.toContain('invocation');
    expect(text).toMatch(/nothing failing in support-answer@(&#8203;)?1\.1\.0 \(golden\): every case passed when it last ran/);
  });
});
