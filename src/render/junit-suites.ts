import type { EvalReport, ShardMerge } from '../core/schemas/report.js';
import { attrs, xmlText } from './junit-xml.js';
import { incompleteHint, missingShardText } from './shard-text.js';
import { counted } from './text.js';

/** The JUnit suites that are not eval runs: `ci`'s lint and gate, a merge's missing shards, a baseline comparison. */

/** A suite that is not an eval run, e.g. `promptctl ci`'s lint results: one case per file. */
export interface ExtraSuite {
  name: string;
  /**
   * `error`: something kept the check from running (an unreachable server), an <error> rather than a <failure>.
   * `skipped`: nothing was checked (nothing deployed to compare with), a <skipped message> rather than a pass.
   */
  cases: Array<{ classname: string; name: string; failure?: string; error?: string; skipped?: string }>;
}

export function extraSuite(s: ExtraSuite): { xml: string; tests: number; failures: number; errors: number; skipped: number } {
  const failures = s.cases.filter((c) => c.failure !== undefined && c.error === undefined).length;
  const errors = s.cases.filter((c) => c.error !== undefined).length;
  const skipped = s.cases.filter((c) => c.skipped !== undefined && c.failure === undefined && c.error === undefined).length;
  const cases = s.cases
    .map((c) => {
      const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: '0' })}`;
      const [tag, text] = c.error !== undefined ? ['error', c.error] : ['failure', c.failure];
      if (text === undefined && c.skipped !== undefined) return `${open}>\n      <skipped${attrs({ message: c.skipped })}/>\n    </testcase>\n`;
      if (text === undefined) return `${open}/>\n`;
      const first = text.split('\n')[0] ?? '';
      return `${open}>\n      <${tag}${attrs({ message: first })}>${xmlText(text)}</${tag}>\n    </testcase>\n`;
    })
    .join('');
  const xml = `  <testsuite${attrs({ name: s.name, tests: s.cases.length, failures, errors, skipped, time: '0' })}>\n${cases}  </testsuite>\n`;
  return { xml, tests: s.cases.length, failures, errors, skipped };
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
 * are not its candidates). A case where nothing was compared is <skipped> with why, never a pass: a
 * CI test view counts a bare case as a passed gate (nothing deployed, no comparable run, a
 * regression that does not gate, or a merge missing shards: `incomplete`).
 */
export function baselineCases(baselines: EvalReport['baselines'], counts: (b: EvalReport['baselines'][number]) => boolean = () => true, incomplete?: ShardMerge): ExtraSuite['cases'] {
  return baselines.flatMap((b) =>
    b.suites.map((s) => {
      const gates = s.regressions.length > 0 && counts(b);
      return {
        classname: `gate.${b.promptId}`,
        // The evaluated version is in the name: two versions re-evaluated by one suite change are two cases.
        name: `${b.promptId}@${b.version} ${s.suite} vs ${b.env} (${b.baselineVersion ?? 'nothing deployed'})`,
        failure: gates ? s.regressions.join('\n') : undefined,
        skipped: gates ? undefined : notCompared(b, s, incomplete),
      };
    }),
  );
}

type Compared = EvalReport['baselines'][number];

/** Why a gate case checked nothing; undefined when it compared and passed. */
function notCompared(b: Compared, s: Compared['suites'][number], incomplete: ShardMerge | undefined): string | undefined {
  if (b.baselineVersion === null) return `nothing deployed in ${b.env}: regressions not checked`;
  if (s.baselinePassRate === null) return `no comparable run of ${s.suite} by ${b.promptId}@${b.baselineVersion}: not compared${s.warnings?.length ? ` (${s.warnings[0]})` : ''}`;
  if (s.regressions.length) return `not gating (not a version this gate judges): ${s.regressions[0]}`;
  if (incomplete?.missing.length) return `merge incomplete: ${counted(incomplete.missing.length, 'shard')} missing, so this comparison covers only the cases of the shards that finished`;
  return undefined;
}
