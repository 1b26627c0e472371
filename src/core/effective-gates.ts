import { isJsonObject } from './canonical.js';
import type { GatePolicy } from './schemas/config.js';

/**
 * Every gate an environment applies, with its value and where that value comes from: set in
 * .promptrc.yaml, or promptctl's default (some defaults depend on the environment's place in the
 * order). Pure: the config as parsed (defaults filled in) and as written (the raw YAML) come in.
 */

export type GateSource = 'default' | '.promptrc.yaml';

export interface EffectiveGate {
  /** The policy key, dotted for a nested one (`unattended.require_reason`). */
  gate: string;
  /** The value that applies; null when the gate is off. */
  value: boolean | number | string | null;
  source: GateSource;
}

export interface EnvironmentGates {
  env: string;
  gates: EffectiveGate[];
}

/** The inconclusive rule: block in the last environment of the order unless the policy says, warn elsewhere. */
export function onInconclusiveOf(policy: Pick<GatePolicy, 'on_inconclusive'>, env: string, envOrder: readonly string[]): 'block' | 'warn' {
  return policy.on_inconclusive ?? (env === envOrder.at(-1) ? 'block' : 'warn');
}

// The order a reader meets them in: what a version must have, then the limits, then who may change it.
const KEYS = [
  'requires_tested',
  'requires_previous_env',
  'min_golden_pass_rate',
  'min_adversarial_pass_rate',
  'max_pii_leaks',
  'max_system_prompt_leaks',
  'max_pass_rate_drop',
  'regression_method',
  'confidence',
  'on_inconclusive',
  'max_p95_latency_increase_ms',
  'allow_override',
  'require_reason',
] as const satisfies ReadonlyArray<keyof GatePolicy>;

const UNATTENDED = ['require_reason', 'require_actor'] as const;

/**
 * `environments` as parsed (every gate filled in) and `written`, the config file's raw
 * `environments` list (what the user wrote, in the same order).
 */
export function effectiveGates(environments: ReadonlyArray<{ name: string; gates: GatePolicy }>, written: unknown): EnvironmentGates[] {
  const order = environments.map((e) => e.name);
  const raw = Array.isArray(written) ? written : [];
  return environments.map((e, i) => {
    const entry: unknown = raw[i];
    const set = isJsonObject(entry) && isJsonObject(entry.gates) ? entry.gates : {};
    const source = (key: string): GateSource => (Object.hasOwn(set, key) ? '.promptrc.yaml' : 'default');
    const gates: EffectiveGate[] = KEYS.map((key) => {
      const value = key === 'on_inconclusive' ? onInconclusiveOf(e.gates, e.name, order) : e.gates[key];
      return { gate: key, value: value ?? null, source: source(key) };
    });
    const unattended = isJsonObject(set.unattended) ? set.unattended : {};
    for (const key of UNATTENDED) {
      gates.push({ gate: `unattended.${key}`, value: e.gates.unattended[key], source: Object.hasOwn(unattended, key) ? '.promptrc.yaml' : 'default' });
    }
    return { env: e.name, gates };
  });
}
