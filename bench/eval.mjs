// Eval runner benchmarks against the in-process vLLM simulator, in one run:
//  (a) overhead: `promptctl eval` of 2,000 cases at concurrency 32 (zero latency) against a bare
//      loop sending the same 2,000 chat requests through the openai SDK at concurrency 32.
//      Target: at most 1.3x.
//  (b) memory: 100,000 cases (100 suite files of 1,000 cases; a file is limited to 1 MiB).
//      Target: peak RSS of the promptctl process at most 250 MB.
//  (c) throughput: 50 ms simulated latency at concurrency 64. Target: at least 90% of the ideal
//      64 / 0.05 s = 1,280 requests per second.
//  (d) fixed cost: of a 2,000-case eval, the time outside request work, seen from the simulator:
//      process spawn to the first chat request arriving, plus the last answer sent to exit.
//      Target: under 0.3 s.
//  (e) a fully cached re-run of 2,000 cases: no request reaches the server. Target: at most 0.4 s wall.
//  (f) memory of one suite whose 100,000 cases come from a JSONL file (`cases_from`): one run of
//      100,000 samples, judged when it finishes. Target: peak RSS at most 250 MB.
// Speed is reported here, never asserted in tests.
//
// The simulator runs in this process, so every child is spawned asynchronously (a blocking spawn
// would leave the simulator unable to answer).
//
// Fairness of (a): the bare loop also runs as a child process (this file with --bare-loop), timed
// the same way from spawn to exit. Both pay Node start-up and loading the openai SDK, both send
// through promptctl's own fetch (http-fetch.ts: keep-alive node:http), and both talk to the same
// simulator over loopback, so the ratio shows only what promptctl adds: loading and
// validating the project, planning and rendering cases, the registry (SQLite writes of every result
// and cached answer), scoring, and the report. Subtracting a measured start-up instead would hide
// promptctl's own fixed costs (loading zod/yaml/better-sqlite3, the preflight), which a user waits for.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resultLine } from './ratio.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist/bin/promptctl.cjs');
const self = fileURLToPath(import.meta.url);

const TOPICS = [
  { q: 'How long do I have to ask for a refund', expect: '{ icontains: "30 days" }' },
  { q: 'How many days does standard shipping take', expect: '{ icontains: "business days" }' },
  { q: 'How do I reset my password', expect: '{ icontains: "account settings" }' },
  { q: 'What are your support hours', expect: '{ regex: "9am to 5pm" }' },
];

/** A golden suite of `count` cases with unique questions. */
function suiteYaml(name, count) {
  const lines = ['prompt: support-answer', 'versions: "1.1.0"', 'kind: golden', `description: Benchmark suite ${name}.`, 'threshold: 0', 'cases:'];
  for (let i = 0; i < count; i++) {
    const t = TOPICS[i % TOPICS.length];
    const id = `${name}-${String(i).padStart(5, '0')}`;
    lines.push(`  - id: ${id}`, `    vars: { question: "${t.q}? (ticket ${id})" }`, '    expect:', `      - ${t.expect}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The quick-start project pointed at the simulator, with only the given benchmark suites. */
function makeProject(sim, suites, server = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-bench-eval-'));
  cpSync(path.join(root, 'examples/quickstart'), dir, { recursive: true });
  rmSync(path.join(dir, 'evalsets'), { recursive: true, force: true });
  mkdirSync(path.join(dir, 'evalsets/support-answer'), { recursive: true });
  for (const [name, count] of suites) writeFileSync(path.join(dir, `evalsets/support-answer/${name}.yaml`), suiteYaml(name, count));
  const rc = path.join(dir, '.promptrc.yaml');
  let text = readFileSync(rc, 'utf8').replace(/base_url: .*/, `base_url: ${sim.url}`);
  for (const [k, v] of Object.entries(server)) text = text.replace(new RegExp(`^(\\s+)${k}: .*$`, 'm'), `$1${k}: ${v}`);
  writeFileSync(rc, text);
  return dir;
}

/**
 * A fresh registry for every round, so a round does not read what the last one recorded. The file
 * cache (.promptctl/cache) stays, as it does for a user who evaluates an unchanged suite again;
 * the warm-up round fills it, like the operating system's file cache.
 */
function freshRegistry(dir) {
  for (const f of ['registry.db', 'registry.db-wal', 'registry.db-shm']) rmSync(path.join(dir, '.promptctl', f), { force: true });
}

/** Spawns a child asynchronously; keeps only the tail of its output. Resolves with exit code and wall time. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const spawnedAt = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const keep = (s) => (s.length > 65536 ? s.slice(-65536) : s);
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout = keep(stdout + d)));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr = keep(stderr + d)));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6, spawnedAt, closedAt: performance.now() }));
  });
}

function requireOk(r, what) {
  if (r.code !== 0 && r.code !== 1) throw new Error(`${what} exited ${r.code ?? r.signal}:\n${r.stderr.slice(-4000)}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The exact chat requests `promptctl eval` sends for a project's suites, planned by promptctl itself. */
async function plannedRequests(dir, version) {
  const { loadProject } = await import(pathToFileURL(path.join(root, 'dist/infra/project.js')).href);
  const { planRun } = await import(pathToFileURL(path.join(root, 'dist/core/eval/plan.js')).href);
  const { effectiveParams } = await import(pathToFileURL(path.join(root, 'dist/core/eval/request-params.js')).href);
  const { samplesOf } = await import(pathToFileURL(path.join(root, 'dist/core/eval/samples.js')).href);
  const project = loadProject(dir);
  const v = project.prompts.find((p) => p.version === version);
  const params = effectiveParams(project.config.server.model, project.config.defaults, v.data.model);
  const bodies = [];
  for (const s of project.suites) {
    const { run: planned, problems } = planRun(
      { version: { id: v.id, version: v.version, file: v.file, hash: v.hash, data: v.data }, suite: { name: s.name, file: s.file, hash: s.hash, data: s.data, generated: [] }, params },
      () => ({ line: 1, col: 1 }),
    );
    if (problems.length) throw new Error(problems[0].message);
    for (const sample of samplesOf(planned)) bodies.push({ ...sample.params, messages: sample.messages });
  }
  return bodies;
}

/** The bare loop, in a child process: the same requests through the openai SDK, `concurrency` at a time. */
async function bareLoop(baseURL, file, concurrency) {
  const { default: OpenAI } = await import('openai');
  // promptctl's own transport (a keep-alive node:http fetch), so the comparison measures promptctl, not HTTP stacks.
  const { httpFetch } = await import(pathToFileURL(path.join(root, 'dist/infra/model/http-fetch.js')).href);
  const bodies = JSON.parse(readFileSync(file, 'utf8'));
  const client = new OpenAI({ baseURL, apiKey: 'EMPTY', maxRetries: 0, timeout: 30_000, fetch: httpFetch });
  let next = 0;
  let chars = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const res = await client.chat.completions.create(bodies[next++]);
      chars += res.choices[0]?.message?.content?.length ?? 0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stdout.write(`${bodies.length} requests, ${chars} characters\n`);
}

// (a) ------------------------------------------------------------------------------------------
async function benchOverhead(sim, { cases = 2000, concurrency = 32, rounds = 5 } = {}) {
  sim.setLatency(0);
  const dir = makeProject(sim, [['overhead', cases]]);
  const cpuPreload = writeCpuPreload(dir);
  const requestsFile = path.join(dir, 'requests.json');
  const bodies = await plannedRequests(dir, '1.1.0');
  if (bodies.length !== cases) throw new Error(`planned ${bodies.length} requests, expected ${cases}`);
  writeFileSync(requestsFile, JSON.stringify(bodies));
  const evalArgs = ['--require', cpuPreload, cli, 'eval', 'support-answer@1.1.0', '--suite', 'overhead', '--concurrency', String(concurrency), '--no-cache'];
  const timeCli = async () => {
    freshRegistry(dir);
    sim.resetStats();
    const r = await run(process.execPath, evalArgs, { cwd: dir });
    requireOk(r, 'promptctl eval');
    if (sim.stats().chatCompletions !== cases) throw new Error(`promptctl sent ${sim.stats().chatCompletions} requests, expected ${cases}`);
    return r;
  };
  const timeBare = async () => {
    sim.resetStats();
    const r = await run(process.execPath, ['--require', cpuPreload, self, '--bare-loop', sim.url, requestsFile, String(concurrency)], { cwd: dir });
    if (r.code !== 0) throw new Error(`bare loop exited ${r.code}: ${r.stderr}`);
    if (sim.stats().chatCompletions !== cases) throw new Error(`bare loop sent ${sim.stats().chatCompletions} requests, expected ${cases}`);
    return r;
  };
  // One warm-up of each (file cache, JIT of the simulator), then interleaved rounds so noise hits both alike.
  await timeCli();
  await timeBare();
  const cliRuns = [];
  const bareRuns = [];
  for (let i = 0; i < rounds; i++) {
    cliRuns.push(await timeCli());
    bareRuns.push(await timeBare());
  }
  rmSync(dir, { recursive: true, force: true });
  const cliMs = cliRuns.map((r) => r.ms);
  const bareMs = bareRuns.map((r) => r.ms);
  const c = median(cliMs);
  const b = median(bareMs);
  const ratio = c / b;
  // CPU beside wall: the simulator shares this machine's cores, so on a busy machine the wall ratio
  // moves with the load while the CPU each side spends stays close to its own work.
  const cpu = (rs) => median(rs.map(cpuMsOf));
  return {
    metric: `eval ${cases} cases @${concurrency} / bare openai loop`,
    value: ratio,
    target: 1.3,
    pass: ratio <= 1.3,
    detail: `promptctl ${c.toFixed(0)} ms vs bare loop ${b.toFixed(0)} ms (medians of ${rounds}, interleaved; runs ${cliMs.map((x) => x.toFixed(0)).join('/')} vs ${bareMs.map((x) => x.toFixed(0)).join('/')}); CPU ${cpu(cliRuns).toFixed(0)} vs ${cpu(bareRuns).toFixed(0)} ms`,
  };
}

/**
 * CPU time (user + system) of a child, reported on exit by a preload: on a busy machine the wall
 * time swells with waiting for a core, while this stays close to what the run itself costs. The
 * preload is a CommonJS file for --require: an --import preload would start Node's ES module
 * loader, which the installed command (CommonJS) never starts, adding about 12 ms it does not cost.
 */
function writeCpuPreload(dir) {
  const file = path.join(dir, 'cpu-preload.cjs');
  writeFileSync(file, `process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('PROMPTCTL_CPU_US='+(u.user+u.system)+'\\n')})\n`);
  return file;
}
const cpuMsOf = (r) => Number(/PROMPTCTL_CPU_US=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000;

// (d) ------------------------------------------------------------------------------------------
/**
 * What a user waits for outside request work, seen from the server: from spawning the process to
 * the first chat request arriving (start-up, loading the project, registry, preflight), plus from
 * the last answer sent to the process exiting (recording, marks, report).
 */
async function benchFixedCost(sim, { cases = 2000, concurrency = 32, rounds = 5 } = {}) {
  sim.setLatency(0);
  const dir = makeProject(sim, [['fixed', cases]]);
  const cpuPreload = writeCpuPreload(dir);
  const args = ['--require', cpuPreload, cli, 'eval', 'support-answer@1.1.0', '--suite', 'fixed', '--concurrency', String(concurrency), '--no-cache'];
  // The floor for reference: the bare openai loop (Node start-up, loading the SDK, its first request).
  const requestsFile = path.join(dir, 'requests.json');
  writeFileSync(requestsFile, JSON.stringify(await plannedRequests(dir, '1.1.0')));
  const bareArgs = ['--require', cpuPreload, self, '--bare-loop', sim.url, requestsFile, String(concurrency)];
  const once = async (argv, what) => {
    freshRegistry(dir);
    sim.resetStats();
    const r = await run(process.execPath, argv, { cwd: dir });
    requireOk(r, what);
    const t = sim.timing();
    if (sim.stats().outcomes.ok !== cases || t.firstChatArrivedAt === undefined || t.lastAnswerSentAt === undefined) throw new Error(`${what}: the simulator answered ${sim.stats().outcomes.ok} requests, expected ${cases}`);
    return { before: t.firstChatArrivedAt - r.spawnedAt, after: r.closedAt - t.lastAnswerSentAt, ms: r.ms, cpuMs: cpuMsOf(r) };
  };
  // Warm-up: fills the operating system's file cache and promptctl's (.promptctl/cache); shown as
  // the first run, what an eval right after editing every suite costs.
  const cold = await once(args, 'promptctl eval');
  const runs = [];
  const bare = [];
  for (let i = 0; i < rounds; i++) {
    runs.push(await once(args, 'promptctl eval'));
    bare.push(await once(bareArgs, 'bare openai loop'));
  }
  rmSync(dir, { recursive: true, force: true });
  const totals = runs.map((x) => (x.before + x.after) / 1000);
  const mid = runs[totals.indexOf(median(totals))];
  const bareTotals = bare.map((x) => (x.before + x.after) / 1000);
  const bareMid = bare[bareTotals.indexOf(median(bareTotals))];
  const value = median(totals);
  return {
    metric: `fixed cost of eval ${cases} cases, start to first request + last answer to exit (s)`,
    value,
    target: 0.3,
    pass: value < 0.3,
    detail: `median of ${rounds}: ${mid.before.toFixed(0)} ms before the first request + ${mid.after.toFixed(0)} ms after the last answer, of ${mid.ms.toFixed(0)} ms wall (${mid.cpuMs.toFixed(0)} ms CPU for the whole run); runs ${totals.map((x) => (x * 1000).toFixed(0)).join('/')} ms; the bare openai loop's own: ${bareMid.before.toFixed(0)} + ${bareMid.after.toFixed(0)} ms; first run, file cache empty: ${cold.before.toFixed(0)} + ${cold.after.toFixed(0)} ms`,
  };
}

// (e) ------------------------------------------------------------------------------------------
/** A re-run whose every answer is cached: no request and no preflight, so only promptctl's own work. */
async function benchCachedRerun(sim, { cases = 2000, concurrency = 32, rounds = 5 } = {}) {
  sim.setLatency(0);
  const dir = makeProject(sim, [['cached', cases]]);
  const cpuPreload = writeCpuPreload(dir);
  const args = ['--require', cpuPreload, cli, 'eval', 'support-answer@1.1.0', '--suite', 'cached', '--concurrency', String(concurrency)];
  requireOk(await run(process.execPath, args, { cwd: dir }), 'promptctl eval (filling the cache)');
  const once = async () => {
    sim.resetStats();
    const r = await run(process.execPath, args, { cwd: dir });
    requireOk(r, 'promptctl eval (cached)');
    const asked = Object.values(sim.stats().requests).reduce((a, b) => a + b, 0);
    if (asked) throw new Error(`a fully cached re-run sent ${asked} requests to the server`);
    return r;
  };
  await once(); // warm-up
  const ms = [];
  const cpu = [];
  for (let i = 0; i < rounds; i++) {
    const r = await once();
    ms.push(r.ms);
    cpu.push(cpuMsOf(r));
  }
  rmSync(dir, { recursive: true, force: true });
  const value = median(ms) / 1000;
  return {
    metric: `fully cached re-run of eval ${cases} cases, wall (s)`,
    value,
    target: 0.4,
    pass: value <= 0.4,
    detail: `no request reached the server; median of ${rounds}: ${ms.map((x) => x.toFixed(0)).join('/')} ms wall, CPU ${median(cpu).toFixed(0)} ms (median)`,
  };
}

// (b) ------------------------------------------------------------------------------------------
const RSS_PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('PROMPTCTL_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n'))`;

/**
 * The peak RSS of one promptctl child: /usr/bin/time -v reports it for the node process; without
 * it, a preload reports process.resourceUsage().maxRSS (the same kernel figure) on exit.
 */
async function peakRss(sim, dir, args, what) {
  const useTime = existsSync('/usr/bin/time');
  sim.resetStats();
  const r = useTime ? await run('/usr/bin/time', ['-v', process.execPath, ...args], { cwd: dir }) : await run(process.execPath, ['--import', RSS_PRELOAD, ...args], { cwd: dir });
  requireOk(r, what);
  const m = useTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr) : /PROMPTCTL_MAXRSS_KB=(\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no peak RSS in the output:\n${r.stderr.slice(-2000)}`);
  return { mb: Number(m[1]) / 1024, sent: sim.stats().chatCompletions, ms: r.ms, how: useTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS' };
}

async function benchMemory(sim, { files = 100, perFile = 1000, concurrency = 32 } = {}) {
  sim.setLatency(0);
  const total = files * perFile;
  const suites = Array.from({ length: files }, (_, i) => [`mem${String(i).padStart(3, '0')}`, perFile]);
  const dir = makeProject(sim, suites);
  const r = await peakRss(sim, dir, [cli, 'eval', 'support-answer@1.1.0', '--concurrency', String(concurrency), '--no-cache'], 'promptctl eval (100,000 cases)');
  rmSync(dir, { recursive: true, force: true });
  return {
    metric: `peak RSS, eval of ${total.toLocaleString('en')} cases (MB)`,
    value: r.mb,
    target: 250,
    pass: r.mb <= 250 && r.sent === total,
    detail: `${r.sent} requests sent in ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.sent / (r.ms / 1000))}/s), measured with ${r.how}`,
  };
}

// (f) ------------------------------------------------------------------------------------------
/** TOPICS' expectations as a JSONL row holds them. */
const ROW_EXPECT = [{ icontains: '30 days' }, { icontains: 'business days' }, { icontains: 'account settings' }, { regex: '9am to 5pm' }];

/** One suite of `rows` cases read from a JSONL file: a single run, so its finish judges every sample at once. */
async function benchMemoryJsonl(sim, { rows = 100_000, concurrency = 32 } = {}) {
  sim.setLatency(0);
  const dir = makeProject(sim, []);
  const lines = [];
  for (let i = 0; i < rows; i++) {
    const t = TOPICS[i % TOPICS.length];
    lines.push(JSON.stringify({ id: `row-${String(i).padStart(6, '0')}`, question: `${t.q}? (ticket ${i})`, expect: [ROW_EXPECT[i % TOPICS.length]] }));
  }
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'data/golden.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(dir, 'evalsets/support-answer/from-jsonl.yaml'), 'prompt: support-answer\nversions: "1.1.0"\nkind: golden\nthreshold: 0\ncases_from:\n  file: data/golden.jsonl\n');
  const r = await peakRss(sim, dir, [cli, 'eval', 'support-answer@1.1.0', '--concurrency', String(concurrency), '--no-cache'], `promptctl eval (${rows} JSONL rows)`);
  rmSync(dir, { recursive: true, force: true });
  return {
    metric: `peak RSS, eval of one ${rows.toLocaleString('en')}-row JSONL suite (MB)`,
    value: r.mb,
    target: 250,
    pass: r.mb <= 250 && r.sent === rows,
    detail: `${r.sent} requests sent in ${(r.ms / 1000).toFixed(1)} s, measured with ${r.how}`,
  };
}

// (c) ------------------------------------------------------------------------------------------
/**
 * Runs a child while watching the simulator: the request window is first request received to last
 * answer sent, so start-up and the report stay outside it (they are (a)'s subject).
 */
async function requestWindow(sim, cases, cmd, args, opts) {
  sim.resetStats();
  let first;
  let last;
  const poll = setInterval(() => {
    const s = sim.stats();
    const now = performance.now();
    if (first === undefined && s.chatCompletions > 0) first = now;
    if (last === undefined && s.outcomes.ok >= cases) last = now;
  }, 2);
  let r;
  try {
    r = await run(cmd, args, opts);
  } finally {
    clearInterval(poll);
  }
  if (first === undefined || last === undefined) throw new Error(`${path.basename(args[0])}: the simulator saw ${sim.stats().outcomes.ok} answers, expected ${cases}`);
  return { r, ms: last - first, rate: cases / ((last - first) / 1000) };
}

async function benchThroughput(sim, { cases = 4000, concurrency = 64, latencyMs = 50 } = {}) {
  const dir = makeProject(sim, [['throughput', cases]]);
  const requestsFile = path.join(dir, 'requests.json');
  writeFileSync(requestsFile, JSON.stringify(await plannedRequests(dir, '1.1.0')));
  sim.setLatency(latencyMs);
  let p;
  let bare;
  try {
    p = await requestWindow(sim, cases, process.execPath, [cli, 'eval', 'support-answer@1.1.0', '--concurrency', String(concurrency), '--no-cache'], { cwd: dir });
    requireOk(p.r, 'promptctl eval (throughput)');
    // For reference: the same requests from a bare openai SDK loop. On a small machine the SDK's own
    // CPU per request, not the latency, can be what caps the rate.
    bare = await requestWindow(sim, cases, process.execPath, [self, '--bare-loop', sim.url, requestsFile, String(concurrency)], { cwd: dir });
    if (bare.r.code !== 0) throw new Error(`bare loop exited ${bare.r.code}: ${bare.r.stderr}`);
  } finally {
    sim.setLatency(0);
  }
  rmSync(dir, { recursive: true, force: true });
  const ideal = concurrency / (latencyMs / 1000);
  return {
    metric: `throughput at ${latencyMs} ms latency @${concurrency} / ideal ${ideal}/s`,
    value: p.rate / ideal,
    target: 0.9,
    pass: p.rate / ideal >= 0.9,
    detail:
      `promptctl ${p.rate.toFixed(0)}/s over ${p.ms.toFixed(0)} ms for ${cases} cases (whole command ${(p.r.ms / 1000).toFixed(2)} s); ` +
      `bare openai loop ${bare.rate.toFixed(0)}/s (${((bare.rate / ideal) * 100).toFixed(0)}% of ideal; promptctl at ${((p.rate / bare.rate) * 100).toFixed(0)}% of it)`,
  };
}

export async function benchEval({ log, only } = {}) {
  if (!existsSync(cli)) throw new Error(`${cli} does not exist: run \`npm run build\` first`);
  const { startSimulator } = await import(pathToFileURL(path.join(root, 'dist/sim/server.js')).href);
  const sim = await startSimulator({ port: 0 });
  const results = [];
  const parts = { overhead: benchOverhead, fixed: benchFixedCost, cached: benchCachedRerun, memory: benchMemory, 'memory-jsonl': benchMemoryJsonl, throughput: benchThroughput };
  try {
    for (const [name, fn] of Object.entries(parts)) {
      if (only?.length && !only.includes(name)) continue;
      const r = await fn(sim);
      log(r);
      results.push(r);
    }
  } finally {
    await sim.close();
  }
  return { name: 'eval', results };
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  if (process.argv[2] === '--bare-loop') {
    await bareLoop(process.argv[3], process.argv[4], Number(process.argv[5]));
  } else {
    // `node bench/eval.mjs [overhead|fixed|cached|memory|memory-jsonl|throughput...]`
    const only = process.argv.slice(2);
    const log = (r) => console.log(resultLine(r));
    const { results } = await benchEval({ log, only });
    process.exitCode = results.every((r) => r.pass) ? 0 : 1;
  }
}
