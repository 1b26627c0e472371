import type { DeployGateInput, GateCheck } from './gate-types.js';

/**
 * The `tested` gate: a tested mark bound to the version's content and the model, and, for a mark
 * earned by runs, every suite that applies now still passing on its current content.
 */

const short = (hash: string): string => hash.slice(0, 12);

type StaleSuite = { suite: string; why: 'failed' | 'has no run of its current content' };
function staleSuites(input: DeployGateInput): StaleSuite[] {
  return (input.applicableSuites ?? []).flatMap((suite): StaleSuite[] => {
    const run = input.suiteRuns.find((r) => r.suite === suite);
    if (!run) return [{ suite, why: 'has no run of its current content' }];
    return run.passed === false ? [{ suite, why: 'failed' }] : [];
  });
}

export function testedCheck(input: DeployGateInput): GateCheck {
  const { testedMark: mark, model, version, promptId } = input;
  const rerun = `run \`promptctl eval ${promptId}@${version}\``;
  let ok = true;
  let message: string;
  const failedSuites = input.suiteRuns.filter((r) => r.passed === false).map((r) => `'${r.suite}'`);
  if (!mark && failedSuites.length > 0) {
    // It was evaluated and failed: running eval again would only repeat that.
    ok = false;
    message = `${version} is not tested on ${model}: its latest run of suite ${failedSuites.join(', ')} failed; fix the prompt in a new version (\`promptctl new ${promptId}\`)`;
  } else if (!mark) {
    ok = false;
    message = `${version} has not been tested on ${model}: ${rerun}`;
  } else if (mark.model !== model) {
    ok = false;
    message = `${version} was tested on model ${mark.model}, not on the configured ${model}: ${rerun} on ${model}`;
  } else if (mark.contentHash !== input.currentHash) {
    ok = false;
    message = `${version} was tested with different content (hash ${short(mark.contentHash)}, file now ${short(input.currentHash)}): ${rerun}`;
  } else if (mark.source === 'run' && staleSuites(input).length > 0) {
    const stale = staleSuites(input);
    ok = false;
    message =
      `${version} was tested on ${model}, but not on the current suites: ${stale.map((x) => `'${x.suite}' ${x.why}`).join(', ')}; ` +
      (stale.some((x) => x.why === 'failed') ? `fix the prompt in a new version (\`promptctl new ${promptId}\`)` : rerun);
  } else {
    message = `${version} is tested on ${model}${mark.source === 'override' ? ' (by a recorded override)' : ''}`;
  }
  if (!input.policy.requires_tested) {
    return { id: 'tested', ok: true, message: ok ? message : `not required here: ${message}`, overridable: true };
  }
  const needsNewVersion = !ok && failedSuites.length > 0 && (!mark || mark.source === 'run');
  return { id: 'tested', ok, message, overridable: true, ...(needsNewVersion ? { needsNewVersion: true } : {}) };
}

