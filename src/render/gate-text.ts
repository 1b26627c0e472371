import type { GateCheck } from '../core/gate-check.js';
import { baselineWordedBy } from '../core/gate-regression.js';
import type { OverrideRefusal } from '../core/gates.js';
import type { BaselineComparison, BaselineFacts } from '../core/schemas/report.js';
import { versionFileOf } from '../core/refs.js';
import { sentences } from '../core/sentences.js';
import { EDITED_AFTER_RELEASE_WHY, editedAfterReleaseHint, editedAfterReleaseMessage } from '../core/version-state.js';
import { percentsAtMinimum } from '../core/threshold-format.js';
import { latencyMessage, measureLatencyCommand, passRateDropMessage } from './comparison-text.js';
import { evalCommand, judgeChangeText, quoted, regradeAdvice, regradedClause, restoreJudge } from './eval-advice.js';
import { testedMessage } from './tested-text.js';
import { goneSuiteMessage, inconclusiveClause, incompleteLeaksClause, incompleteMinimumMessage, retiredClause } from './gate-clauses.js';

/**
 * The words for gate checks: one sentence per check, its stable id (kept in `--json` output and in
 * refusals), and the override refusal. The checks themselves carry only facts (core/gate-check.ts).
 */


/** The id earlier versions printed (`--json`): the kind, with the suite for per-suite checks. */
export function checkId(c: GateCheck): string {
  switch (c.kind) {
    case 'golden-pass-rate':
      return `golden-pass-rate:${c.suite}`;
    case 'golden-run-missing':
      return c.suite === undefined ? 'golden-pass-rate' : `golden-pass-rate:${c.suite}`;
    case 'adversarial-minimum':
      return `adversarial-pass-rate:${c.suite}`;
    case 'adversarial-run-missing':
      return c.suite === undefined ? 'adversarial-pass-rate' : `adversarial-pass-rate:${c.suite}`;
    case 'previous-environment':
      return 'previous-env';
    case 'leaks':
      return `${c.leak}-leaks`;
    case 'no-baseline':
      return 'regression';
    case 'regression-not-compared':
      return `regression-not-compared:${c.suite}`;
    case 'regression-pass-rate':
      return `regression-pass-rate:${c.suite}`;
    case 'p95-latency':
      return `regression-p95:${c.suite}`;
    case 'accountability':
      return `accountability-${c.requirement}`;
    case 'suite-missing':
      return `suite-missing:${c.suite}`;
    default:
      return c.kind;
  }
}

/** The eval that answers a failed tested or missing-run check (the refusal's hint), as its sentence names it. */
export function evalCommandOf(c: GateCheck): string | undefined {
  if (c.kind === 'golden-run-missing' || c.kind === 'adversarial-run-missing') return evalCommand(c, c.version);
  // An incomplete run's minimum or leak limit: the same eval again (a leak limit already exceeded is the prompt's to fix).
  if ((c.kind === 'golden-pass-rate' || c.kind === 'adversarial-minimum') && c.incomplete) return evalCommand(c.incomplete, c.incomplete.version);
  if (c.kind === 'leaks' && !c.ok && c.total <= c.max && c.incomplete) return evalCommand(c.incomplete, c.incomplete.version);
  if (c.kind === 'regression-not-compared' && !c.ok) return c.servedSettings ? `promptctl eval ${c.promptId}@${c.servedSettings.candidate} --baseline ${c.servedSettings.env}` : evalCommand(c, c.missing);
  // A rise seen between separate runs: the measurement that decides it.
  if (c.kind === 'p95-latency' && !c.ok && !c.measured) return measureLatencyCommand(c);
  // No suite covers it: no eval could test it (its sentence says what would).
  if (c.kind !== 'tested' || c.state === 'tested' || c.state === 'failed' || (c.state === 'untested' && c.noSuite)) return undefined;
  return evalCommand(c, c.version, c.state === 'other-weights' ? ' --no-cache' : '');
}

export function checkMessage(c: GateCheck): string {
  switch (c.kind) {
    case 'registered': {
      const ref = `${c.promptId}@${c.version}`;
      if (c.state === 'registered') return `${ref} is registered`;
      if (c.state === 'will-register') return `${ref} is not registered yet: the deploy would register it with the file's content`;
      return `${ref} is not registered: run \`promptctl eval ${ref}\` (or register it) first`;
    }
    case 'not-edited':
      return c.ok
        ? c.content === 'unregistered'
          ? `${c.promptId}@${c.version} has no registered content to compare the file with yet: the file's content is what is judged and deployed`
          : c.content === 'draft-changed'
            ? `${c.version} is a draft whose file differs from its registered content: the file's content is what is judged and deployed (the earlier content is kept with its runs)`
            : 'the file matches the registered content'
        : `${editedAfterReleaseMessage({ id: c.promptId, version: c.version, releasedIn: c.releasedIn ?? [], origin: c.origin })}: ` +
            sentences([EDITED_AFTER_RELEASE_WHY, editedAfterReleaseHint({ id: c.promptId, version: c.version, file: c.file ?? versionFileOf(c.promptId, c.version), origin: c.origin })]);
    case 'not-judged':
      return `the other gates were not checked: they would judge the edited file, not the registered ${c.version}`;
    case 'tested':
      return testedMessage(c);
    case 'previous-environment':
      if (c.previous === null) {
        return c.required
          ? `${c.env} is the first environment: there is no previous one, so requires_previous_env cannot be met (list ${c.env} after the environment it must follow in .promptrc.yaml, or remove requires_previous_env from it)`
          : `${c.env} is the first environment: there is no previous one (not required here)`;
      }
      if (c.deployed && c.byOverride) {
        const how = `as an override${c.byOverride.seq !== undefined ? ` (event #${c.byOverride.seq})` : ''}${c.byOverride.skipped.length ? `, skipping: ${c.byOverride.skipped.join('; ')}` : ''}`;
        return c.ok
          ? `${c.version} was deployed to ${c.previous} first (${how})`
          : `${c.version} reached ${c.previous} only ${how}: ${c.env} allows no override (allow_override: false), so it needs ${c.version} deployed to ${c.previous} through its gates (fix what failed there, or the fix in a new version)`;
      }
      if (c.deployed) return `${c.version} was deployed to ${c.previous} first`;
      if (c.rolledBack) {
        const was = `${c.version} was rolled back in ${c.previous}${c.rolledBack.seq !== undefined ? ` (event #${c.rolledBack.seq})` : ''}`;
        return c.required ? `${was}: ${c.env} requires it deployed in ${c.previous} and not rolled back there (deploy it to ${c.previous} again, or the fix in a new version)` : `${was} (not required here)`;
      }
      if (c.downgraded) {
        const was = `${c.version} was withdrawn from ${c.previous} by a deploy of the older ${c.downgraded.to}${c.downgraded.seq !== undefined ? ` (event #${c.downgraded.seq})` : ''}`;
        return c.required ? `${was}: ${c.env} requires it deployed in ${c.previous} and not withdrawn there (deploy it to ${c.previous} again, or the fix in a new version)` : `${was} (not required here)`;
      }
      if (c.otherSettings) {
        const was = `${c.version} was deployed to ${c.previous} only with other request settings than .promptrc.yaml's now`;
        return c.required ? `${was}: ${c.env} requires ${c.previous} first with these (deploy it to ${c.previous} again)` : `${was} (not required here)`;
      }
      if (!c.required) return `${c.version} has not been deployed to ${c.previous} (not required here)`;
      return `${c.version} has not been deployed to ${c.previous} yet: ${c.env} requires ${c.previous} first`;
    case 'golden-run-missing':
      if (c.suite !== undefined) {
        if (c.regraded) return `golden suite '${c.suite}': no finished run of ${c.version} on ${c.model} graded by the current judge (${judgeChangeText(c.regraded)}), so the ${minimumText(c.min)} minimum is not met: ${regradeAdvice(c, c.version)}`;
        return `golden suite '${c.suite}': no finished run of ${c.version} on ${c.model} with the current prompt and suite content and settings, so the ${minimumText(c.min)} minimum is not met: run \`${evalCommand(c, c.version)}\``;
      }
      if (c.retired) return `no golden suite of the project applies to ${c.version}${retiredClause(c.retired)}: the ${minimumText(c.min)} minimum is not met; add a golden suite and run \`${evalCommand(c, c.version)}\``;
      return `no finished golden run of ${c.version} on ${c.model} to check the ${minimumText(c.min)} minimum: run \`${evalCommand(c, c.version)}\``;
    case 'golden-pass-rate': {
      if (c.incomplete) return incompleteMinimumMessage('golden', c.suite, minimumText(c.min), c.incomplete);
      const shown = percentsAtMinimum(c.passRate, c.min, c.ok);
      return `golden suite '${c.suite}': pass rate ${shown.value} ${c.ok ? 'meets' : 'is below'} the minimum ${shown.limit}`;
    }
    case 'adversarial-run-missing':
      if (c.suite !== undefined && c.regraded) {
        return `adversarial suite '${c.suite}': no finished run of ${c.version} on ${c.model} graded by the current judge (${judgeChangeText(c.regraded)}): ${c.env} requires injection resistance of ${minimumText(c.min)} or more; ${regradeAdvice(c, c.version)}`;
      }
      if (c.suite !== undefined) {
        return `adversarial suite '${c.suite}': no finished run of ${c.version} on ${c.model} with the current prompt and suite content and settings: ${c.env} requires injection resistance of ${minimumText(c.min)} or more; run \`${evalCommand(c, c.version)}\``;
      }
      if (c.retired) {
        return `no adversarial suite of the project applies to ${c.version}${retiredClause(c.retired)}: ${c.env} requires injection resistance of ${minimumText(c.min)} or more; \`promptctl redteam generate ${c.promptId}\` writes an adversarial suite, then run \`${evalCommand(c, c.version)}\``;
      }
      return (
        `no finished adversarial run of ${c.version} on ${c.model} with the current prompt and suite content and settings: ${c.env} requires injection resistance of ${minimumText(c.min)} or more; ` +
        `run \`${evalCommand(c, c.version)}\` (\`promptctl redteam generate ${c.promptId}\` writes an adversarial suite if it has none)`
      );
    case 'adversarial-minimum': {
      if (c.incomplete) return incompleteMinimumMessage('adversarial', c.suite, `injection resistance ${minimumText(c.min)}, min_adversarial_pass_rate`, c.incomplete);
      const what = c.measure === 'pass-rate' ? 'pass rate (recorded before injection resistance)' : 'injection resistance';
      const shown = percentsAtMinimum(c.value, c.min, c.ok);
      return `adversarial suite '${c.suite}': ${what} ${shown.value} ${c.ok ? 'meets' : 'is below'} the minimum ${shown.limit} (min_adversarial_pass_rate)`;
    }
    case 'leaks': {
      const noun = c.leak === 'pii' ? 'PII leak' : 'system-prompt leak';
      const plural = (n: number): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
      const where = c.bySuite.map((s) => `'${s.suite}': ${s.count}`).join(', ');
      // Suites without a run are named: their leaks are unknown, not zero.
      const notMeasured = c.unmeasured
        ? `not measured in ${quoted(c.unmeasured.suites)} (no finished run of the current content and settings${regradedClause(c.unmeasured?.regraded)}: run \`${evalCommand(c.unmeasured, c.unmeasured.version)}\`)`
        : '';
      if (!c.ok && c.total > c.max) return `${plural(c.total)} found${where ? ` (${where})` : ''}, more than the limit of ${c.max}${notMeasured ? `; ${notMeasured}` : ''}`;
      // Within the limit in the attacks judged, but an incomplete run left some unjudged (gate-incomplete.ts).
      if (!c.ok && c.incomplete) return `${plural(c.total)} in the attacks judged${where ? ` (${where})` : ''} (limit ${c.max}), but ${incompleteLeaksClause(c.incomplete)}${notMeasured ? `; ${notMeasured}` : ''}`;
      if (!c.measured) {
        const run = c.unmeasured ? `: run \`${evalCommand(c.unmeasured, c.unmeasured.version)}\` for ${quoted(c.unmeasured.suites)}` : '';
        // A retired suite's run is in the registry: said as retired, never as no run.
        if (c.retired) return `${noun}s: not measured: no adversarial suite of the project ran${retiredClause(c.retired)} (limit ${c.max})${run}`;
        return `${noun}s: no adversarial run${regradedClause(c.unmeasured?.regraded)}, so not measured (limit ${c.max})${run}`;
      }
      return notMeasured ? `${plural(c.total)} in the suites that ran (limit ${c.max}); ${notMeasured}` : `${plural(c.total)} (limit ${c.max})`;
    }
    case 'no-baseline':
      return `no version deployed in ${c.env} to compare with: no regression check`;
    case 'regression-not-compared':
      if (c.why === 'errored') {
        return `${c.suiteKind} suite '${c.suite}': not compared with ${c.baselineVersion}: every one of its ${c.errored} cases errored on one side (server errors, not answers), so no case compares; evaluate the side that errored again when the server answers`;
      }
      if (c.why === 'out-of-range') {
        return `${c.suiteKind} suite '${c.suite}': not compared with ${c.baselineVersion}: the suite does not apply to ${c.missing} (its \`versions:\` range leaves it out), so there is nothing to compare`;
      }
      return (
        (c.onInconclusive ? `${c.suiteKind} suite '${c.suite}': inconclusive, ` : `${c.suiteKind} suite '${c.suite}': `) +
        (c.servedSettings
          ? `not compared with ${c.baselineVersion}: ${c.missing} has no finished run of the suite's current content under the request settings ${c.servedSettings.env} serves it with` +
            `${inconclusiveClause(c)}; run \`promptctl eval ${c.promptId}@${c.servedSettings.candidate} --baseline ${c.servedSettings.env}\` to compare`
          : c.regraded
            ? `not compared with ${c.baselineVersion}: ${c.missing} has no finished run of the suite graded by the current judge on ${c.model} (${judgeChangeText(c.regraded)})` +
              `${inconclusiveClause(c)}; run \`${evalCommand(c, c.missing)}\` to grade it with the current judge and compare, or ${restoreJudge()}`
            : `not compared with ${c.baselineVersion}: ${c.missing} has no finished run of the suite's current content and settings on ${c.model}` +
              `${inconclusiveClause(c)}; run \`${evalCommand(c, c.missing)}\` to compare`)
      );
    case 'regression-pass-rate':
      return passRateDropMessage(c);
    case 'p95-latency':
      return latencyMessage(c);
    case 'already-active':
      return `${c.version} is already active in ${c.env}: deploying it again changes nothing (no event is recorded)`;
    case 'accountability':
      return `${c.error.message}: ${c.error.why.replace(/\.$/, '')}; ${c.error.hint.replace(/\.$/, '')}`;
    case 'suite-missing':
      return goneSuiteMessage(c);
  }
}

/**
 * A check as `--json` prints it: the id and sentence of earlier versions first (same keys, same
 * order), then the kind and its facts.
 */
export function checkJson(c: GateCheck): Record<string, unknown> {
  const { ok, overridable, skipped, needsNewVersion, needsFixedDraft, ...facts } = c;
  return {
    id: checkId(c),
    ok,
    message: checkMessage(c),
    overridable,
    ...(skipped ? { skipped: true } : {}),
    ...(needsNewVersion ? { needsNewVersion: true } : {}),
    ...(needsFixedDraft ? { needsFixedDraft: true } : {}),
    ...facts,
  };
}

/** One printed line per check: `ok`, `FAIL` or `skip`, then the sentence. */
export function checkLine(c: GateCheck): string {
  return `  ${c.skipped ? 'skip' : c.warn ? 'warn' : c.ok ? 'ok  ' : 'FAIL'} ${checkMessage(c)}`;
}

/**
 * Why a refused deploy cannot be forced through. `force` is how to force it, reason included: deploy
 * names its own flags; promote, which has none, names the deploy command that does (`promoteForce`).
 */
export function overrideRefusalText(r: OverrideRefusal, force = 'pass --force --reason "..."'): string {
  if (r.reason === 'needs-reason') return `--force needs --reason "...": an override must say why, for the audit log`;
  const count = `${r.failed} gate${r.failed === 1 ? '' : 's'} failed`;
  if (r.reason === 'not-overridable') {
    const what = r.hard.map(checkId).join(', ');
    return r.forced ? `cannot be overridden (${what}): --force does not skip these checks` : `${count}; ${what} cannot be overridden`;
  }
  if (r.reason === 'policy-forbids') return `${count}; this environment's policy does not allow overrides (allow_override: false)`;
  return `${count}; to deploy anyway, ${force} (recorded in the audit log)`;
}

/** A baseline comparison as the eval report keeps it: each failed regression check as its sentence. */
export const baselineWithText: (b: BaselineFacts) => BaselineComparison = baselineWordedBy(checkMessage);

/** A configured minimum as the check with a run shows it (`percentsAtMinimum`): 0.9999 is 99.99%, never a truncated 99.9%. */
function minimumText(min: number): string {
  return percentsAtMinimum(min, min).limit;
}
