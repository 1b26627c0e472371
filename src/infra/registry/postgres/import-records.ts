import { GateError } from '../../../core/errors.js';
import type { Row } from '../sqlite-export.js';
import { comparable, insertRows, type ColumnTypes, type Copied } from './import.js';
import { inTransaction, rows, type Session } from './session.js';

/**
 * Versions and runs pushed from a local registry, merged by content: what is already there is
 * counted, what is new is inserted, and the same key with other content is refused (exit 1) naming
 * it. Two exceptions follow how records legitimately move on: a draft superseded locally after an
 * earlier push takes its new content (the supersede event follows with the log), and a run pushed
 * while unfinished is completed by a later push of the same run finished.
 */

const VERSION_FIELDS = ['content_hash', 'content', 'description', 'author', 'created_at'];

export async function importVersions(s: Session, types: ColumnTypes, columns: string[], versions: Row[], superseded: Row[]): Promise<Copied> {
  return inTransaction(s, async (tx) => {
    const target = new Map((await rows<Row>(tx, 'SELECT prompt_id, version, content_hash FROM prompt_versions')).map((r) => [`${r.prompt_id}@${r.version}`, String(r.content_hash)]));
    const targetSuperseded = new Set((await rows<Row>(tx, 'SELECT prompt_id, version, content_hash FROM superseded_versions')).map((r) => `${r.prompt_id}@${r.version}#${r.content_hash}`));
    const localSuperseded = new Set(superseded.map((r) => `${r.prompt_id}@${r.version}#${r.content_hash}`));
    const fresh: Row[] = [];
    const replace: Row[] = [];
    let already = 0;
    for (const v of versions) {
      const ref = `${v.prompt_id}@${v.version}`;
      const there = target.get(ref);
      if (there === undefined) fresh.push(v);
      else if (there === v.content_hash || targetSuperseded.has(`${ref}#${v.content_hash}`)) already++;
      // Superseded here after an earlier push: a draft no environment event names (checked below).
      else if (localSuperseded.has(`${ref}#${there}`)) replace.push(v);
      else throw versionConflict(ref, there, String(v.content_hash), tx.where);
    }
    for (const v of replace) {
      const [named] = await rows(tx, `SELECT 1 FROM events WHERE prompt_id = $1 AND version = $2 AND env <> '' LIMIT 1`, [v.prompt_id, v.version]);
      if (named) throw versionConflict(`${v.prompt_id}@${v.version}`, target.get(`${v.prompt_id}@${v.version}`)!, String(v.content_hash), tx.where);
      await tx.client.query(
        `UPDATE prompt_versions SET ${VERSION_FIELDS.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE prompt_id = $${VERSION_FIELDS.length + 1} AND version = $${VERSION_FIELDS.length + 2}`,
        [...VERSION_FIELDS.map((c) => v[c]), v.prompt_id, v.version],
      );
    }
    const pushed = (await insertRows(tx, 'prompt_versions', columns, types, fresh)) + replace.length;
    return { pushed, already: already + fresh.length - (pushed - replace.length) };
  });
}

function versionConflict(ref: string, there: string, local: string, where: string): GateError {
  return new GateError({
    message: `${ref} is registered with other content in ${where}: sha256:${there.slice(0, 12)}… there, sha256:${local.slice(0, 12)}… here`,
    why: 'a registered version never changes; the two registries disagree about what this version is',
    hint: 'find which content is right (promptctl show, git log of the version file); release the other content as a new version (promptctl new)',
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
        newSamples.push(...samples);
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
      newSamples.push(...missing);
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
