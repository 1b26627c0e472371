/**
 * The models the simulator serves, as vLLM lists them: base models under their served names (with
 * `root`, the weights they load, so two servers may serve different weights under one name), and
 * LoRA adapters (vLLM `--lora-modules name=path`) whose `root` is the adapter's own weights and
 * `parent` the base model they apply to. A model may carry a `weakness`: the share of cases whose
 * extractive answer it gets wrong, chosen by a hash of its root and the case, so a model upgrade
 * changes verdicts deterministically (the same cases every time, whatever the seed).
 */

export interface ModelSpec {
  /** The served name clients send as `model`. */
  id: string;
  /** Base model: the weights' path (default: the id). Adapter: the adapter's path (default: `adapters/<id>`). */
  root?: string;
  /** Set for a LoRA adapter: the served name of its base model. */
  parent?: string;
  /** Share in [0, 1] of cases whose extractive answer this model misses; default 0. */
  weakness?: number;
}

export interface ServedModel {
  id: string;
  root: string;
  parent: string | null;
  weakness: number;
}

/** Validated catalogue: the base models named (default ['sim-model']), then the adapters, in order. */
export function servedModels(names: readonly string[] | undefined, specs: readonly ModelSpec[] = []): ServedModel[] {
  const out = new Map<string, ServedModel>();
  for (const id of names?.length ? names : ['sim-model']) out.set(id, { id, root: id, parent: null, weakness: 0 });
  for (const s of specs) {
    const known = out.get(s.id);
    if (!known && !s.parent) throw new Error(`model ${s.id} is not served: name it with --model (or models) first`);
    const parent = s.parent ?? known?.parent ?? null;
    if (parent !== null && out.get(parent)?.parent !== null) throw new Error(`adapter ${s.id}: its base model ${parent} is not a served base model`);
    const weakness = s.weakness ?? known?.weakness ?? 0;
    if (!(weakness >= 0 && weakness <= 1)) throw new Error(`model ${s.id}: weakness must be in [0, 1], got ${String(s.weakness)}`);
    out.set(s.id, { id: s.id, root: s.root ?? known?.root ?? `adapters/${s.id}`, parent, weakness });
  }
  return [...out.values()];
}

/** One /v1/models entry, as vLLM's OpenAI server writes it. */
export function modelCard(m: ServedModel, createdAt: number, maxModelLen: number): Record<string, unknown> {
  return {
    id: m.id,
    object: 'model',
    created: createdAt,
    owned_by: 'vllm',
    root: m.root,
    parent: m.parent,
    max_model_len: maxModelLen,
    permission: [],
  };
}

/** The body of GET /v1/models: every served model's card. */
export function modelList(models: readonly ServedModel[], createdAt: number, maxModelLen: number): unknown {
  return {
    object: 'list',
    data: models.map((m) => modelCard(m, createdAt, maxModelLen)),
  };
}

/**
 * `--model NAME[=ROOT]`, `--adapter NAME=BASE[@ROOT]`, `--model-weakness NAME=P` as specs. Model
 * names may not hold `=` (vLLM's served names never do).
 */
export function modelSpecsFromFlags(flags: { model?: string[]; adapter?: string[]; weakness?: string[] }): { names: string[] | undefined; specs: ModelSpec[] } {
  const specs: ModelSpec[] = [];
  const names = flags.model?.map((raw) => {
    const [id, root] = split(raw, '=');
    if (root !== undefined) specs.push({ id, root });
    return id;
  });
  for (const raw of flags.adapter ?? []) {
    const [id, rest] = split(raw, '=');
    if (rest === undefined) throw new Error(`--adapter ${raw}: expected NAME=BASE or NAME=BASE@ROOT`);
    const [parent, root] = split(rest, '@');
    specs.push({ id, parent, ...(root !== undefined ? { root } : {}) });
  }
  for (const raw of flags.weakness ?? []) {
    const [id, p] = split(raw, '=');
    const weakness = Number(p);
    if (p === undefined || !Number.isFinite(weakness)) throw new Error(`--model-weakness ${raw}: expected NAME=P with P in [0, 1]`);
    specs.push({ id, weakness });
  }
  return { names, specs };
}

function split(raw: string, sep: string): [string, string | undefined] {
  const at = raw.indexOf(sep);
  if (at === 0) throw new Error(`"${raw}": the name is empty`);
  return at < 0 ? [raw, undefined] : [raw.slice(0, at), raw.slice(at + 1)];
}
