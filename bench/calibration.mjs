// Calibration of the paired regression verdict (issue 13, "Done when"): 200 trials per row, printed
// as rates beside the issue's targets. Noise model: the simulator's noise mode, 500 cases, mean base
// pass rate 85%, 5% of sample verdicts flipped; the limit is the quickstart production's
// (max_pass_rate_drop 0.05, confidence 0.95).
//
// Each trial runs in-process: the simulator's own noise functions (dist/sim/noise.js, the draws
// its server makes, in the order a concurrency-1 eval sends them) give each case's verdict in both
// arms, the arms draw apart (no answer shared, as with --no-cache), and the real gate decision
// (decideDeploy, dist/core/gates.js) classifies the paired per-case facts exactly as deploy does.
// Then ONE trial per row runs end to end through the CLI against the noisy simulator
// (calibration-e2e.mjs) and must give the same counts and outcome as the in-process trial of its seed.
//
// The two latency rows: each trial is one interleaved measurement (`--measure-latency`), its
// delays from the simulator's own delay function (jitter, the prompt's `latency-ms=`, a busy
// phase over part of the measurement) in the order the measurement sends them, judged by
// judgeLatency (dist/core/latency-verdict.js) as deploy judges a measurement. Their end-to-end trial
// runs the real measurement through the CLI and must reach the row's usual outcome.
//
// Uses dist/: build first (npm run build). Run alone with `node bench/run.mjs calibration`.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const load = (rel) => import(pathToFileURL(path.join(ROOT, 'dist', rel)).href);

import { busyWindow, dropBreaking, interleavedArms, LATENCY, LATENCY_ROWS, latencyCheck, NOISE, regressionCheck, ROWS, syntheticKeys, TRIALS, trialFacts } from './calibration-model.mjs';

/** Rates of each outcome over TRIALS in-process trials of a row, seeds 1..TRIALS. */
async function rowRates(row, mods, config) {
  const keys = syntheticKeys(row.cases);
  const ids = keys.map((_, i) => `calib-${String(i).padStart(5, '0')}`);
  const n = { pass: 0, regression: 0, inconclusive: 0, named: 0 };
  let example;
  for (let seed = 1; seed <= TRIALS; seed++) {
    const options = { ...row.noise, seed };
    const drop = row.broken ? dropBreaking(mods, mods.noise.validateNoiseOptions(options), keys, row.broken) : row.drop();
    const { base, cand } = trialFacts(mods.noise, options, keys, ids, drop);
    const check = regressionCheck(mods.gates, config, 'production', base, cand);
    n[check.outcome]++;
    if (check.outcome === 'inconclusive' && check.casesToDecide !== undefined && mods.text.checkMessage(check).includes(`about ${check.casesToDecide} cases`)) n.named++;
    example ??= check.outcome === 'inconclusive' || check.outcome === 'regression' ? mods.text.checkMessage(check) : undefined;
  }
  const rates = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, v / TRIALS]));
  return { rates, example };
}

/** The quickstart's 4-case golden suite against an identical version, in every environment of its config. */
async function quickstartRates(mods, project) {
  const golden = project.suites.find((s) => s.name === 'golden');
  const ids = golden.data.cases.map((c) => c.id);
  const keys = ids.map((id) => `\u0001user\u0000${id}`);
  let passed = 0;
  for (let seed = 1; seed <= TRIALS; seed++) {
    // Temperature 0, one sample per case: each case's answer is fixed (no flips); the candidate is the same prompt.
    const { base } = trialFacts(mods.noise, { ...NOISE, flipRate: 0, seed }, keys, ids, 0);
    const everywhere = project.config.environments.every((e) => {
      const c = regressionCheck(mods.gates, project.config, e.name, base, base);
      return c.outcome === 'pass' && c.ok;
    });
    if (everywhere) passed++;
  }
  return passed / TRIALS;
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

/**
 * Rates of each latency outcome over TRIALS interleaved measurements of a row, seeds 1..TRIALS:
 * the arms' delays from the simulator's delay function in the order the measurement sends them,
 * judged by judgeLatency at the production policy's limit and confidence. Blocked is 'regression';
 * inconclusive blocks only as on_inconclusive says, so it is shown apart.
 */
function latencyRates(row, mods, config) {
  const policy = config.environments.find((e) => e.name === 'production').gates;
  const n = { pass: 0, regression: 0, inconclusive: 0 };
  let example;
  for (let seed = 1; seed <= TRIALS; seed++) {
    const options = { ...LATENCY.noise, seed, ...busyWindow(mods.prng, seed, 2 * LATENCY.requestsPerArm) };
    const arms = interleavedArms(mods.noise, options, LATENCY.requestsPerArm, row.extraMs);
    const judgement = mods.latency.judgeLatency(arms, policy.max_p95_latency_increase_ms, policy.confidence);
    n[judgement.outcome]++;
    if (seed === 1) {
      // The gate's own words for the first trial, and its verdict must be this one.
      const check = latencyCheck(mods.gates, config, 'production', arms);
      if (check.measured.outcome !== judgement.outcome) throw new Error(`the gate judged ${check.measured.outcome}, judgeLatency ${judgement.outcome}`);
      example = mods.text.checkMessage(check);
    }
  }
  return { rates: Object.fromEntries(Object.entries(n).map(([k, v]) => [k, v / TRIALS])), example };
}

/**
 * What `promptctl power` predicts for the row (core/stats regressionPower, the noise it assumes
 * from repeats: each case passes again with 0.95 or 0.05, so 2·0.95·0.05 of cases change verdict)
 * against the rate measured: the planning numbers must describe the gate as it runs, and never
 * promise more than it delivers. The model counts noise on broken cases too (a broken case's
 * verdict is far more stable than 2·0.95·0.05 says), so it is a little conservative here.
 */
function powerAgreement(mods, row, rates) {
  const p = NOISE.passRate * (1 - NOISE.flipRate) + (1 - NOISE.passRate) * NOISE.flipRate;
  const predicted = mods.stats.regressionPower(row.cases, { baselinePassRate: p, maxDrop: 0.05, noiseDiscordance: 2 * 0.95 * 0.05, trueDrop: row.powerCheck, confidence: 0.95 });
  return { metric: `${row.name}: power predicted by promptctl power`, value: `${pct(predicted)} vs ${pct(rates.regression)} measured`, target: 'never promising more than measured + 5 points (sampling error of 200 trials), within 10 points', pass: predicted <= rates.regression + 0.05 && Math.abs(predicted - rates.regression) <= 0.1 };
}

export async function benchCalibration({ log = console.log, e2e = true } = {}) {
  const mods = { stats: await load('core/stats/index.js'), noise: await load('sim/noise.js'), prng: await load('sim/prng.js'), gates: await load('core/gates.js'), latency: await load('core/latency-verdict.js'), text: await load('render/gate-text.js') };
  const { loadProject } = await load('infra/project.js');
  const quickstart = loadProject(path.join(ROOT, 'examples', 'quickstart'));
  const results = [];
  log(`in-process: ${TRIALS} trials per row through the simulator's noise functions and decideDeploy (limit 5 points, confidence 0.95)`);
  for (const row of ROWS) {
    const { rates, example } = await rowRates(row, mods, quickstart.config);
    const value = `regression ${pct(rates.regression)}, inconclusive ${pct(rates.inconclusive)}, pass ${pct(rates.pass)}`;
    results.push({ metric: row.name, value, target: row.target, pass: row.ok(rates), detail: row.broken && example ? example : undefined });
    log(results.at(-1));
    if (row.powerCheck) {
      results.push(powerAgreement(mods, row, rates));
      log(results.at(-1));
    }
  }
  const qs = await quickstartRates(mods, quickstart);
  results.push({ metric: "quickstart's 4-case golden suite vs an identical version", value: `pass in every environment ${pct(qs)}`, target: '100%', pass: qs === 1 });
  log(results.at(-1));
  const { serverMs, noise, requestsPerArm } = LATENCY;
  const prod = quickstart.config.environments.find((e) => e.name === 'production').gates;
  log(`latency: ${TRIALS} interleaved measurements per row through the simulator's delay function and judgeLatency, ${requestsPerArm} requests per arm (server ${serverMs} ms + jitter [0, ${noise.jitterMs}) ms, busy x${noise.busyFactor} + ${noise.busyExtraMs} ms over 10-100% of the measurement; limit ${prod.max_p95_latency_increase_ms} ms, confidence ${prod.confidence})`);
  for (const row of LATENCY_ROWS) {
    const { rates, example } = latencyRates(row, mods, quickstart.config);
    const value = `blocked ${pct(rates.regression)}, inconclusive ${pct(rates.inconclusive)}, pass ${pct(rates.pass)}`;
    results.push({ metric: row.name, value, target: row.target, pass: row.ok(rates), detail: example });
    log(results.at(-1));
  }
  if (e2e) {
    const { endToEnd } = await import('./calibration-e2e.mjs');
    results.push(...(await endToEnd({ log, mods })));
  }
  return { name: 'calibration', results };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const log = (r) => console.log(typeof r === 'string' ? `  ${r}` : `  ${r.pass ? 'PASS' : 'FAIL'}  ${r.metric}: ${r.value} (target ${r.target})${r.detail ? `  [${r.detail}]` : ''}`);
  await benchCalibration({ log, e2e: !process.argv.includes('--no-e2e') });
}
