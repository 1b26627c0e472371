import { isJsonObject } from '../canonical.js';
import { effectiveGates } from '../effective-gates.js';
import type { PromptrcConfig } from '../schemas/config.js';
import { fieldChange, trustChanges, withoutTrustSettings, type TrustChange, type TrustOptions } from './trust-settings.js';

/**
 * What a pull request changes in `.promptrc.yaml`, field by field with defaults filled in (so a
 * removed line that falls back to its default is no change, and `null` that turns a gate off is):
 * ci's summary lists them beside the versions it evaluated, so a reviewer sees a loosened gate
 * without reading the YAML. Environments are named by their `name`, not their position. Gates are
 * compared as they apply (core/effective-gates.ts, what `config --effective` prints), since some
 * defaults depend on the order: an environment added after production moves production's
 * `on_inconclusive` from block to warn without a line of production changing.
 */
export type ConfigChange = TrustChange;

/** Not a field of the file: the environment ci compares with when --baseline names none, the last one of the order. */
export const DEFAULT_BASELINE = 'default baseline environment';

function leaves(value: unknown, at: string, out: Map<string, unknown>): void {
  if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, at ? `${at}.${k}` : k, out);
  } else out.set(at, value);
}

/** The fields besides the trust settings; environments only where `keep` has them (an added or removed one is named once, not field by field). */
function flat(c: PromptrcConfig, keep: Set<string>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const { environments, ...rest } = withoutTrustSettings(c) as Record<string, unknown> & { environments: PromptrcConfig['environments'] };
  leaves(rest, '', out);
  const applied = new Map(effectiveGates(environments, undefined).map((e) => [e.env, e.gates]));
  for (const { name, gates: _, ...other } of environments) {
    if (!keep.has(name)) continue;
    // A gate that is off is null there, which the change shows as `off`, as `config --effective` does.
    for (const g of applied.get(name) ?? []) out.set(`environments.${name}.gates.${g.gate}`, g.value);
    leaves(other, `environments.${name}`, out);
  }
  return out;
}

/** Every field whose value differs, trust settings first (core/ci/trust-settings.ts), then the rest in the head's order, then removed ones. */
export function configChanges(base: PromptrcConfig, head: PromptrcConfig, opts: TrustOptions = {}): ConfigChange[] {
  const names = (c: PromptrcConfig) => c.environments.map((e) => e.name);
  const both = new Set(names(base).filter((n) => names(head).includes(n)));
  const before = flat(base, both);
  const after = flat(head, both);
  const out: ConfigChange[] = [...trustChanges(base, head, opts)];
  if (names(base).join(', ') !== names(head).join(', ')) out.push({ field: 'environments', from: names(base).join(', '), to: names(head).join(', ') });
  // ci compares with the last environment unless --baseline names one: a reorder moves what every later run is judged against.
  const last = (c: PromptrcConfig) => c.environments.at(-1)!.name; // at least one: the schema's min(1)
  if (last(base) !== last(head)) out.push({ field: DEFAULT_BASELINE, from: last(base), to: last(head) });
  for (const key of new Set([...after.keys(), ...before.keys()])) {
    const change = fieldChange(key, before.get(key), after.get(key));
    if (change) out.push(change);
  }
  return out;
}
