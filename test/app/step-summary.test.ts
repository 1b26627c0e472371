import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReportFiles } from '../../src/app/eval-reports.js';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * `--summary "$GITHUB_STEP_SUMMARY"` (a usual workflow line) names the step summary itself: the
 * summary is appended once, and what earlier steps wrote there stays.
 */

afterAll(() => cleanupTempDirs());

const formats = { junit: () => '<testsuites/>', markdown: () => '## promptctl summary' };
const report = {} as EvalReport;

describe('the summary and $GITHUB_STEP_SUMMARY', () => {
  it.each([
    ['the same absolute path', (step: string) => step, '# earlier step\n## promptctl summary\n'],
    ['the same file, relative to the cwd', (step: string) => path.basename(step), '# earlier step\n## promptctl summary\n'],
    ['another file', (step: string) => `${step}.copy`, '# earlier step\n## promptctl summary\n'],
  ])('--summary naming %s: the step summary keeps what earlier steps wrote, and holds ours once', (_, summaryOf, expected) => {
    const dir = makeTempDir();
    const step = path.join(dir, 'step_summary');
    writeFileSync(step, '# earlier step\n');
    const summary = summaryOf(step);
    writeReportFiles({ cwd: dir, env: { GITHUB_STEP_SUMMARY: step }, optionNames: 'flags' }, report, { summary }, formats);
    expect(readFileSync(step, 'utf8')).toBe(expected);
    if (path.resolve(dir, summary) !== step) expect(readFileSync(path.resolve(dir, summary), 'utf8')).toBe('## promptctl summary');
  });
});
