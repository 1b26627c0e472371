import { randomUUID } from 'node:crypto';
import { SCORER_VERSION } from '../../src/core/scoring/version.js';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { summarizeRun } from '../../src/core/eval/aggregate.js';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { suiteSpec } from '../../src/infra/eval/stored-runs.js';
import { versionsCovered } from '../../src/core/suite-versions.js';
import { loadProject, type Project, type PromptFile, type SuiteFile } from '../../src/infra/project.js';
import { loadProjectConfig } from '../../src/infra/project-config.js';
import { versionRecordOf } from '../../src/infra/project-registry.js';
import { openSqliteStore, type SqliteStore } from '../../src/infra/registry/sqlite-store.js';
import type { AuditEvent } from '../../src/infra/registry/types.js';
import { computeEventHash } from '../../src/core/audit-chain.js';
import { toEvent, type EventRow } from '../../src/infra/registry/sqlite-rows.js';

/**
 * Registry-side helpers for end-to-end tests of deploy, rollback and the audit log. The CLI
 * helpers (runCli, makeProject, spawnCli) live in cli.ts and async-cli.ts; these reach into the
 * project's registry with the internal API to set up what a server would otherwise produce
 * (registered versions, tested marks, finished runs), and to inspect or tamper with it. They use
 * the registry's synchronous core (the code under the async `Registry`), so setup stays one line.
 */

type Registry = SqliteStore;

function openStore(path: string, readonly = false): Registry {
  return openSqliteStore(path, { date: () => new Date() }, readonly);
}

/**
 * The registry file of a project, at the path its config names. Only the config is read (as
 * `loadProject` reads it): the prompt and suite files, which this path does not depend on, would
 * cost every `readChain`, `eventCount`, `tamper` and `registryFingerprint` a whole project load.
 */
export function projectRegistryPath(root: string): string {
  const project = loadProjectConfig(root);
  return path.resolve(project.root, project.config.registry.path);
}

/** Opens the project's registry read-write with the real registry code; closes after `fn`. */
export function withProjectRegistry<T>(root: string, fn: (registry: Registry, project: Project) => T): T {
  const project = loadProject(root);
  const registry = openStore(path.resolve(project.root, project.config.registry.path));
  try {
    return fn(registry, project);
  } finally {
    registry.close();
  }
}

function findVersion(project: Project, ref: string): PromptFile {
  const [id, version] = ref.split('@');
  const file = project.prompts.find((p) => p.id === id && p.version === version);
  if (!file) throw new Error(`${ref}: no such prompt file in ${project.root}`);
  return file;
}

/**
 * Registers `<id>@<version>` with the content hash of its file and marks it tested on the
 * configured model (`server.model`), as a passing `eval` would: with a finished run (pass rate 1,
 * p95 100 ms) of every suite that applies, so deploy gates see a tested version without a server.
 * The runs are dated 2000-01-01, so any run a test adds later with addFinishedRun is the newer one.
 */
export function markTested(root: string, ...refs: string[]): void {
  markTestedWith(root, { runs: true }, ...refs);
}

/** A tested mark and nothing else: no run of any suite (gates then have no numbers). */
export function markTestedWithoutRuns(root: string, ...refs: string[]): void {
  markTestedWith(root, { runs: false }, ...refs);
}

function markTestedWith(root: string, opts: { runs: boolean }, ...refs: string[]): void {
  withProjectRegistry(root, (registry, project) => {
    registry.transaction(() => {
      for (const ref of refs) {
        const v = findVersion(project, ref);
        const registered = registry.registerVersion(versionRecordOf(v));
        if (registered.status === 'changed') throw new Error(`${ref} was registered with other content`);
        const suites = opts.runs ? project.suites.filter((s) => s.promptId === v.id && versionsCovered(s.data, [v.version]).length > 0) : [];
        const earned = suites.map((s) => {
          const runId = recordRun(registry, project, v, s, { suite: s.name, passRate: 1 }, '2000-01-01T00:00:00.000Z');
          return { suite: s.name, kind: s.data.kind, passRate: 1, runId, ...registry.sampleDigests(runId) };
        });
        registry.markTested({ promptId: v.id, version: v.version, contentHash: v.hash, model: project.config.server.model, actor: 'ci@example.com', suites: earned });
      }
    });
  });
}

/** Registers versions with their files' content, as the first eval of them does (read commands register nothing). */
export function registerFiles(root: string, ...refs: string[]): void {
  withProjectRegistry(root, (registry, project) => {
    for (const ref of refs) registry.registerVersion(versionRecordOf(findVersion(project, ref)));
  });
}

/**
 * Registers `<id>@<version>` and records a deploy of it to `env` (development by default), as
 * `deploy` would: the version is released from then on, and its file may no longer change.
 */
export function markReleased(root: string, ref: string, env = 'development'): void {
  withProjectRegistry(root, (registry, project) => {
    registry.transaction(() => {
      const v = findVersion(project, ref);
      if (registry.registerVersion(versionRecordOf(v)).status === 'changed') throw new Error(`${ref} was registered with other content`);
      registry.appendEvent({ env, promptId: v.id, version: v.version, previousVersion: null, action: 'deploy', actor: 'ci@example.com', reason: null, contentHash: v.hash });
    });
  });
}

export interface RunNumbers {
  suite: string;
  passRate: number;
  p95?: number;
  piiLeaks?: number;
  systemPromptLeaks?: number;
  /** The last this many cases' samples got a server error instead of an answer. */
  errored?: number;
}

/** A finished run of one suite of `<id>@<version>` with these numbers, as gates read them. */
export function addFinishedRun(root: string, ref: string, n: RunNumbers): string {
  return withProjectRegistry(root, (registry, project) => {
    const v = findVersion(project, ref);
    const suite = project.suites.find((s) => s.promptId === v.id && s.name === n.suite);
    if (!suite) throw new Error(`no suite '${n.suite}' for ${v.id}`);
    return recordRun(registry, project, v, suite, n, new Date().toISOString());
  });
}

function recordRun(registry: Registry, project: Project, v: PromptFile, suite: SuiteFile, n: RunNumbers, startedAt: string): string {
  const id = randomUUID();
  registry.createRun({
    id,
    invocationId: randomUUID(),
    inputsKey: randomUUID(),
    promptId: v.id,
    version: v.version,
    promptHash: v.hash,
    suite: suite.name,
    suiteKind: suite.data.kind,
    suiteHash: suite.hash,
    model: project.config.server.model,
    server: [project.config.server.base_url].flat().join(','),
    promptctlVersion: 'test',
    startedAt,
  });
  // Gates count a run from its samples, so the run gets samples that say these numbers: one per
  // case of the suite (attack cases included), the first `passRate` of them passing, every answer
  // taking p95 ms, and the first leaking samples leaking.
  const spec = suiteSpec(suite);
  const total = spec.cases.length;
  const passed = Math.round(n.passRate * total);
  const p95 = n.p95 ?? 100;
  const leaks = (i: number): SampleResult['leaks'] => {
    const l = [...(i < (n.piiLeaks ?? 0) ? ['pii' as const] : []), ...(i < (n.systemPromptLeaks ?? 0) ? ['system-prompt' as const] : [])];
    return l.length ? l : undefined;
  };
  const samples: SampleResult[] = spec.cases.map((c, i) => ({
    runId: id,
    caseId: c.id,
    sample: 0,
    verdict: i >= total - (n.errored ?? 0) ? 'error' : i < passed ? 'pass' : 'fail',
    output: 'recorded by the test',
    reasons: i < passed || i >= total - (n.errored ?? 0) ? [] : [{ expectation: 'contains', message: 'recorded as failing by the test' }],
    ...(i >= total - (n.errored ?? 0) ? { error: 'HTTP 503: recorded by the test' } : {}),
    latencyMs: p95,
    tokensIn: 10,
    tokensOut: 10,
    cached: false,
    ...(leaks(i) ? { leaks: leaks(i) } : {}),
  }));
  registry.recordSamples(samples);
  const cases = spec.cases.map((c) => ({ ...c, repeat: 1 }));
  const { summary } = summarizeRun({ cases, samples, threshold: spec.threshold, maxErrorRate: spec.maxErrorRate, adversarial: suite.data.kind === 'adversarial' });
  // Recorded as this promptctl's eval records it: scored by the current scorer.
  registry.finishRun(id, 'finished', { ...summary, scorerVersion: SCORER_VERSION }, new Date(Date.parse(startedAt) + 1).toISOString());
  return id;
}

/**
 * The environment events (deploy, rollback, override) straight from the database (read-only), in
 * seq order; [] when there is no registry yet. The chain also holds tested marks: readChain has all.
 */
export function readEvents(root: string): AuditEvent[] {
  return readChain(root).filter((e) => e.env !== '');
}

/** Every event of the audit chain, tested marks included. */
export function readChain(root: string): AuditEvent[] {
  const file = projectRegistryPath(root);
  if (!existsSync(file)) return [];
  const registry = openStore(file, true);
  try {
    return registry.listEvents();
  } finally {
    registry.close();
  }
}

export function eventCount(root: string): number {
  return readEvents(root).length;
}

/**
 * Opens the raw database read-write, drops the append-only triggers named in
 * src/infra/registry/migrations.ts (as someone tampering by hand would), and runs `fn`.
 */
export function tamper(root: string, fn: (db: Database.Database) => void): void {
  const db = new Database(projectRegistryPath(root), { fileMustExist: true });
  try {
    db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
    fn(db);
  } finally {
    db.close();
  }
}

/**
 * The recomputing attacker: rewrites event `fromSeq` with `edit` (actor, reason, detail), and each
 * event from it on with `editLater`, then recomputes
 * its hash, every later link and the chain head, as someone with write access to the file could.
 * Only an anchored head or a signature can tell.
 */
export function recomputeChainFrom(root: string, fromSeq: number, edit: (row: EventRow) => void, editLater: (row: EventRow) => void = () => {}): void {
  tamper(root, (db) => {
    db.exec('DROP TRIGGER IF EXISTS chain_head_update; DROP TRIGGER IF EXISTS chain_head_insert;');
    const rows = db.prepare('SELECT * FROM events ORDER BY seq').all() as EventRow[];
    let prev = rows.find((r) => r.seq === fromSeq - 1)?.hash ?? '0'.repeat(64);
    for (const row of rows.filter((r) => r.seq >= fromSeq)) {
      if (row.seq === fromSeq) edit(row);
      editLater(row);
      row.prev_hash = prev;
      row.hash = computeEventHash(toEvent(row));
      db.prepare('UPDATE events SET actor = ?, reason = ?, detail = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(row.actor, row.reason, row.detail, row.prev_hash, row.hash, row.seq);
      prev = row.hash;
    }
    db.prepare('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1').run(rows.at(-1)!.seq, prev);
  });
}

/**
 * After a test rewrote samples to stand for what an older promptctl recorded (a scorer's verdicts,
 * a run from before an attack was shipped): every tested mark's fingerprints recomputed over the
 * samples as they now are, and the chain re-linked from the first mark, as that promptctl's marks
 * would hold them. Without it, the gates name the rewrite as tampering (the marks' fingerprints).
 */
export function resealMarks(root: string): void {
  type Entry = { runId: string; samples: string; outputs?: string };
  const marks = readChain(root).filter((e) => e.action === 'tested');
  if (!marks.length) return;
  const runIds = marks.flatMap((m) => (m.detail as { suites: Entry[] }).suites.map((e) => e.runId));
  const digests = withProjectRegistry(root, (r) => new Map(runIds.map((id) => [id, r.sampleDigests(id)])));
  const seqs = new Set(marks.map((m) => m.seq));
  recomputeChainFrom(root, marks[0]!.seq, () => {}, (row) => {
    if (!seqs.has(row.seq)) return;
    const detail = JSON.parse(row.detail!) as { suites: Entry[] };
    for (const e of detail.suites) Object.assign(e, { samples: digests.get(e.runId)!.samples, ...(e.outputs !== undefined ? { outputs: digests.get(e.runId)!.outputs } : {}) });
    row.detail = JSON.stringify(detail);
  });
}

/** Size, mtime and content of the registry file and its WAL, to show that nothing was written. */
export function registryFingerprint(root: string): string {
  const file = projectRegistryPath(root);
  // A read-only SQLite connection to a WAL database leaves an empty -wal (and a -shm) behind; that
  // is SQLite's bookkeeping, not a write. What counts: the database file and any WAL content.
  const main = existsSync(file) ? `${statSync(file).size} ${statSync(file).mtimeMs} ${readFileSync(file).toString('base64')}` : 'none';
  const wal = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).toString('base64') : '';
  return `db: ${main}\nwal: ${wal || 'empty'}`;
}

/** Edits `.promptrc.yaml`: `patch` receives the parsed config and changes it in place. */
export function patchConfig(root: string, patch: (config: any) => void): void {
  const rc = path.join(root, '.promptrc.yaml');
  const config = parseYaml(readFileSync(rc, 'utf8'));
  patch(config);
  writeFileSync(rc, stringifyYaml(config));
}

/** Changes a version file after it was registered: a new description, so the content hash changes. */
export function editVersionFile(root: string, ref: string): void {
  const [id, version] = ref.split('@');
  const file = path.join(root, 'prompts', id!, `${version}.yaml`);
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/^description: .*$/m, 'description: Quietly edited after registration.');
  if (edited === text) throw new Error(`could not edit ${file}`);
  writeFileSync(file, edited);
}
