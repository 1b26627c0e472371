/**
 * The replica set of one model client: least-in-flight balancing, and ejection of a replica that
 * failed (transport error or 5xx) for a cool-down. A dead replica fails at once, so it always has
 * the fewest requests in flight: without ejection it would draw most of the traffic. When the
 * cool-down ends, one probe request is let through; its success brings the replica back, its
 * failure ejects it again. With no usable replica left, requests still go out (to the one whose
 * cool-down ends first): the circuit breaker, not the replica set, decides that the server is down.
 */
import type OpenAI from 'openai';
import { originOf } from './preflight.js';
import { vllmErrorFetch } from './vllm-fetch.js';

/** How long a failed replica gets no traffic before one probe request is let through. */
export const REPLICA_COOLDOWN_MS = 5_000;

export interface Replica {
  baseUrl: string;
  origin: string;
  /** Created on first use: a run that sends nothing (all answers cached) never loads the SDK. */
  sdk: () => Promise<OpenAI>;
  inFlight: number;
  /** Set once the replica answered 404 to /tokenize, so we stop asking. */
  noTokenize: boolean;
  /** 0 while healthy; else the clock time when the cool-down ends and a probe may go. */
  ejectedUntil: number;
  /** A probe request is in flight: no other request goes to this ejected replica meanwhile. */
  probing: boolean;
}

/** What pick() hands out: the replica, and whether this request is its probe. */
export interface Lease {
  replica: Replica;
  probe: boolean;
}

export interface ReplicaSetOptions {
  baseUrls: string[];
  apiKey?: string;
  timeoutMs: number;
  cooldownMs: number;
  now: () => number;
}

/** Loading the openai SDK is a measurable part of start-up, so it waits for the first request. */
function lazySdk(baseURL: string, o: ReplicaSetOptions): () => Promise<OpenAI> {
  let sdk: Promise<OpenAI> | undefined;
  return () => (sdk ??= import('openai').then(({ default: SDK }) => new SDK({ baseURL, apiKey: o.apiKey ?? 'EMPTY', maxRetries: 0, timeout: o.timeoutMs, fetch: vllmErrorFetch, ...withoutSdkVariables() })));
}

/**
 * What the SDK would otherwise take from process.env, turned off: OPENAI_ORG_ID and
 * OPENAI_PROJECT_ID become headers sent to the vLLM server, OPENAI_CUSTOM_HEADERS adds its own,
 * and OPENAI_LOG makes the SDK write every request and answer (prompts, case inputs) to the console.
 * Variables set for another tool must not change what an eval sends, and a use case never prints;
 * the server's settings come from the config and the caller's `env` only. The SDK reads the custom
 * headers in its constructor whatever it is given, so their names are read here only to clear them.
 */
function withoutSdkVariables() {
  const custom = (process.env.OPENAI_CUSTOM_HEADERS ?? '').split('\n').flatMap((line) => {
    const colon = line.indexOf(':');
    return colon >= 0 && line.slice(0, colon).trim() ? [line.slice(0, colon).trim()] : [];
  });
  return { organization: null, project: null, logLevel: 'off' as const, defaultHeaders: Object.fromEntries(custom.map((name) => [name, null])) };
}

export function createReplicaSet(o: ReplicaSetOptions) {
  const replicas: Replica[] = o.baseUrls.map((baseUrl) => ({
    baseUrl,
    origin: originOf(baseUrl),
    sdk: lazySdk(baseUrl, o),
    inFlight: 0,
    noTokenize: false,
    ejectedUntil: 0,
    probing: false,
  }));
  let cursor = 0;

  /** Fewest requests in flight among `usable`; ties go round-robin so idle replicas share the load. */
  function leastLoaded(usable: (r: Replica) => boolean): Replica | undefined {
    const n = replicas.length;
    let best: Replica | undefined;
    let bestIndex = 0;
    for (let k = 0; k < n; k++) {
      const i = (cursor + k) % n;
      const r = replicas[i]!;
      if (!usable(r)) continue;
      if (!best || r.inFlight < best.inFlight) {
        best = r;
        bestIndex = i;
      }
    }
    if (best) cursor = (bestIndex + 1) % n;
    return best;
  }

  const healthy = (r: Replica): boolean => r.ejectedUntil === 0;
  const probeable = (r: Replica, now: number): boolean => r.ejectedUntil !== 0 && !r.probing && r.ejectedUntil <= now;

  /**
   * The replica for the next attempt. A first attempt goes to a healthy replica or a due probe; a
   * retry (`avoid` = the replica that just failed) prefers another healthy replica, then another
   * due probe, and only then the same one again.
   */
  function pick(avoid?: Replica): Lease {
    const now = o.now();
    const r =
      (avoid && (leastLoaded((x) => x !== avoid && healthy(x)) ?? leastLoaded((x) => x !== avoid && probeable(x, now)))) ??
      leastLoaded((x) => healthy(x) || probeable(x, now)) ??
      soonestBack();
    const probe = probeable(r, now);
    if (probe) r.probing = true;
    return { replica: r, probe };
  }

  /** Every replica is ejected and cooling down: the one that comes back first. */
  function soonestBack(): Replica {
    let best = replicas[0]!;
    for (const r of replicas) if (r.ejectedUntil < best.ejectedUntil) best = r;
    return best;
  }

  return {
    replicas,
    pick,
    anyHealthy: (): boolean => replicas.some(healthy),
    /** A replica that still has /tokenize, healthy ones first (token counts are best effort); a retry (`avoid`) prefers another. */
    pickForTokenize: (avoid?: Replica) => leastLoaded((x) => x !== avoid && !x.noTokenize && healthy(x)) ?? leastLoaded((x) => !x.noTokenize && healthy(x)) ?? leastLoaded((x) => !x.noTokenize),
    /** The attempt on `lease` answered: the replica serves again. */
    succeeded(lease: Lease): void {
      lease.replica.ejectedUntil = 0;
      if (lease.probe) lease.replica.probing = false;
    },
    /** The attempt failed; `down` = a transport failure or 5xx, which ejects the replica. */
    failed(lease: Lease, down: boolean): void {
      if (lease.probe) lease.replica.probing = false;
      if (down) eject(lease.replica);
    },
    eject,
    /**
     * Answered 429 (too many requests) with a wait (its Retry-After, else the backoff): no first
     * attempt goes there until the wait is over, then one probe. Not down, so the breaker does not
     * count it. Whether another healthy replica (`fits` it: /tokenize's has the route) can take the
     * retry at once, so that only the throttled replica waits.
     */
    throttle(r: Replica, ms: number, fits: (x: Replica) => boolean = () => true): boolean {
      r.ejectedUntil = Math.max(1, o.now() + ms, r.ejectedUntil);
      return replicas.some((x) => x !== r && healthy(x) && fits(x));
    },
    /** Out for good: reachable but unfit (does not serve the model, refuses the key). */
    retire(r: Replica): void {
      r.ejectedUntil = Infinity;
    },
  };

  function eject(r: Replica): void {
    // Never 0, which means healthy, whatever the clock reads.
    r.ejectedUntil = Math.max(1, o.now() + o.cooldownMs);
  }
}

export type ReplicaSet = ReturnType<typeof createReplicaSet>;
