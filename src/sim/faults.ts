/**
 * Fault injection for POST /v1/chat/completions. Each request draws one number from the
 * simulator's seeded PRNG and walks the cumulative rates in a fixed order, so a rate of 1.0 always
 * produces that fault and a rate of 0 never does, whatever the concurrency.
 */

export interface FaultRates {
  /** 500 with vLLM's error body. */
  error500?: number;
  /** 429 with a Retry-After header. */
  rate429?: number;
  /** Never answer; the socket stays open until the client gives up or the simulator closes. */
  hang?: number;
  /** Destroy the socket without a response. */
  reset?: number;
  /** 200 whose JSON body is cut off half-way. */
  truncated?: number;
  /** 200 whose body is not JSON at all (an HTML error page from a proxy in front of the server). */
  garbage?: number;
  /** 200 whose answer has no `usage` (a proxy that drops it): the client cannot count tokens. */
  noUsage?: number;
  /** 200 whose `message.content` is OpenAI's content-parts array (`[{type:"text",text}]`), as some gateways send. */
  contentParts?: number;
  /** 200 whose `message.content` is an object: no chat completion shape at all (a broken proxy). */
  contentObject?: number;
}

export type FaultKind = keyof FaultRates;

// New kinds go last: an earlier place would shift which draw gives which fault for existing seeds.
const ORDER: readonly FaultKind[] = ['error500', 'rate429', 'hang', 'reset', 'truncated', 'garbage', 'noUsage', 'contentParts', 'contentObject'];

/**
 * The rates, checked: each a number in [0, 1], and no other key. A misspelt kind (`eror500`, from
 * POST /sim/config or a script) would otherwise be kept and echoed back as if set while nothing
 * is injected, so a fault test passes without its fault.
 */
export function validateFaultRates(f: FaultRates): FaultRates {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new RangeError(`fault rates must be an object of kinds to rates, got ${JSON.stringify(f)}`);
  const unknown = Object.keys(f).filter((k) => !(ORDER as readonly string[]).includes(k));
  if (unknown.length) throw new RangeError(`unknown fault kind ${unknown.join(', ')}: the kinds are ${ORDER.join(', ')}`);
  for (const k of ORDER) {
    const v = f[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      throw new RangeError(`fault rate ${k} must be a number in [0, 1], got ${String(v)}`);
    }
  }
  return { ...f };
}

export function hasFaults(f: FaultRates): boolean {
  return ORDER.some((k) => (f[k] ?? 0) > 0);
}

/** Pick the fault for one request from a uniform draw `r` in [0, 1), or null for a normal answer. */
export function pickFault(f: FaultRates, r: number): FaultKind | null {
  let acc = 0;
  for (const k of ORDER) {
    const rate = f[k] ?? 0;
    if (rate <= 0) continue;
    acc += rate;
    if (r < acc) return k;
  }
  return null;
}
