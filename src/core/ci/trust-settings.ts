import { canonicalJson, isJsonObject } from '../canonical.js';
import type { Problem } from '../errors.js';
import { CONFIG_FILE, type PromptrcConfig } from '../schemas/config.js';

/**
 * The settings of `.promptrc.yaml` that a pull request must not choose for its own ci run: where
 * ci's requests go and which secret they carry (`server.base_url`, `server.api_key_env`), where its
 * results are recorded and with which password (`registry`), and which signatures count
 * (`signing`). A branch that changes them together with anything ci evaluates could have its
 * versions answered by a server it controls (answers cached, marks earned, in the team registry),
 * send the CI job's secrets there, or be judged against an empty registry that has no deploys to
 * regress from. So ci refuses that combination, and a change of these settings on its own is
 * linted only: ci then opens neither the server nor the registry.
 *
 * Everything else (models, defaults, gates, environments) is the pull request's to change: it is
 * what the review reads, and ci evaluates it as written.
 */

export interface TrustChange {
  /** The field, as written in the file (`server.base_url`, `registry.path`, `signing`). */
  field: string;
  /** What the base branch says and what the pull request says (`unset` when absent). */
  from: string;
  to: string;
}

type Config = Pick<PromptrcConfig, 'server' | 'registry' | 'signing'>;

/**
 * The trust settings, in one list for the refusal (`trustChanges`), a base that cannot be read
 * (`unreadableBaseTrust`), the planner's hash and ci's list of other changes (`withoutTrustSettings`):
 * two fields of `server`, and the whole of `registry` (compared field by field) and `signing`.
 */
const SERVER_FIELDS = ['base_url', 'api_key_env'] as const;
const WHOLE_SECTIONS = ['registry', 'signing'] as const;
type ServerField = (typeof SERVER_FIELDS)[number];

/**
 * A value as a change shows it: `unset` when absent, `off` for null (a gate switched off, in the
 * word `config --effective` uses: core/effective-gates.ts gives an off gate as null), a string as
 * written, anything else as JSON.
 */
const shown = (v: unknown): string => (v === undefined ? 'unset' : v === null ? 'off' : typeof v === 'string' ? v : canonicalJson(v));

/** `field` changed from `a` to `b`, or undefined when the two say the same (ci's list of config changes uses it too). */
export function fieldChange(field: string, a: unknown, b: unknown): TrustChange | undefined {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null) ? undefined : { field, from: shown(a), to: shown(b) };
}

/** The replicas as a set, each without a trailing `/`: the order and the slash change nothing sent. */
const replicas = (c: Config): string => [...new Set([c.server.base_url].flat().map((u) => u.replace(/\/+$/, '')))].sort().join(', ');

export interface TrustOptions {
  /** PROMPTCTL_REGISTRY_URL is set: it, not `registry.path` or `registry.url`, says where the registry is. */
  registryFromEnv?: boolean;
}

/** How each whole section is compared; keyed by the list, so a section added to it must say how. */
const SECTION_CHANGES: Record<(typeof WHOLE_SECTIONS)[number], (base: Config, head: Config, opts: TrustOptions) => Array<TrustChange | undefined>> = {
  // Field by field (the file, URL, schema, password variable); the file and URL say nothing while the environment names the registry.
  registry: (base, head, opts) => {
    const unused = new Set(opts.registryFromEnv ? ['path', 'url'] : []);
    const at = (c: Config, k: string) => (c.registry as Record<string, unknown>)[k];
    const keys = [...new Set([...Object.keys(base.registry), ...Object.keys(head.registry)])].filter((k) => !unused.has(k));
    return keys.map((k) => fieldChange(`registry.${k}`, at(base, k), at(head, k)));
  },
  // As a whole: lists of keys, not worth quoting.
  signing: (base, head) => [canonicalJson(base.signing) === canonicalJson(head.signing) ? undefined : { field: 'signing', from: 'as on the base branch', to: 'changed' }],
};

/** The trust settings the pull request's config changes from the base's, in the order of the file. */
export function trustChanges(base: Config, head: Config, opts: TrustOptions = {}): TrustChange[] {
  // The replicas as a set without trailing slashes; the key variable as written.
  const server = (c: Config, f: ServerField) => (f === 'base_url' ? replicas(c) : c.server[f]);
  const changes = [...SERVER_FIELDS.map((f) => fieldChange(`server.${f}`, server(base, f), server(head, f))), ...WHOLE_SECTIONS.flatMap((s) => SECTION_CHANGES[s](base, head, opts))];
  return changes.filter((c): c is TrustChange => c !== undefined);
}

/** A base whose `.promptrc.yaml` cannot be read or is not valid: nothing to compare with, so every trust setting counts as changed. */
export function unreadableBaseTrust(): TrustChange[] {
  const from = "unreadable on the base branch (its .promptrc.yaml does not load)";
  return [...SERVER_FIELDS.map((f) => `server.${f}`), ...WHOLE_SECTIONS].map((field) => ({ field, from, to: 'as this branch says' }));
}

/**
 * `.promptrc.yaml` as written (a parsed YAML value) without its trust settings: what ci compares
 * with the base's to tell whether anything else changed (models, defaults, gates), which is what
 * re-evaluates the project's prompts. A value that is not a mapping is returned as it is.
 */
export function withoutTrustSettings(raw: unknown): unknown {
  if (!isJsonObject(raw)) return raw;
  const rest: Record<string, unknown> = { ...raw };
  for (const section of WHOLE_SECTIONS) delete rest[section];
  if (!isJsonObject(rest.server)) return rest;
  const server: Record<string, unknown> = { ...rest.server };
  for (const f of SERVER_FIELDS) delete server[f];
  return { ...rest, server };
}

/**
 * ci's refusal of trust settings changed together with what it would evaluate (or with other
 * settings, which re-evaluate every prompt): one problem per field, at its line of `.promptrc.yaml`.
 */
export function trustChangeProblems(changes: TrustChange[], locate: (path: string[]) => { line: number; col: number }, base: string): Problem[] {
  return changes.map((c) => ({
    file: CONFIG_FILE,
    ...locate(c.field.split('.')),
    field: c.field,
    message: `${c.field} changes (${c.from} -> ${c.to}) in a pull request that ci must evaluate: ci sends requests and records results only through the server, registry and keys ${base} configures, so a branch cannot choose where its answers come from, where its secrets go or where its results are recorded; change ${c.field} in a pull request of its own (ci lints it and evaluates nothing), then this one`,
    severity: 'error' as const,
    rule: 'ci/trust-settings',
  }));
}
