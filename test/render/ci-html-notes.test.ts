import { describe, expect, it } from 'vitest';
import type { CiResult } from '../../src/core/ci/result.js';
import type { EvalReport, RunOutcome } from '../../src/core/schemas/report.js';
import { ciFormats, ciMarkdown } from '../../src/render/ci-summary.js';
import { goldenOutcome } from '../report/fixtures.js';

/**
 * ci's HTML report beside its verdict: a suite a changed suite re-evaluated on an older version
 * failed, ci passed (only candidates gate). The page's runs table and cards show the failed run as
 * any run; a note says it gates nothing, as the Markdown's headline does.
 */

const ID = 'support-answer';
const summary = (passed: number, failed: number) => ({ cases: passed + failed, passed, failed, errored: 0, notRun: 0, samples: passed + failed, passRate: passed / (passed + failed), verdict: failed ? ('failed' as const) : ('passed' as const), latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1 });
const outcome = (version: string, passed: number, failed: number): RunOutcome => {
  const o = goldenOutcome(version);
  return { ...o, run: { ...o.run, promptId: ID, suite: 'golden', summary: summary(passed, failed) } };
};

function passedWithOlderFailing(): CiResult {
  const runs = [outcome('1.0.0', 4, 2), outcome('1.1.0', 6, 0)];
  const report: EvalReport = { invocationId: 'inv', model: 'sim-model', server: 'http://127.0.0.1:1/v1', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z', runs, versions: [], baselines: [] } as unknown as EvalReport;
  return {
    base: 'main',
    baseline: 'production',
    plan: { lintFiles: [`evalsets/${ID}/golden.yaml`], evaluate: [{ ref: `${ID}@1.0.0`, why: 'suite golden changed', candidate: false }, { ref: `${ID}@1.1.0`, why: 'suite golden changed', candidate: true }], coveringSuites: [], editedVersions: [], renamed: [], deletedVersions: [], sameContent: [], deleted: [], configChanged: false, nothingChanged: false },
    lint: { files: 1, errors: 0, warnings: 0, problems: [] },
    notEvaluated: [],
    report,
    diffs: [],
    informational: [],
    noBaseline: [],
    revised: [],
    verdict: 'passed',
    exitCode: 0,
  };
}

describe('ci --html beside a failed run that gates nothing', () => {
  it('says in a note which run did not pass and why it fails no pull request, as the Markdown says it', async () => {
    const r = passedWithOlderFailing();
    expect(ciMarkdown(r)).toContain('1 suite run shown for comparison did not pass (not gating)');
    const { html } = await ciFormats(true);
    const page = html!({ title: 't', generatedAt: '2026-01-01T00:00:02.000Z', promptctlVersion: 'test', outcomes: r.report!.runs, expectations: () => [], messageTemplates: () => undefined, history: [], notes: [] }, r);
    expect(page).toContain('✅ promptctl ci passed');
    expect(page).toContain(`<li>not gating: ${ID}@1.0.0 golden did not pass (failed): an older version the changed suite re-evaluates; only the candidates gate</li>`);
    expect(page).not.toContain(`not gating: ${ID}@1.1.0`);
  });
});
