import { UnavailableError } from '../../core/errors.js';
import type { SampleDigests } from '../../core/sample-digest.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Registry, TestedMark } from '../registry/types.js';
import { completeRuns, type SuiteTarget } from './counting-run.js';

/**
 * Runs carry no signature: whoever can write the database can insert one dated after every other,
 * every sample passing, and as "the newest finished run" it would count. In a project that signs
 * tested marks, what vouches for a run is a signed mark that names it, with the fingerprints of its
 * samples (core/sample-digest.ts). The gates (gate-run-facts.ts) and the marks eval signs
 * (marks.ts) read a suite's runs through here.
 */

type MarkEntry = TestedMark['suites'][number];

export interface SuiteRuns {
  /** The newest run that could count (`countingRun`): what a project without signed marks counts. */
  newest?: RunRecord;
  /** The run the signed mark names for the suite, where it could still count; its samples have the fingerprints the mark recorded. */
  marked?: RunRecord;
  /**
   * `newest` is `marked`, or holds the same samples (a re-run answered wholly from the cache
   * reproduces the mark's evidence and writes no new mark): nothing newer that no mark vouches for.
   */
  vouched?: true;
}

/** A suite's newest run, and the run the signed `mark` names, checked against its fingerprints (exit 3 when they differ). */
export async function suiteRuns(registry: Registry, t: SuiteTarget, mark: TestedMark | undefined): Promise<SuiteRuns> {
  const runs = await completeRuns(registry, t);
  const newest = runs.at(-1);
  const entry = mark?.suites.find((e) => e.suite === t.suite);
  const marked = entry && runs.find((r) => r.id === entry.runId);
  if (!mark || !entry || !marked || !newest) return newest ? { newest } : {};
  await requireMarkedSamples(registry, mark, entry);
  const vouched = newest === marked || (entry.samples !== undefined && sameFingerprints(await registry.sampleDigests(newest.id), entry));
  return { newest, marked, ...(vouched ? { vouched: true as const } : {}) };
}

/**
 * The samples of a run a signed mark names still have the fingerprints it recorded (marks from
 * before fingerprints have none to check). Otherwise the database was written under the mark, and
 * what would be counted from the run is not what was evaluated: exit 3, as `audit verify` breaks.
 */
export async function requireMarkedSamples(registry: Registry, mark: TestedMark, entry: MarkEntry): Promise<void> {
  if (entry.samples === undefined || sameFingerprints(await registry.sampleDigests(entry.runId), entry)) return;
  const event = mark.event ? ` #${mark.event.seq}` : '';
  throw new UnavailableError({
    message: `the registry's runs do not match the signed mark: the samples of run ${entry.runId.slice(0, 8)} (suite '${entry.suite}'), which tested mark${event} of ${mark.promptId}@${mark.version} rests on, were changed, added or deleted after the mark was earned`,
    why: 'a signed mark vouches for its runs through the fingerprints of their samples; runs themselves are not signed, so samples that no longer match were written into the database by hand, and the gates would count something that was not evaluated.',
    hint: 'run `promptctl audit verify` to see the break, then restore the registry from a backup and find out who changed it.',
  });
}

function sameFingerprints(d: SampleDigests, entry: MarkEntry): boolean {
  return d.samples === entry.samples && (entry.outputs === undefined || d.outputs === entry.outputs);
}

/**
 * Whether an eval that signs marks may sign one over `run`, the suite's counting run: a run this
 * eval recorded (`ranHere`), or the run the signed mark that counts (`held`) names or holds the
 * same samples as, checked against its fingerprints. Never a run it merely found in the table.
 */
export async function vouchedForMark(registry: Registry, t: SuiteTarget, run: RunRecord, ranHere: boolean, held: () => Promise<TestedMark | undefined>): Promise<boolean> {
  if (ranHere) return true;
  const { newest, vouched } = await suiteRuns(registry, t, await held());
  return newest?.id === run.id && vouched === true;
}
