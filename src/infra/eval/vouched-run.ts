import { UnavailableError } from '../../core/errors.js';
import type { SampleDigests } from '../../core/sample-digest.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { SigningConfig } from '../../core/schemas/signing-config.js';
import type { Registry, TestedMark } from '../registry/types.js';
import { testedMarkThatCounts } from '../signing.js';
import { completeRuns, countingRun, type SuiteTarget } from './counting-run.js';

/**
 * Runs carry no signature: whoever can write the database can insert one dated after every other,
 * every sample passing, and as "the newest finished run" it would count. In a project that signs
 * tested marks, what vouches for a run is a signed mark that names it, with the fingerprints of its
 * samples (core/sample-digest.ts). The gates (gate-run-facts.ts), `compare`, `report`, `status`
 * (`runThatCounts`) and the marks eval signs (marks.ts) read a suite's runs through here.
 */

/**
 * In a project that signs tested marks: the version's mark that counts (none: no run is vouched
 * for), and which side of a comparison the version is on: the deployed version's mark, where it
 * names a run, is its baseline (anything else could move it).
 */
export type Vouching = { mark: TestedMark | undefined; side: 'candidate' | 'baseline' };

/**
 * The `Vouching` for a version's runs on `model` where the project signs marks (undefined where it
 * does not: the newest run counts). `log: false`: a reader's question; the gates and `status`
 * check the log after the mark themselves.
 */
export async function vouchingFor(registry: Registry, signing: SigningConfig, t: Pick<SuiteTarget, 'promptId' | 'version' | 'promptHash' | 'model'>, side: Vouching['side'] = 'candidate'): Promise<Vouching | undefined> {
  if (!signing.evaluator.length) return undefined;
  return { mark: await testedMarkThatCounts(registry, signing, t.promptId, t.version, t.promptHash, t.model, { log: false }), side };
}

/**
 * The run of a suite that counts for a version, the one rule for every reader: `countingRun`
 * without `vouching`; with it, the newest run counts only when the signed mark names it (or it
 * holds the same samples), else the marked run counts (none without a mark) and the newest is
 * returned as `unvouched`. Ignored, not refused: an eval whose other suite was incomplete, or one
 * still running, leaves a newer run without a mark, and the marked run still proves what the mark
 * says. A newer run that fails (`passes`, judged from its samples) counts for a candidate: it can
 * only refuse, and it says why a failed eval left no mark.
 */
export async function runThatCounts(registry: Registry, t: SuiteTarget, vouching: Vouching | undefined, passes: (run: RunRecord) => Promise<boolean>): Promise<{ run?: RunRecord; unvouched?: RunRecord }> {
  const only = (run: RunRecord | undefined) => (run ? { run } : {});
  if (!vouching) return only(await countingRun(registry, t));
  const { newest, marked, vouched } = await suiteRuns(registry, t, vouching.mark);
  if (!newest || vouched || vouching.side === 'baseline') return only(marked ?? newest);
  if (newest.summary && !(await passes(newest))) return { run: newest };
  return { ...only(marked), unvouched: newest };
}

type MarkEntry = TestedMark['suites'][number];

interface SuiteRuns {
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
async function suiteRuns(registry: Registry, t: SuiteTarget, mark: TestedMark | undefined): Promise<SuiteRuns> {
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
 * The samples of a run a mark names still have the fingerprints it recorded (marks from before
 * fingerprints have none to check). Otherwise the database was written under the mark, and what
 * would be counted from the run is not what was evaluated: exit 3, as `audit verify` breaks. Signed
 * marks vouch for their runs this way; an unsigned mark's fingerprints are checked by the gates
 * too (`requireMarkedRun`), in words that claim no signature.
 */
async function requireMarkedSamples(registry: Registry, mark: TestedMark, entry: MarkEntry, signed = true): Promise<void> {
  if (entry.samples === undefined || sameFingerprints(await registry.sampleDigests(entry.runId), entry)) return;
  const event = mark.event ? ` #${mark.event.seq}` : '';
  const vouches = signed ? 'a signed mark vouches for its runs through the fingerprints of their samples; runs themselves are not signed' : "a tested mark records the fingerprints of its runs' samples";
  throw new UnavailableError({
    message: `the registry's runs do not match the ${signed ? 'signed' : 'tested'} mark: the samples of run ${entry.runId.slice(0, 8)} (suite '${entry.suite}'), which tested mark${event} of ${mark.promptId}@${mark.version} rests on, were changed, added or deleted after the mark was earned`,
    why: `${vouches}, so samples that no longer match were written into the database by hand, and the gates would count something that was not evaluated.`,
    hint: 'run `promptctl audit verify` to see the break, then restore the registry from a backup and find out who changed it.',
  });
}

/** Where marks are not signed: the counting `run`, when `mark` names it, still has the samples the mark recorded (else exit 3). */
export async function requireMarkedRun(registry: Registry, mark: TestedMark, run: RunRecord): Promise<void> {
  const entry = mark.suites.find((e) => e.runId === run.id);
  if (entry) await requireMarkedSamples(registry, mark, entry, false);
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
