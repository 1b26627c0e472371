import { GateError } from '../../../core/errors.js';
import type { Row } from '../sqlite-export.js';
import type { LeftLocalVersion } from '../push-outcome.js';
import { comparable, insertRows, type ColumnTypes, type Copied } from './import.js';
import { leftLocalVersion, refOf, targetVersions, type TargetVersions } from './left-local.js';
import { inTransaction, rows, type Session } from './session.js';
import { appendAll } from '../../../core/append.js';

/**
 * Versions and runs pushed from a local registry, merged by content: what is already there is
 * counted, what is new is inserted, and the same key with other content is refused (exit 1) naming
 * it. Three exceptions follow how records legitimately move on: a draft superseded locally after an
 * earlier push takes its new content (the supersede event follows with the log), a local draft the
 * target holds with other content stays local (left-local.ts), and a run pushed while unfinished is
 * completed by a later push of the same run finished.
 */

const VERSION_FIELDS = ['content_hash', 'content', 'description', 'author', 'created_at'];

export interface VersionsCopied {
  copied: Copied;
  /** Local drafts the target holds with other content, by ref: not written (left-local.ts). */
  leftLocal: Map<string, LeftLocalVersion>;
}

export async function importVersions(s: Session, types: ColumnTypes, columns: string[], versions: Row[], superseded: Row[], localReleased: Set<string>): Promise<VersionsCopied> {
  return inTransaction(s, async (tx) => {
    const target = await targetVersions(tx);
    const { fresh, replace, already, leftLocal } = sortVersions(versions, target, superseded, localReleased, tx.where);
    for (const v of replace) {
      await tx.client.query(
        `UPDATE prompt_versions SET ${VERSION_FIELDS.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE prompt_id = $${VERSION_FIELDS.length + 1} AND version = $${VERSION_FIELDS.length + 2}`,
        [...VERSION_FIELDS.map((c) => v[c]), v.prompt_id, v.version],
      );
    }
    const pushed = (await insertRows(tx, 'prompt_versions', columns, types, fresh)) + replace.length;
    return { copied: { pushed, already: already + fresh.length - (pushed - replace.length) }, leftLocal };
  });
}

interface SortedVersions {
  fresh: Row[];
  replace: Row[];
  already: number;
  leftLocal: Map<string, LeftLocalVersion>;
}

/** What happens to each local version: new there, there already, a draft superseded here after an earlier push, left local, or refused. */
export function sortVersions(versions: Row[], target: TargetVersions, superseded: Row[], localReleased: Set<string>, where: string): SortedVersions {
  const localSuperseded = new Set(superseded.map((r) => `${refOf(r)}#${r.content_hash}`));
  const out: SortedVersions = { fresh: [], replace: [], already: 0, leftLocal: new Map() };
  for (const v of versions) {
    const ref = refOf(v);
    const there = target.hashes.get(ref);
    if (there === undefined) out.fresh.push(v);
    else if (there === v.content_hash || target.superseded.has(`${ref}#${v.content_hash}`)) out.already++;
    // Superseded here after an earlier push: a draft no environment event names there.
    else if (localSuperseded.has(`${ref}#${there}`) && !target.released.has(ref)) out.replace.push(v);
    else if (!localReleased.has(ref)) out.leftLocal.set(ref, leftLocalVersion(v, target, where));
    else throw versionConflict(ref, there, String(v.content_hash), where);
  }
  return out;
}

function versionConflict(ref: string, there: string, local: string, where: string): GateError {
  const [prompt] = ref.split('@');
  return new GateError({
    message: `${ref} is registered with other content in ${where}: sha256:${there.slice(0, 12)}… there, sha256:${local.slice(0, 12)}… here, and this registry released it`,
    why: 'a registered version never changes; the two registries disagree about what was served as this version',
    hint: `compare what each registry served (\`promptctl history ${prompt}\`, with PROMPTCTL_REGISTRY_URL set for the team registry) with \`git log -p\` of the version file; keep serving the team's ${ref}, and release this content as a new version (\`promptctl new ${prompt}\`)`,
  });
}

/** A run's fields that never change once it was created (status, end and summary do). */
const RUN_PROGRESS = new Set(['status', 'ended_at', 'summary', 'written']);
const SAMPLE_KEY = (r: Row) => `${r.case_id}\u0000${r.sample}`;

export interface RunBatch {
  run: Row;
  samples: Row[];
}

export interface RunsCopied {
  runs: Copied;
  samples: Copied;
}

/** Runs with all their samples, in one transaction: a run appears on the target whole, never half. */
export function importRuns(s: Session, runCols: string[], sampleCols: string[], types: { runs: ColumnTypes; samples: ColumnTypes }, batch: RunBatch[]): Promise<RunsCopied> {
  return inTransaction(s, async (tx) => {
    const out: RunsCopied = { runs: { pushed: 0, already: 0 }, samples: { pushed: 0, already: 0 } };
    const ids = batch.map((b) => b.run.id);
    const existing = new Map((await rows<Row>(tx, 'SELECT * FROM runs WHERE id = ANY($1)', [ids])).map((r) => [String(r.id), r]));
    const theirSamples = new Map<string, Map<string, Row>>();
    if (existing.size) {
      for (const r of await rows<Row>(tx, 'SELECT * FROM samples WHERE run_id = ANY($1)', [[...existing.keys()]])) {
        const of = theirSamples.get(String(r.run_id)) ?? new Map<string, Row>();
        of.set(SAMPLE_KEY(r), r);
        theirSamples.set(String(r.run_id), of);
      }
    }
    const newRuns: Row[] = [];
    const newSamples: Row[] = [];
    for (const { run, samples } of batch) {
      const there = existing.get(String(run.id));
      if (!there) {
        newRuns.push(run);
        appendAll(newSamples, samples);
        continue;
      }
      const conflict = (why: string) => runConflict(run, why, tx.where);
      for (const c of runCols) if (!RUN_PROGRESS.has(c) && comparable(run[c]) !== comparable(there[c])) throw conflict(`its ${c} differs`);
      const theirs = theirSamples.get(String(run.id)) ?? new Map<string, Row>();
      const missing = samples.filter((sample) => !theirs.has(SAMPLE_KEY(sample)));
      const ours = new Map(samples.map((sample) => [SAMPLE_KEY(sample), sample]));
      for (const [key, sample] of theirs) {
        const mine = ours.get(key);
        if (!mine) throw conflict(`it holds sample ${sample.sample} of case ${sample.case_id}, which this registry does not`);
        if (sampleCols.some((c) => comparable(mine[c]) !== comparable(sample[c]))) throw conflict(`its sample ${sample.sample} of case ${sample.case_id} differs`);
      }
      const sameProgress = ['status', 'ended_at', 'summary'].every((c) => comparable(run[c]) === comparable(there[c]));
      if (sameProgress && missing.length === 0) {
        out.runs.already++;
        out.samples.already += samples.length;
        continue;
      }
      // Unfinished there, further along here (resumed, then finished): this push completes it.
      if (there.status === 'finished') throw conflict('it is finished there with other samples or another summary');
      appendAll(newSamples, missing);
      out.samples.already += samples.length - missing.length;
      await tx.client.query('UPDATE runs SET status = $1, ended_at = $2, summary = $3 WHERE id = $4', [run.status, run.ended_at, run.summary, run.id]);
      out.runs.pushed++;
    }
    out.runs.pushed += await insertRows(tx, 'runs', runCols, types.runs, newRuns, '');
    out.samples.pushed += await insertRows(tx, 'samples', sampleCols, types.samples, newSamples, '');
    return out;
  });
}

function runConflict(run: Row, why: string, where: string): GateError {
  return new GateError({
    message: `run ${run.id} (${run.prompt_id}@${run.version}, suite ${run.suite}) is in ${where} with other content: ${why}`,
    why: 'a run id names one run; two registries that hold it differently cannot both be right',
    hint: 'push from the registry whose run is complete, or leave this one out (its eval can be run again)',
  });
}
