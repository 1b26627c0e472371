/**
 * The simulator's mutable state, in objects each startSimulator call creates and hands to its
 * endpoints, never at module level: simulators started side by side in one process share nothing.
 */
import { validateFaultRates, type FaultRates } from './faults.js';
import type { ServedModel } from './models.js';
import type { Noise } from './noise.js';
import { emptyStats, type ChatTiming, type SimOptions, type SimStats } from './types.js';

const KNOWN_PATHS: ReadonlySet<string> = new Set(['/health', '/v1/models', '/v1/chat/completions', '/tokenize', '/sim/stats', '/sim/config', '/sim/noise']);

/** The counts Simulator.stats() and /sim/stats report, and the timing Simulator.timing() reports. */
export class Bookkeeping {
  stats: SimStats = emptyStats();
  timing: ChatTiming = {};

  /** One request to `path`, counted under "other" when the simulator does not serve the path. */
  countRequest(path: string): void {
    const key = KNOWN_PATHS.has(path) ? path : 'other';
    this.stats.requests[key] = (this.stats.requests[key] ?? 0) + 1;
  }

  /** DELETE /sim/stats: the counts start again; the timing stays. */
  resetCounts(): void {
    this.stats = emptyStats();
  }

  /** Simulator.resetStats(): the counts and the timing. */
  reset(): void {
    this.resetCounts();
    this.timing = {};
  }
}

/** What a test changes while the simulator runs: in process through Simulator, from another process through POST /sim/config. */
export class LiveSettings {
  faults: FaultRates;
  latencyMs: number;
  /** The Authorization header /v1/* requires; undefined: none. */
  expectedAuth: string | undefined;

  constructor(opts: SimOptions) {
    this.expectedAuth = bearer(opts.apiKey);
    this.faults = validateFaultRates(opts.faults ?? {});
    this.latencyMs = opts.latencyMs ?? 0;
  }

  setFaults(f: FaultRates): void {
    this.faults = validateFaultRates(f);
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  setApiKey(key: string | undefined): void {
    this.expectedAuth = bearer(key);
  }
}

function bearer(key: string | undefined): string | undefined {
  return key === undefined ? undefined : `Bearer ${key}`;
}

/** What the endpoints of one simulator share. */
export interface SimContext {
  readonly modelById: ReadonlyMap<string, ServedModel>;
  /** Context window reported by /v1/models and /tokenize and enforced on chat completions. */
  readonly maxModelLen: number;
  readonly noise: Noise | undefined;
  readonly settings: LiveSettings;
  readonly book: Bookkeeping;
}
