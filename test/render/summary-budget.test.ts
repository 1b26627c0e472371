import { describe, expect, it } from 'vitest';
import type { CiResult } from '../../src/core/ci/result.js';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { ciMarkdown } from '../../src/render/ci-summary.js';
import { COMMENT_FIT, SUMMARY_BUDGET_BYTES, toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport } from './fixtures.js';

/** GitHub refuses a step summary over 1 MiB: one budget for the whole summary, diffs cut first, then failing cases. */

const GITHUB_LIMIT = 1024 * 1024;
const bytes = (s: string) => Buffer.byteLength(s);

/** The fixture report with its failing case repeated `n` times under other ids (each row a few hundred bytes). */
function manyFailures(n: number): EvalReport {
  const report = fixtureReport();
  const run = report.runs[0]!;
  const failing = run.cases.find((c) => c.verdict !== 'pass')!;
  run.cases = Array.from({ length: n }, (_, i) => ({ ...failing, caseId: `c${i}` }));
  return report;
}

function ciWith(report: EvalReport, patchLines: number): CiResult {
  const patch = ['--- /dev/null', '+++ prompts/big/1.0.0.yaml', `@@ -0,0 +1,${patchLines} @@`, ...Array.from({ length: patchLines }, (_, i) => `+      - Fact ${i}: the zebra code ${i} is value${i}, with some padding text.`)].join('\n');
  return {
    base: 'main',
    baseline: 'production',
    plan: { lintFiles: [], evaluate: [{ ref: 'support-faq@1.1.0', why: 'new version', candidate: true }], coveringSuites: [], editedVersions: [], renamed: [], deletedVersions: [], sameContent: [], deleted: [], configChanged: false, nothingChanged: false },
    lint: { files: 1, errors: 0, warnings: 0, problems: [] },
    notEvaluated: [],
    report,
    diffs: [{ ref: 'support-faq@1.1.0', against: '1.0.0', patch }],
    informational: [],
    noBaseline: [],
    revised: [],
    auditHead: '7:abc',
    verdict: 'gate-failed',
    exitCode: 1,
  };
}

describe('the Markdown summary stays within one budget', () => {
  it.each([20_000, 200_000, SUMMARY_BUDGET_BYTES])('eval: 5,000 failing cases within %i bytes, with a note on those left out', (budget) => {
    const out = toMarkdownSummary(manyFailures(5000), budget);
    expect(bytes(out)).toBeLessThanOrEqual(budget);
    expect(out).toMatch(/…and \d+ more not listed here, to keep this summary under GitHub's 1 MiB limit/);
  });

  it('ci: a long new prompt and 5,000 failing cases stay under the limit; the diff is cut first, then the failures', () => {
    const out = ciMarkdown(ciWith(manyFailures(5000), 20_000));
    expect(bytes(out)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
    expect(bytes(out)).toBeLessThan(GITHUB_LIMIT);
    expect(out).toMatch(/Diff truncated to keep this summary under GitHub's 1 MiB limit: \d+ of 20003 lines shown; `promptctl diff support-faq@1\.0\.0 support-faq@1\.1\.0` shows it whole\./);
    expect(out).toMatch(/…and \d+ more not listed here/);
    // The headline (the verdict) is kept whole, first.
    expect(out).toMatch(/^## .*promptctl ci/);
    expect(out.trimEnd().endsWith('`promptctl audit verify --since 7:abc` proves later that the log still extends it.')).toBe(true);
  });

  it('ci: a diff that alone is too long is cut, and every failing case it made room for is listed', () => {
    const out = ciMarkdown(ciWith(manyFailures(100), 20_000));
    expect(bytes(out)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
    expect(out).toContain('Diff truncated');
    expect(out).not.toContain('more not listed here');
  });

  it("ci's --summary file fits a pull-request comment (65,536 characters): diff and failures cut, saying where the rest is", () => {
    const out = ciMarkdown(ciWith(manyFailures(5000), 20_000), COMMENT_FIT);
    expect(bytes(out)).toBeLessThanOrEqual(65_536);
    expect(out).toMatch(/^## .*promptctl ci/);
    expect(out).toMatch(/Diff truncated to fit a pull-request comment \(GitHub takes at most 65,536 characters\): \d+ of 20003 lines shown/);
    expect(out).toMatch(/…and \d+ more not listed here, to fit a pull-request comment \(GitHub takes at most 65,536 characters\): every case is in the JUnit file and the HTML report \(the `--html` artifact, or `promptctl report [^`]+`\), and the job's step summary lists more\./);
    expect(out.trimEnd().endsWith('`promptctl audit verify --since 7:abc` proves later that the log still extends it.')).toBe(true);
  });

  it('ci: a summary that fits is left whole', () => {
    const out = ciMarkdown(ciWith(manyFailures(3), 10));
    expect(out).not.toContain('truncated');
    expect(out).toContain('+      - Fact 9: the zebra code 9');
  });
});
