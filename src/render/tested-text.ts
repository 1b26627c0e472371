import type { GateCheck } from '../core/gate-check.js';
import { evalCommand, quoted } from './eval-advice.js';

/** The sentence of the `tested` gate check: what its mark holds, or why it does not, and what renews it. */

const short = (hash: string): string => hash.slice(0, 12);

export function testedMessage(c: Extract<GateCheck, { kind: 'tested' }>): string {
  const rerun = `run \`${evalCommand(c, c.version)}\``;
  // A draft (never deployed) may still change: its file is where the fix goes.
  const newVersion = c.draft ? `fix the prompt in ${c.file ?? 'its file'} (a draft until its first deploy) and evaluate it again` : `fix the prompt in a new version (\`promptctl new ${c.promptId}\`)`;
  let message: string;
  switch (c.state) {
    case 'tested':
      return `${c.version} is tested on ${c.model}${c.byOverride ? ' (by a recorded override)' : ''}`;
    case 'failed':
      message = `${c.version} is not tested on ${c.model}: its latest run of suite ${quoted(c.failedSuites)} failed; ${newVersion}`;
      break;
    case 'untested':
      message = `${c.version} has not been tested on ${c.model}: ${rerun}`;
      break;
    case 'other-model':
      message = `${c.version} was tested on model ${c.markModel}, not on the configured ${c.model}: ${rerun} on ${c.model}`;
      break;
    case 'other-content':
      message = `${c.version} was tested with different content (hash ${short(c.markHash)}, file now ${short(c.currentHash)}): ${rerun}`;
      break;
    case 'other-weights':
      // --no-cache: a cached re-run would judge the old weights' answers again.
      message = `${c.model} now serves other weights (root ${c.currentRoot}; the mark was earned on ${c.earnedRoot}): evaluate it again on them: run \`${evalCommand(c, c.version, ' --no-cache')}\``;
      break;
    case 'stale-suites': {
      const why = (x: { why: 'failed' | 'incomplete' | 'no-current-run' }): string =>
        x.why === 'failed' ? 'failed' : x.why === 'incomplete' ? 'is incomplete (server errors decided its latest run, or cases did not run)' : 'has no run of its current content and settings';
      message =
        `${c.version} was tested on ${c.model}, but not on the current suites: ${c.stale.map((x) => `'${x.suite}' ${why(x)}`).join(', ')}; ` +
        (c.stale.some((x) => x.why === 'failed') ? newVersion : rerun);
    }
  }
  return c.required ? message : `not required here: ${message}`;
}
