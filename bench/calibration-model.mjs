// The calibration benchmark's model (calibration.mjs, calibration-e2e.mjs): the issue 13 rows, the
// simulator's noise draws for one trial, and the gate's regression check over per-case facts.
// Pure helpers over dist/ modules handed in by the caller.

export const TRIALS = 200;
export const NOISE = { passRate: 0.85, flipRate: 0.05 };
/** A noise pass-drop d lowers the pass rate after 5% flips by d·(1 - 2·0.05) = 0.9·d (noise.ts). */
export const dropFor = (points) => points / 100 / (1 - 2 * NOISE.flipRate);
const none = { passDrop: 0, latencyMs: 0 };

/** A case's key as the simulator sees it: its conversation without the system prompt (behaviour.ts). */
export const caseKeyOf = (messages) => messages.filter((m) => m.role !== 'system').map((m) => `\u0001${m.role}\u0000${m.content}`).join('');

/** Synthetic conversations for the in-process trials (the e2e trial passes the ones eval renders). */
export const syntheticKeys = (n) => Array.from({ length: n }, (_, i) => caseKeyOf([{ role: 'user', content: `<question>\nWhat are your support hours? (ticket calib-${i})\n</question>` }]));

/**
 * The pass-drop that breaks exactly `k` of the cases (the k with the lowest draw), with no flips,
 * so k cases newly fail and none is fixed: midway between the k-th and the (k+1)-th case's draw.
 * Checked against the simulator's own casePassProbability.
 */
export function dropBreaking(mods, settings, keys, k) {
  const noiseMod = mods.noise;
  // The case's draw u, as casePassProbability hashes it: a pass-drop d breaks the cases with u < d.
  const u = keys.map((key) => mods.prng.hashToUnit(`${settings.seed}\u0002case\u0000${key}`)).sort((a, b) => a - b);
  const drop = (u[k - 1] + u[k]) / 2;
  const broken = keys.filter((key) => noiseMod.casePassProbability(settings, key, drop) < noiseMod.casePassProbability(settings, key, 0)).length;
  if (broken !== k) throw new Error(`pass-drop ${drop} breaks ${broken} cases, wanted ${k}`);
  return drop;
}

/** One suite's per-case facts, as infra/gate-facts.ts builds them for a run of one sample per case. */
export function suiteFacts(verdicts, ids) {
  const cases = verdicts.map((passed, i) => ({ id: ids[i], passes: passed ? 1 : 0, samples: 1, passed }));
  const passRate = cases.filter((c) => c.passed).length / cases.length;
  return { suite: 'calib', kind: 'golden', passRate, p95: 0, piiLeaks: 0, systemPromptLeaks: 0, passed: true, cases };
}

/** The deploy gate's input for a candidate against the active baseline in `env`. */
function deployInput(config, env, base, cand, extra = {}) {
  const envs = config.environments;
  return {
    promptId: 'support-answer', version: '1.2.0', env, envOrder: envs.map((e) => e.name), policy: envs.find((e) => e.name === env).gates,
    model: 'sim-model', registered: true, edited: false, currentHash: 'h2', deployedInPreviousEnv: true,
    suiteRuns: [cand], applicableSuites: [cand.suite], baseline: { version: '1.1.0', suiteRuns: [base], applicableSuites: [base.suite] }, alreadyActive: false,
    ...extra,
  };
}

/** The gate's regression check for a candidate against the active baseline in `env` (the real decideDeploy). */
export function regressionCheck(gates, config, env, base, cand) {
  return gates.decideDeploy(deployInput(config, env, base, cand)).checks.find((c) => c.kind === 'regression-pass-rate');
}

/** The gate's p95 check in `env` when an interleaved measurement gave these arms (the real decideDeploy). */
export function latencyCheck(gates, config, env, arms) {
  const facts = suiteFacts([true], ['calib-00000']);
  const input = deployInput(config, env, facts, facts, { latencyMeasurements: [{ suite: facts.suite, kind: facts.kind, ...arms }] });
  return gates.decideDeploy(input).checks.find((c) => c.kind === 'p95-latency');
}

/**
 * One trial: the baseline's eval, then the candidate's, drawing from one simulator's noise in
 * request order (as the server does for two concurrency-1 evals of a temperature-0 prompt).
 */
export function trialFacts(noiseMod, options, keys, ids, candidateDrop) {
  const noise = noiseMod.createNoise(options);
  const base = keys.map((key) => noise.passes(key, none, undefined));
  const cand = keys.map((key) => noise.passes(key, { passDrop: candidateDrop, latencyMs: 0 }, undefined));
  return { base: suiteFacts(base, ids), cand: suiteFacts(cand, ids) };
}

/** The rows of the table; `drop(settings, keys)` is the candidate's pass-drop for one trial. */
export const ROWS = [
  { name: 'no change (500 cases)', cases: 500, noise: NOISE, drop: () => 0, target: 'regression <= 1%, inconclusive <= 5%', ok: (r) => r.regression <= 0.01 && r.inconclusive <= 0.05 },
  { name: 'true 3-point drop, limit 5', cases: 500, noise: NOISE, drop: () => dropFor(3), target: 'regression <= 2%', ok: (r) => r.regression <= 0.02 },
  { name: 'true 10-point drop, limit 5', cases: 500, noise: NOISE, drop: () => dropFor(10), powerCheck: 0.1, target: 'regression >= 80%, regression or inconclusive >= 99%', ok: (r) => r.regression >= 0.8 && r.regression + r.inconclusive >= 0.99 },
  { name: '40 cases, 4 newly failing, none fixed', cases: 40, noise: { ...NOISE, flipRate: 0 }, broken: 4, target: 'inconclusive naming the cases needed: 100%', ok: (r) => r.inconclusive === 1 && r.named === 1 },
  { name: '400 cases, 40 newly failing, none fixed', cases: 400, noise: { ...NOISE, flipRate: 0 }, broken: 40, target: 'regression: 100%', ok: (r) => r.regression === 1 },
];


/**
 * The latency rows. The server answers in 100 ms plus a jitter in [0, 200 ms); while busy it is
 * 1.5 times slower plus 80 ms, which reproduces the false block (a p95 of about 290 ms
 * calm, about 515 ms busy). The limit and confidence are the quickstart's (200 ms, 0.95), the
 * default. Verdicts are not noisy here: only latency is measured. 200 requests per arm (a suite of
 * 200 cases) keeps the whole calibration bench near a minute; 500 give the same rates.
 */
export const LATENCY = {
  serverMs: 100,
  noise: { passRate: 1, spread: 0, flipRate: 0, jitterMs: 200, busyFactor: 1.5, busyExtraMs: 80 },
  requestsPerArm: 200,
};

/**
 * The busy phase of one trial, as the simulator's window of chat completions [busyFrom, busyUntil):
 * drawn from the trial's seed, it covers 10% to 100% of the measurement's requests, anywhere in it
 * (the measurement is the server's whole traffic, from index 0).
 * Below 10% lies the one shape the p95 cannot judge: a busy phase over about 5% of the requests
 * puts each arm's p95 on the edge between calm and busy answers, and the bootstrap, resampling how
 * many busy answers each arm got, cannot bound the rise. With a harsh busy phase (x2 + 1,500 ms)
 * over 5% of the measurement a true +300 ms is inconclusive in every trial, not blocked.
 */
export function busyWindow(prng, seed, requests) {
  const cover = 0.1 + 0.9 * prng.hashToUnit(`${seed}\u0002busy-cover`);
  const start = (1 - cover) * prng.hashToUnit(`${seed}\u0002busy-start`);
  return { busyFrom: Math.round(start * requests), busyUntil: Math.round((start + cover) * requests) };
}

/**
 * One interleaved measurement through the simulator's own delay function, in the order
 * `--measure-latency` sends it: baseline first, then one request of each arm in turn. Returns each
 * arm's planned delays in ms.
 */
export function interleavedArms(noiseMod, options, perArm, candidateExtraMs) {
  const noise = noiseMod.createNoise(options);
  const plain = { passDrop: 0, latencyMs: 0 };
  const slower = { passDrop: 0, latencyMs: candidateExtraMs };
  const arms = { baseline: [], candidate: [] };
  for (let i = 0; i < 2 * perArm; i++) {
    const candidate = i % 2 === 1;
    arms[candidate ? 'candidate' : 'baseline'].push(noise.delay(LATENCY.serverMs, candidate ? slower : plain, i).ms);
  }
  return arms;
}

export const LATENCY_ROWS = [
  { name: 'no latency change, candidate measured interleaved during a busy phase', extraMs: 0, typical: 'pass', target: 'blocked <= 1%', ok: (r) => r.regression <= 0.01 },
  { name: 'a true +300 ms latency regression, interleaved, during a busy phase', extraMs: 300, typical: 'regression', target: 'blocked >= 95%', ok: (r) => r.regression >= 0.95 },
];
