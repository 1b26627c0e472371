/**
 * Which weights a served model name stands for: the one rule every comparison of weights uses (the
 * deploy gate, status, rollback, the response cache, the redeploy of an active version).
 *
 * `GET /v1/models` says what a name is: `root`, the weights it loads (a LoRA adapter's own path),
 * and for an adapter `parent`, the base model's served name, whose own `root` is the base weights.
 * An adapter's weights are the base plus the adapter, so a change of either root is other weights.
 */

/** What /v1/models says of a served name beside the name itself. */
export interface ServedAs {
  root?: string;
  /** An adapter's base model (its served name). */
  parent?: string;
  /** The root the adapter's base model loads, from the same list. */
  parentRoot?: string;
}

/** One entry of /v1/models as the server sent it (fields unchecked). */
export interface ModelCard {
  id?: unknown;
  root?: unknown;
  parent?: unknown;
}

/**
 * What the list says `model` is. A root equal to the name is kept: it is vLLM's default (no
 * `--served-model-name`), and a later swap behind the name is told only against a recorded root.
 */
export function servedAsIn(cards: readonly ModelCard[], model: string): ServedAs {
  const card = cards.find((m) => m.id === model);
  const as: ServedAs = {};
  if (typeof card?.root === 'string') as.root = card.root;
  if (typeof card?.parent === 'string') {
    as.parent = card.parent;
    const base = cards.find((m) => m.id === card.parent);
    if (typeof base?.root === 'string') as.parentRoot = base.root;
  }
  return as;
}

/**
 * The weights a run on `model` was answered by, as one comparable text: the root, and after " on "
 * an adapter's base root (`adapters/support-lora on org/base-v2`). For a served-as that names a
 * root (`namesWeights`); without one the name itself stands in (a replica check compares like with like).
 */
export function weightsOf(model: string, served: ServedAs | undefined): string {
  const root = served?.root ?? model;
  return served?.parentRoot === undefined ? root : `${root} on ${served.parentRoot}`;
}

/**
 * `weightsOf` where a root was recorded, else undefined: unknown weights, never compared. Runs,
 * deploys and cached answers from before 0.2.0 recorded no root even where the server named one
 * (promptctl left out a root equal to the name), so "none recorded" cannot be read as the name's
 * own weights: an upgrade would then refuse every older mark and send every cached answer again.
 */
export function knownWeights(model: string, served: ServedAs | undefined): string | undefined {
  return namesWeights(served) ? weightsOf(model, served) : undefined;
}

/** Whether a served-as names weights at all (a server that reports no root says nothing). */
export function namesWeights(served: ServedAs | undefined): served is ServedAs & { root: string } {
  return served?.root !== undefined;
}

/**
 * The weights two records of one served name differ by (`{ model, from, to }`), when both name
 * their weights: a redeploy after the server swapped what the name loads. Another name, or a record
 * that names no weights, is no weights change.
 */
export function weightsChange(before: ServedAs & { model: string }, after: ServedAs & { model: string }): WeightsChange | undefined {
  return changeBetween(before.model, after.model, knownWeights(before.model, before), knownWeights(after.model, after));
}

type WeightsChange = { model: string; from: string; to: string };

/** Two records' weights as a change: one served name, both known, different. */
function changeBetween(beforeModel: string, afterModel: string, from: string | undefined, to: string | undefined): WeightsChange | undefined {
  return beforeModel === afterModel && from !== undefined && to !== undefined && from !== to ? { model: afterModel, from, to } : undefined;
}

/**
 * What a run recorded of the weights that answered it: `served`, what the server said of them, and
 * for a run answered wholly from the cache `cachedRoot`, the weights text its cached answers named
 * (beside `served` of those weights when the registry knew them, else alone).
 */
export interface RecordedWeights {
  served?: ServedAs;
  cachedRoot?: string;
}

/** Whether a run's answers came from the server (it recorded what the server named), not wholly from answers cached before. */
export function askedTheServer(run: RecordedWeights): boolean {
  return namesWeights(run.served) && run.cachedRoot === undefined;
}

/** The weights a run recorded (`knownWeights`, or the root its cached answers named); undefined: unknown. */
export function recordedWeights(model: string, run: RecordedWeights): string | undefined {
  return namesWeights(run.served) ? weightsOf(model, run.served) : run.cachedRoot;
}

/**
 * `weightsChange` for two runs of one served name as they recorded their weights (`recordedWeights`,
 * cached runs included): the two sides of a comparison answered by other weights behind the name.
 * Another name (a comparison of models), or a run of unknown weights, is no weights change.
 */
export function runsWeightsChange(before: { model: string; summary?: RecordedWeights }, after: { model: string; summary?: RecordedWeights }): WeightsChange | undefined {
  return changeBetween(before.model, after.model, recordedWeights(before.model, before.summary ?? {}), recordedWeights(after.model, after.summary ?? {}));
}

/**
 * The weights runs of `model` judged as one were answered by (a merge of shard runs, each recorded
 * by its own job): `weights` when they agree (undefined: none named any), `mixed` when they differ.
 * A run that asked the server is compared as preflight compares one run's replicas: a server that
 * names no root stands for the name's own weights, so beside one that names other weights they
 * differ, as a replica that names none beside one that names a root stops an unsharded run. A run
 * answered wholly from cached answers that named no root (before 0.2.0) is of unknown weights,
 * compared with none, as an unsharded run keeps such answers beside the server's (never compared).
 */
export function weightsOfRuns(model: string, runs: readonly RecordedWeights[]): { weights: string | undefined } | { mixed: true } {
  const compared = new Set(runs.map((r) => (r.served ? weightsOf(model, r.served) : r.cachedRoot)).filter((w) => w !== undefined));
  if (compared.size > 1) return { mixed: true };
  return { weights: runs.map((r) => recordedWeights(model, r)).find((w) => w !== undefined) };
}
