import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/**
 * Two report options naming one file would leave a file no CI reader can use (JUnit overwritten by
 * Markdown, or Markdown appended after the XML) under exit 0: refused (exit 2) before anything runs.
 * `--summary "$GITHUB_STEP_SUMMARY"` stays allowed: the same Markdown, appended once.
 */

describe('eval report files naming one file', () => {
  it('--junit and --summary on one file is exit 2 naming both, and nothing is written', async ({ sharedSimProject: dir }) => {
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--junit', 'out/report', '--summary', './out/../out/report'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`--junit and --summary name the same file, ${path.join(dir, 'out', 'report')}`);
    expect(existsSync(path.join(dir, 'out', 'report'))).toBe(false);
  });

  it('--junit on the file $GITHUB_STEP_SUMMARY names is exit 2, and the step summary keeps what it held', async ({ sharedSimProject: dir }) => {
    const step = path.join(dir, 'step_summary');
    writeFileSync(step, '# earlier step\n');
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--junit', 'step_summary'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: step } });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('--junit and $GITHUB_STEP_SUMMARY name the same file');
    expect(readFileSync(step, 'utf8')).toBe('# earlier step\n');
  });

  it('--summary naming $GITHUB_STEP_SUMMARY still runs, with the JUnit file apart', async ({ sharedSimProject: dir }) => {
    const step = path.join(dir, 'step_summary2');
    writeFileSync(step, '');
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--junit', 'j.xml', '--summary', step], { cwd: dir, env: { GITHUB_STEP_SUMMARY: step } });
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(path.join(dir, 'j.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(step, 'utf8').match(/## ✅ promptctl eval/g)).toHaveLength(1);
  });
});
