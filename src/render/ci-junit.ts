import type { CiResult } from '../core/ci/result.js';
import { formatCiProblem, lintedFiles } from '../core/ci/checks.js';
import { isCandidate, notGatingRun } from './ci-gating.js';
import { baselineCases, toJUnitXml } from './junit.js';
import { modelUpgradeCases } from './model-upgrade-text.js';
import { stopSuite } from './stop-report.js';

/** ci's JUnit: a `lint` suite (one case per linted file), a `gate` suite, an error's own suite, and each run's cases. */

export function ciJUnit(r: CiResult): string {
  const byFile = new Map<string, string[]>();
  for (const f of lintedFiles(r.plan, r.lint.problems)) byFile.set(f, []);
  for (const p of r.lint.problems) if (p.severity === 'error') byFile.get(p.file)!.push(formatCiProblem(r.plan, p));
  const lint = {
    name: 'lint',
    cases: [...byFile.entries()].map(([file, errs]) => ({ classname: 'lint', name: file, failure: errs.length ? errs.join('\n') : undefined })),
  };
  const candidate = isCandidate(r);
  const gate = {
    name: 'gate',
    cases: [
      ...r.notEvaluated.map((e) => ({ classname: 'gate', name: e.ref, failure: e.why })),
      ...modelUpgradeCases(r),
      ...(r.policy ?? []).map((p) => ({ classname: 'gate', name: `${p.ref} gates of ${p.env}`, failure: p.failures.join('\n') })),
      ...baselineCases(r.report?.baselines ?? [], candidate, r.merge ?? r.report?.merge),
    ],
  };
  return toJUnitXml(r.report, [lint, ...(gate.cases.length ? [gate] : []), ...(r.error ? [stopSuite('ci', r.error, { checkedNothing: r.headOnBase })] : [])], { name: 'promptctl ci', notGating: notGatingRun(r) });
}
