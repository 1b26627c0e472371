import type { EvalReport } from '../core/schemas/report.js';
import { attrs, xmlText } from './junit-xml.js';
import { incompleteHint, missingShardText } from './shard-text.js';

/** The JUnit suites that are not eval runs: `ci`'s lint and gate, a merge's missing shards, a baseline comparison. */

/** A suite that is not an eval run, e.g. `promptctl ci`'s lint results: one case per file. */
export interface ExtraSuite {
  name: string;
  /** `error`: something kept the check from running (an unreachable server), an <error> rather than a <failure>. */
  cases: Array<{ classname: string; name: string; failure?: string; error?: string }>;
}

export function extraSuite(s: ExtraSuite): { xml: string; tests: number; failures: number; errors: number } {
  const failures = s.cases.filter((c) => c.failure !== undefined && c.error === undefined).length;
  const errors = s.cases.filter((c) => c.error !== undefined).length;
  const cases = s.cases
    .map((c) => {
      const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: '0' })}`;
      const [tag, text] = c.error !== undefined ? ['error', c.error] : ['failure', c.failure];
      if (text === undefined) return `${open}/>\n`;
      const first = text.split('\n')[0] ?? '';
      return `${open}>\n      <${tag}${attrs({ message: first })}>${xmlText(text)}</${tag}>\n    </testcase>\n`;
    })
    .join('');
  const xml = `  <testsuite${attrs({ name: s.name, tests: s.cases.length, failures, errors, skipped: 0, time: '0' })}>\n${cases}  </testsuite>\n`;
  return { xml, tests: s.cases.length, failures, errors };
}

/** One failure per shard a merge found missing, so a CI test view shows an incomplete merge as failed. */
export function missingShardsSuite(merge: EvalReport['merge']): ExtraSuite[] {
  if (!merge?.missing.length) return [];
  const cases = merge.missing.map((m) => ({ classname: 'shards', name: `${m.promptId}@${m.version} ${m.suite} shard ${m.shard ?? '?'}`, failure: `${missingShardText(m, merge.invocation)}\n${incompleteHint(merge)}` }));
  return [{ name: 'shards', cases }];
}

/**
 * One case per suite compared with a deployed version, failed by the regressions that fail the gate
 * (`counts`: whether a comparison's version is one the gate judges; `ci` leaves out versions that
 * are not its candidates).
 */
export function baselineCases(baselines: EvalReport['baselines'], counts: (b: EvalReport['baselines'][number]) => boolean = () => true): ExtraSuite['cases'] {
  return baselines.flatMap((b) =>
    b.suites.map((s) => ({
      classname: `gate.${b.promptId}`,
      // The evaluated version is in the name: two versions re-evaluated by one suite change are two cases.
      name: `${b.promptId}@${b.version} ${s.suite} vs ${b.env} (${b.baselineVersion ?? 'nothing deployed'})`,
      failure: s.regressions.length && counts(b) ? s.regressions.join('\n') : undefined,
    })),
  );
}
