import { servedOf } from '../../core/deployed-model.js';
import type { DeployGateInput } from '../../core/gate-types.js';
import { knownWeights, namesWeights, weightsOf, type ServedAs } from '../../core/served-weights.js';
import type { RunRecord } from '../../core/schemas/run.js';
import { newestRunsHolding } from '../registry/newest-runs.js';
import type { Registry, TestedMark } from '../registry/types.js';

/**
 * The weights behind a model name as far as the registry knows, read offline: the `root` each run
 * that earned a tested mark recorded (core/served-weights.ts: none recorded is unknown, not compared), and
 * the one the latest run on that name (any prompt, any version) that recorded a root says (a run
 * answered wholly from the cache records that of the answers it reused, all-cached.ts).
 * The gate compares them (core/gate-tested.ts); nothing asks the server.
 *
 * A run answered wholly from the cache asked the server nothing: it records the `served` of the
 * answers it reused where the registry knew it, else only their root (`cachedRoot`, when they
 * agree), else none; then that of the newest earlier run of the same suite, content and model (the
 * cache keeps the last answer to each request). Without that, a cached re-run after a swap of
 * weights re-earned the mark on the old weights' answers unseen.
 */
export async function servedRootsOf(
  registry: Registry,
  mark: Pick<TestedMark, 'model' | 'suites'> | undefined,
  /** What a model serves now; callers asking about many marks pass `currentRoots(registry)`, which asks once per model. */
  rootNow: (model: string) => Promise<string | undefined> = (model) => currentRoot(registry, model),
): Promise<DeployGateInput['servedRoots']> {
  if (!mark?.suites.length) return undefined;
  const earned: string[] = [];
  for (const s of mark.suites) {
    const run = await registry.getRun(s.runId);
    if (!run) continue;
    // `cachedRoot` is already the weights text: the cache keeps weightsOf of the run that wrote each answer.
    const served = run.summary?.served;
    const weights = namesWeights(served) ? weightsOf(mark.model, served) : (run.summary?.cachedRoot ?? knownWeights(mark.model, await answeredBy(registry, run)));
    // A run that recorded no weights (before 0.2.0, or a server that names none) is not compared.
    if (weights !== undefined) earned.push(weights);
  }
  if (!earned.length) return undefined;
  const current = await rootNow(mark.model);
  return { earned, ...(current !== undefined ? { current } : {}) };
}

/** What `model` serves now as far as the registry knows: the weights the last run on the name that recorded a root was answered by. */
export async function currentRoot(registry: Pick<Registry, 'newestRuns'>, model: string): Promise<string | undefined> {
  const served = await currentServed(registry, model);
  return served && weightsOf(model, served);
}

/** `currentRoot`, asked once per model: for a caller that asks about many marks or runs (sharing `servedNow`'s answers when it asks for the served facts too). */
export function currentRoots(registry: Pick<Registry, 'newestRuns'>, servedNow = currentServeds(registry)): (model: string) => Promise<string | undefined> {
  return async (model) => {
    const served = await servedNow(model);
    return served && weightsOf(model, served);
  };
}

/**
 * What `model` serves now (`servedNow`), only when its weights are `weights`: what a run answered
 * from the cache (all-cached.ts) or merged from shards (merge-shards.ts) records as `served`.
 */
export async function servedIfWeights(servedNow: (model: string) => Promise<ServedAs | undefined>, model: string, weights: string | undefined): Promise<ServedAs | undefined> {
  if (weights === undefined) return undefined;
  const now = await servedNow(model);
  return now && weightsOf(model, now) === weights ? now : undefined;
}

/** `currentServed`, asked once per model. */
export function currentServeds(registry: Pick<Registry, 'newestRuns'>): (model: string) => Promise<ServedAs | undefined> {
  const asked = new Map<string, Promise<ServedAs | undefined>>();
  return (model) => {
    let served = asked.get(model);
    if (!served) asked.set(model, (served = currentServed(registry, model)));
    return served;
  };
}

/**
 * `currentServedOf` read from the newest runs on the name (and its base's, for an adapter) instead
 * of every run of the registry: a window of newest runs, widened until it holds the run that
 * decides. A year of CI runs made each answer read the whole table (30,000 runs: about 0.4 s), once
 * per version marked or gated.
 */
export async function currentServed(registry: Pick<Registry, 'newestRuns'>, model: string): Promise<ServedAs | undefined> {
  const rooted = (m: string) => (r: RunRecord) => r.model === m && namesWeights(r.summary?.served);
  const own = await newestRunsHolding(registry, [model], (runs) => runs.some(rooted(model)));
  const deciding = own.findLast(rooted(model));
  const parent = deciding?.summary?.served?.parent;
  if (parent === undefined) return currentServedOf(own, model);
  // Every run on the base newer than the deciding one is in a window that holds it.
  return currentServedOf(await newestRunsHolding(registry, [model, parent], (runs) => runs.some((r) => r.id === deciding!.id)), model);
}

/**
 * What the last run on `model` that recorded a root said the name is (runs oldest first). For an
 * adapter, its base's root is the newer of what that run recorded and what the last run on the
 * base's own name recorded: an upgrade of the base shows in any run on it.
 */
export function currentServedOf(runs: readonly RunRecord[], model: string): ServedAs | undefined {
  const i = runs.findLastIndex((r) => r.model === model && namesWeights(r.summary?.served));
  const served = runs[i]?.summary?.served;
  if (served?.parent === undefined) return served;
  const parent = served.parent;
  const j = runs.findLastIndex((r) => r.model === parent && namesWeights(r.summary?.served));
  return j > i ? { ...served, parentRoot: runs[j]!.summary!.served!.root } : served;
}

/** What the newest run before `run` of the same suite, contents and model that recorded a root said the name is. */
async function answeredBy(registry: Registry, run: RunRecord): Promise<ServedAs | undefined> {
  const runs = await registry.listRuns({ promptId: run.promptId, version: run.version, suite: run.suite });
  const before = runs.slice(0, Math.max(0, runs.findIndex((r) => r.id === run.id)));
  const same = (r: RunRecord) => r.model === run.model && r.promptHash === run.promptHash && r.suiteHash === run.suiteHash;
  return before.findLast((r) => same(r) && namesWeights(r.summary?.served))?.summary?.served;
}

/**
 * The weights the registry knows the active deploy's model name serves now (core/served-weights.ts),
 * when they are not those the deploy recorded: the active version is then not "already active"; a
 * redeploy (after an eval on them, or forced) records them.
 */
export async function swappedWeights(registry: Registry, activeDetail: Record<string, unknown> | undefined): Promise<{ change: { model: string; from: string; to: string }; now: ServedAs } | undefined> {
  const deployed = servedOf(activeDetail);
  const now = deployed && (await currentServed(registry, deployed.model));
  if (!deployed || !now) return undefined;
  const [from, to] = [knownWeights(deployed.model, deployed), weightsOf(deployed.model, now)];
  return from !== undefined && from !== to ? { change: { model: deployed.model, from, to }, now } : undefined;
}
