/**
 * Seeded noise mode: a simulator that behaves like a sampled model on a shared server, so noisy
 * verdicts can be tested and demonstrated (issue 13). Off unless `SimOptions.noise` is given; with
 * it off nothing here runs and every answer is exactly as before.
 *
 * Pass or fail. Noise decides only answerable questions (an extractive answer exists; attacks,
 * PII requests and judge or safety questions are never noisy). A sample passes (the extractive
 * answer) or fails (FALLBACK_ANSWER):
 *  - each case has a base pass probability, fixed by the noise seed and the case's conversation
 *    (every message but the system prompt), so a case is the same "easy" or "hard" case for every
 *    prompt version. With u = hash(seed, conversation): easy when u < passRate;
 *    p = (1 - spread)·passRate + spread·[easy].
 *    spread 1 (the default) makes easy cases always pass and hard ones always fail, spread 0 gives
 *    every case p = passRate;
 *  - a pass drop (`passDrop`, or `pass-drop=` in a prompt's directive line) breaks the cases with
 *    u < drop: a share `drop` of all cases, all of them easy, now drawn as hard ones. The true drop
 *    of the base pass rate is drop × spread, and of the pass rate after flips
 *    drop × spread × (1 - 2·flipRate) (pass-drop=0.111 with 5% flips is a 10-point drop); bigger
 *    drops break a superset of cases;
 *  - each sample draws pass with probability p, then flips its verdict with probability flipRate.
 *    Draws are hashed from (seed, request seed, messages) when the request carries a seed, as eval
 *    does at temperature > 0, so they are reproducible; otherwise they come from the noise stream.
 *    This replaces the temperature rule (behaviour.ts rule f).
 *
 * Latency. Each answer takes latencyMs + the prompt's `latency-ms=` + a jitter in [0, jitterMs),
 * times busyFactor plus busyExtraMs while the server is busy. Busy is a switch (`busy`, POST
 * /sim/noise, `setBusy`) or a window of chat completions by arrival index [busyFrom, busyUntil),
 * so a test decides it by requests, never by time. The planned delay is sent back in the
 * `x-sim-delay-ms` header (and `x-sim-busy`), so tests can check it without measuring time.
 *
 * Directive line (noise mode only; removed from the system message before answering):
 *   sim-noise: pass-drop=0.1 latency-ms=300
 */
import { createPrng, hashToUnit } from './prng.js';

export interface NoiseOptions {
  /** Seeds every noise draw; default 0. */
  seed?: number;
  /** Mean base pass probability of the cases, in [0, 1]; default 0.85. */
  passRate?: number;
  /** 0: every case passes with passRate; 1: cases are easy (always pass) or hard (always fail); default 1. */
  spread?: number;
  /** Chance a sample's verdict flips, in [0, 1]; default 0. */
  flipRate?: number;
  /** Share of all cases (from the easy ones) that break, for every prompt; default 0. */
  passDrop?: number;
  /** Each answer waits up to this much longer, uniformly; default 0. */
  jitterMs?: number;
  /** While busy an answer's delay is multiplied by this; default 2. */
  busyFactor?: number;
  /** While busy an answer's delay grows by this much; default 0. */
  busyExtraMs?: number;
  /** Busy from the start; default false. */
  busy?: boolean;
  /** Chat completions with arrival index in [busyFrom, busyUntil) are busy (0-based, since start). */
  busyFrom?: number;
  busyUntil?: number;
}

export type NoiseSettings = Required<Omit<NoiseOptions, 'busyFrom' | 'busyUntil'>> & Pick<NoiseOptions, 'busyFrom' | 'busyUntil'>;

const UNIT_KEYS = ['passRate', 'spread', 'flipRate', 'passDrop'] as const;
const NON_NEGATIVE_KEYS = ['jitterMs', 'busyFactor', 'busyExtraMs', 'busyFrom', 'busyUntil'] as const;

export function validateNoiseOptions(o: NoiseOptions): NoiseSettings {
  for (const k of UNIT_KEYS) {
    const v = o[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) throw new RangeError(`noise ${k} must be a number in [0, 1], got ${String(v)}`);
  }
  for (const k of NON_NEGATIVE_KEYS) {
    const v = o[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new RangeError(`noise ${k} must be a number >= 0, got ${String(v)}`);
  }
  // An empty window [from, until) would be accepted and never make the server busy.
  if (o.busyFrom !== undefined && o.busyUntil !== undefined && o.busyUntil <= o.busyFrom) {
    throw new RangeError(`noise busyUntil must be above busyFrom (the window [busyFrom, busyUntil) is empty), got busyFrom ${o.busyFrom} and busyUntil ${o.busyUntil}`);
  }
  if (o.seed !== undefined && !Number.isFinite(o.seed)) throw new RangeError(`noise seed must be a number, got ${String(o.seed)}`);
  if (o.busy !== undefined && typeof o.busy !== 'boolean') throw new RangeError(`noise busy must be true or false, got ${String(o.busy)}`);
  return {
    seed: o.seed ?? 0,
    passRate: o.passRate ?? 0.85,
    spread: o.spread ?? 1,
    flipRate: o.flipRate ?? 0,
    passDrop: o.passDrop ?? 0,
    jitterMs: o.jitterMs ?? 0,
    busyFactor: o.busyFactor ?? 2,
    busyExtraMs: o.busyExtraMs ?? 0,
    busy: o.busy ?? false,
    busyFrom: o.busyFrom,
    busyUntil: o.busyUntil,
  };
}

export interface Directive {
  passDrop: number;
  latencyMs: number;
}

const DIRECTIVE_LINE = /^[ \t]*sim-noise:(.*)$/gm;

/** The prompt's `sim-noise:` settings (unknown keys and bad values are ignored) and the system message without them. */
export function readDirective(system: string): { directive: Directive; system: string } {
  const directive: Directive = { passDrop: 0, latencyMs: 0 };
  let found = false;
  for (const m of system.matchAll(DIRECTIVE_LINE)) {
    found = true;
    for (const [, key, raw] of (m[1] ?? '').matchAll(/([a-z-]+)=(\S+)/g)) {
      const v = Number(raw);
      if (!Number.isFinite(v)) continue;
      if (key === 'pass-drop' && v >= 0 && v <= 1) directive.passDrop = v;
      if (key === 'latency-ms') directive.latencyMs = Math.max(0, v);
    }
  }
  if (!found) return { directive, system };
  return { directive, system: system.replace(DIRECTIVE_LINE, '').replace(/\n{2,}/g, '\n').trim() };
}

/** A case's base pass probability: fixed by the seed and the case's conversation (`caseKey`). */
export function casePassProbability(s: NoiseSettings, caseKey: string, extraDrop = 0): number {
  const u = hashToUnit(`${s.seed}\u0002case\u0000${caseKey}`);
  const broken = u < Math.min(1, s.passDrop + extraDrop);
  const easy = u < s.passRate && !broken;
  return (1 - s.spread) * s.passRate + (easy ? s.spread : 0);
}

/** One noise draw source: hashed from the request when it has a seed, else the seeded stream. */
export type Draw = (purpose: 'pass' | 'flip') => number;

/** Whether one sample passes: a draw under the case's probability, then a flip at flipRate. */
export function samplePasses(s: NoiseSettings, p: number, draw: Draw): boolean {
  const pass = draw('pass') < p;
  return draw('flip') < s.flipRate ? !pass : pass;
}

/** The live noise state of one simulator: the settings, the busy switch and the noise stream. */
export interface Noise {
  settings(): NoiseSettings & { busy: boolean };
  setBusy(busy: boolean): void;
  /** Whether the answer to this request passes; `requestKey` is set when the request carried a seed. */
  passes(caseKey: string, directive: Directive, requestKey: string | undefined): boolean;
  /** The delay planned for the chat completion with this arrival index, and whether it was busy. */
  delay(baseMs: number, directive: Directive, index: number): { ms: number; busy: boolean };
}

export function createNoise(options: NoiseOptions): Noise {
  const s = validateNoiseOptions(options);
  let busy = s.busy;
  // Streams of their own, so turning noise on never shifts the fault draws of a seed, and jitter
  // never shifts the verdicts.
  const verdicts = createPrng((s.seed ^ 0x5eed1e55) >>> 0);
  const jitters = createPrng((s.seed ^ 0x1a7e0c1e) >>> 0);
  return {
    settings: () => ({ ...s, busy }),
    setBusy: (on) => {
      busy = on;
    },
    passes: (caseKey, directive, requestKey) => {
      const draw: Draw = requestKey === undefined ? () => verdicts() : (purpose) => hashToUnit(`${s.seed}\u0002${purpose}\u0000${requestKey}`);
      return samplePasses(s, casePassProbability(s, caseKey, directive.passDrop), draw);
    },
    delay: (baseMs, directive, index) => {
      const windowed = s.busyFrom !== undefined || s.busyUntil !== undefined;
      const inWindow = windowed && index >= (s.busyFrom ?? 0) && index < (s.busyUntil ?? Infinity);
      const isBusy = busy || inWindow;
      const jitter = s.jitterMs > 0 ? jitters() * s.jitterMs : 0;
      const calm = baseMs + directive.latencyMs + jitter;
      return { ms: isBusy ? calm * s.busyFactor + s.busyExtraMs : calm, busy: isBusy };
    },
  };
}
