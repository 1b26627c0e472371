// PostgreSQL against SQLite on the same registry (issue 12): 10,000 versions and 50,000 chained
// events, built by bench/registry.mjs into SQLite and copied into a throwaway PostgreSQL cluster
// with `promptctl registry push`, so both backends hold the same rows and the same audit log.
// Measured, each as a ratio PostgreSQL / SQLite:
// - `status` and `deploy --dry-run` (median wall time of whole CLI processes): target <= 2x;
// - 100,000 samples recorded through the Registry interface's recordSamples, 500 per call, fenced by
//   the run's lease as an eval writes them:
//   PostgreSQL's rate at least 50% of SQLite's;
// - `--version` with PROMPTCTL_REGISTRY_URL set against without: start-up must not change (the
//   PostgreSQL client loads only when the registry is first used); target <= 1.1x, informational
//   beside bench/startup.mjs, which holds the start-up targets.
// - the library's `{ url }` reader: the median time of one `getActive` that asks the server
//   (cacheTtlMs: 0), informational (no target): what an application's request waits per read.
// Skipped with a notice when the PostgreSQL binaries are missing.
//
// Uses dist/: build first (npm run build). Run alone with `node bench/registry-pg.mjs`.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findPostgresBin, startCluster } from '../scripts/pg-cluster.mjs';
import { buildProject } from './registry.mjs';
import { shownBeside } from './ratio.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'bin', 'promptctl.cjs');
const ID = 'support-answer';
const SAMPLES = 100_000;
const BATCH = 500;
const TARGETS = { command: 2, samples: 0.5, startup: 1.1 };

function runOnce(dir, args, env) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`promptctl ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Rounds of every command on both backends in turn, so a burst of load from other processes hits all alike. */
function measure(dir, commands, backends, runs) {
  const times = new Map();
  const out = new Map();
  for (const c of commands) for (const [b, env] of Object.entries(backends)) runOnce(dir, c.args, env); // warm-up
  for (let i = 0; i < runs; i++) {
    for (const c of commands) {
      for (const [b, env] of Object.entries(backends)) {
        const key = `${c.name}\0${b}`;
        const r = runOnce(dir, c.args, env);
        times.set(key, [...(times.get(key) ?? []), r.ms]);
        out.set(key, r.stdout);
      }
    }
  }
  const get = (name, b) => ({ medianMs: median(times.get(`${name}\0${b}`)), times: times.get(`${name}\0${b}`), stdout: out.get(`${name}\0${b}`) });
  return get;
}

/** Samples per second recorded by `registry`, in batches of BATCH, into a fresh run. */
async function sampleRate(registry, project, runId) {
  const f = project.prompts.find((p) => p.id === ID);
  const suite = project.suites.find((s) => s.promptId === ID);
  await registry.createRun({
    id: runId, invocationId: runId, inputsKey: runId, promptId: f.id, version: f.version, promptHash: f.hash,
    suite: suite.name, suiteKind: suite.data.kind, suiteHash: suite.hash, model: project.config.server.model,
    server: 'bench', promptctlVersion: 'bench', startedAt: new Date().toISOString(),
  });
  const sample = (i) => ({
    runId, caseId: `case-${String(Math.floor(i / 5)).padStart(5, '0')}`, sample: i % 5,
    verdict: i % 17 ? 'pass' : 'fail', output: `Answer ${i}: one short sentence taken from the facts, as the model gave it.`,
    reasons: i % 17 ? [] : [{ expectation: 'contains', message: 'missing "refund"', expected: 'refund' }],
    latencyMs: 20 + (i % 40), tokensIn: 120, tokensOut: 18, cached: false,
  });
  // Fenced by the run's lease, as an eval writes them.
  const fence = { holder: 'bench' };
  await registry.acquireLease(runId, fence.holder, 3_600_000);
  const t = performance.now();
  for (let i = 0; i < SAMPLES; i += BATCH) {
    await registry.recordSamples(Array.from({ length: BATCH }, (_, k) => sample(i + k)), [], fence);
  }
  const seconds = (performance.now() - t) / 1000;
  return SAMPLES / seconds;
}

/** The median ms of one getActive through `openRegistry({ url, cacheTtlMs: 0 })` (every call reads the server). */
async function readerLatency(url, password, log, reads = 2000) {
  const { openRegistry } = await import(pathToFileURL(path.join(ROOT, 'dist/index.js')).href);
  const reader = openRegistry({ url, password, cacheTtlMs: 0 });
  try {
    for (let i = 0; i < 100; i++) await reader.getActive(ID, 'staging'); // connect and warm up
    const times = [];
    for (let i = 0; i < reads; i++) {
      const t = performance.now();
      const p = await reader.getActive(ID, 'staging');
      times.push(performance.now() - t);
      if (!p || p.stale) throw new Error(`the reader answered ${p ? `stale: ${p.staleReason}` : 'nothing'}`);
    }
    const ms = median(times);
    log(`registry-pg: library reader getActive ({ url }, cacheTtlMs 0) = ${ms.toFixed(3)} ms median over ${reads} reads (informational)`);
    return { metric: 'reader getActive ms', value: ms };
  } finally {
    await reader.close();
  }
}

export async function benchRegistryPg({ log = console.log, runs = 7 } = {}) {
  const { bin, missing } = findPostgresBin();
  if (!bin) {
    log(`(skipped: ${missing})`);
    return { name: 'registry-pg', results: [] };
  }
  let cluster;
  let dir;
  const onSigint = () => {
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    cluster = await startCluster(bin);
    dir = await buildProject(log);
    const url = `postgres://${cluster.user}@${cluster.host}:${cluster.port}/postgres`;
    const pgEnv = { PROMPTCTL_REGISTRY_URL: url, PGPASSWORD: cluster.password };
    const backends = { sqlite: {}, pg: pgEnv };

    let t = performance.now();
    runOnce(dir, ['registry', 'migrate'], pgEnv);
    runOnce(dir, ['registry', 'push', '--to', url], { PGPASSWORD: cluster.password });
    log(`migrated and pushed into PostgreSQL ${cluster.port} in ${Math.round(performance.now() - t)} ms`);
    // Both chains verify and hold the same events (50,000 plus the tested marks), or the ratios would compare unlike registries.
    const verified = Object.entries(backends).map(([b, env]) => {
      const v = runOnce(dir, ['audit', 'verify'], env);
      const n = Number(/(\d+) events, hash chain intact/.exec(v.stdout)?.[1] ?? 0);
      if (n < 50_000) throw new Error(`audit verify on ${b}: ${v.stdout}`);
      return n;
    });
    if (verified[0] !== verified[1]) throw new Error(`the backends hold ${verified.join(' and ')} events`);
    log(`both audit logs verify: ${verified[0]} events each`);

    const commands = [
      { name: '--version', args: ['--version'], target: TARGETS.startup },
      { name: 'status', args: ['status'], target: TARGETS.command },
      { name: 'deploy --dry-run', args: ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], target: TARGETS.command },
    ];
    const get = measure(dir, commands, backends, runs);
    const results = [];
    for (const c of commands) {
      const s = get(c.name, 'sqlite');
      const p = get(c.name, 'pg');
      if (c.name !== '--version' && s.stdout !== p.stdout) log(`note: ${c.name} prints differently on the two backends`);
      const ratio = p.medianMs / s.medianMs;
      const pass = ratio <= c.target;
      const label = c.name === '--version' ? '--version with/without PROMPTCTL_REGISTRY_URL' : `${c.name} pg/sqlite`;
      log(`registry-pg: ${label} = ${shownBeside(ratio, c.target)}x (target <= ${c.target}x) ${pass ? 'PASS' : 'FAIL'}  [median ${p.medianMs.toFixed(0)} ms vs ${s.medianMs.toFixed(0)} ms]`);
      results.push({ metric: label, ratio, target: c.target, pass, pgMs: p.medianMs, sqliteMs: s.medianMs });
    }

    results.push(await readerLatency(url, cluster.password, log));

    const { loadProject } = await import(pathToFileURL(path.join(ROOT, 'dist/infra/project.js')).href);
    const { openProjectRegistry } = await import(pathToFileURL(path.join(ROOT, 'dist/infra/project-registry.js')).href);
    const project = loadProject(dir);
    const rates = {};
    for (const [b, env] of Object.entries(backends)) {
      const registry = openProjectRegistry(project, { env: { ...env } });
      try {
        rates[b] = await sampleRate(registry, project, `bench-samples-${b}`);
      } finally {
        await registry.close();
      }
    }
    const ratio = rates.pg / rates.sqlite;
    const pass = ratio >= TARGETS.samples;
    log(
      `registry-pg: recordSamples rate pg/sqlite = ${(ratio * 100).toFixed(0)}% (target >= ${TARGETS.samples * 100}%) ${pass ? 'PASS' : 'FAIL'}` +
        `  [${SAMPLES} samples, ${BATCH} per call: ${Math.round(rates.pg)}/s vs ${Math.round(rates.sqlite)}/s]`,
    );
    results.push({ metric: 'recordSamples pg/sqlite', ratio, target: TARGETS.samples, pass, pgPerSecond: rates.pg, sqlitePerSecond: rates.sqlite });
    return { name: 'registry-pg', results };
  } finally {
    process.removeListener('SIGINT', onSigint);
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = await benchRegistryPg();
  process.exitCode = out.results.every((r) => r.pass !== false) ? 0 : 1;
}
