import { escapeControlChars } from '../core/control-chars.js';
import { suiteFileIn, versionFileIn } from '../core/refs.js';
import type { CiResult } from '../core/ci/result.js';
import type { Problem } from '../core/errors.js';
import { percentsAtMinimum } from '../core/threshold-format.js';
import { gatingComparisons, notGatingRun } from './ci-gating.js';
import { runStats, versionLabel } from './run-stats.js';
import { refusedUpgradeText } from './model-upgrade-text.js';
import { auditUnverifiedNote } from './ci-summary.js';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`) for `ci`, printed when
 * GITHUB_ACTIONS=true (to stdout, or to stderr under `--json`: the runner reads both) so the pull request shows each lint problem on its line, each failed
 * suite on its file, and each failed gate of a candidate (a regression against the deployed
 * version, an environment's own limit), a version no suite applies to and a refused model upgrade
 * on the version's file. GitHub resolves `file=` against the
 * repository's root, so a project in a sub-folder has its path put before each file (`repositoryPath`).
 */

// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: the escapes. A line
// break is GitHub's own `%0A` (a break inside the one annotation, never a second command); every
// other control character is shown escaped (`\e`, `\x07`), so text from project files, which a
// pull request writes, cannot carry a terminal escape into the log.
const data = (s: string) => escapeControlChars(s, '\r\n').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(level: 'error' | 'warning', props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${property(String(v))}`)
    .join(',');
  return `::${level}${list ? ` ${list}` : ''}::${data(message)}`;
}

function problemLine(p: Problem, inRepo: (file: string) => string): string {
  const where = p.field ? `${p.field}: ` : '';
  return command(p.severity === 'warning' ? 'warning' : 'error', { file: inRepo(p.file), line: p.line || undefined, col: p.col || undefined, title: p.rule ? `promptctl ${p.rule}` : 'promptctl' }, `${where}${p.message}`);
}

export function githubAnnotations(r: CiResult): string[] {
  const inRepo = (file: string) => `${r.repositoryPath ?? ''}${file}`;
  const at = (file: string | undefined) => (file === undefined ? undefined : inRepo(file));
  const lines = r.lint.problems.map((p) => problemLine(p, inRepo));
  const seen = new Set(lines);
  for (const p of r.error?.problems ?? []) {
    const line = problemLine(p, inRepo);
    if (!seen.has(line)) lines.push(line);
  }
  // Only what fails the gate is an error on the pull request. A shard job judges nothing (the merge
  // judges every shard's cases together, and may pass what one shard's share would fail), and a run
  // that does not gate (an older version a changed suite re-evaluates, the deployed version compared
  // with) fails nothing: JUnit marks it skipped and the text "not gating".
  const shard = r.verdict === 'shard-recorded';
  const notGating = notGatingRun(r);
  const judged = shard ? [] : (r.report?.runs ?? []).filter((o) => !notGating(o));
  for (const o of judged) {
    const s = runStats(o);
    if (s.verdict !== 'failed') continue;
    const file = suiteFileIn(r.files, o.run.promptId, o.run.suite);
    // The rate and the threshold as the tables show them: never a rate that reads as meeting it.
    const shown = percentsAtMinimum(s.passRate, o.threshold, false);
    lines.push(command('error', { file: at(file), title: 'promptctl ci: suite failed' }, `${versionLabel(o)} ${o.run.suite}: ${s.passed} of ${s.passed + s.failed + s.errored} cases passed (${shown.value}), below the threshold ${shown.limit}`));
  }
  for (const b of shard ? [] : gatingComparisons(r)) {
    const file = versionFileIn(r.files, b.promptId, String(b.version));
    for (const x of b.suites.flatMap((suite) => suite.regressions.map((text) => ({ text, unsure: suite.inconclusive?.includes(text) })))) {
      lines.push(command('error', { file: at(file), title: `promptctl ci: ${x.unsure ? 'inconclusive' : 'regression'}` }, `${b.promptId}@${b.version} vs ${b.env}@${b.baselineVersion}: ${x.text}`));
    }
  }
  for (const p of r.policy ?? []) {
    const [id = '', version = ''] = p.ref.split('@');
    for (const f of p.failures) lines.push(command('error', { file: at(versionFileIn(r.files, id, version)), title: `promptctl ci: ${p.env} gate` }, `${p.ref}: ${f}`));
  }
  // Each also fails ci (exit 1): on the version's file where ci loaded it, else a title-only error.
  const known = (ref: string) => at(r.files?.versions[ref]);
  for (const n of shard ? [] : r.notEvaluated) lines.push(command('error', { file: known(n.ref), title: 'promptctl ci: not evaluated' }, `${n.ref}: ${n.why}`));
  for (const u of (r.modelUpgrades ?? []).filter((x) => !x.allowed)) {
    lines.push(command('error', { file: known(`${u.promptId}@${u.version}`), title: `promptctl ci: ${u.from !== u.to ? 'model upgrade' : 'settings change'} refused` }, refusedUpgradeText(u)));
  }
  if (r.error && !r.error.problems.length) lines.push(command('error', { title: 'promptctl ci' }, r.error.message));
  // A warning, not an error: it fails nothing, but the pull request shows that no head was given to keep.
  const unverified = auditUnverifiedNote(r);
  if (unverified) lines.push(command('warning', { title: 'promptctl ci: audit log' }, unverified));
  return lines;
}
