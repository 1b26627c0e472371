import type { PlannedRun, PlannedSample } from '../../core/eval/plan.js';
import { samplesOf } from '../../core/eval/samples.js';
import type { Expectation } from '../../core/schemas/evalset.js';
import { scoreSample } from '../../core/scoring/score.js';
import type { ModelClient } from '../model/index.js';
import type { CachedResponse, Registry } from '../registry/types.js';
import { lazySchemaEngine } from '../schema-engine.js';
import type { CachedSamples } from './executor.js';
import { currentRoots, currentServeds, servedIfWeights } from './served-roots.js';
import { makeJudge, makeSafetyJudge, type JudgeCache } from './judge.js';
import { scoreContextOf } from './score-context.js';
import { plantCanaries } from './session-plan.js';

/**
 * Whether a planned eval is answered entirely from the registry's response cache: every sample's
 * answer, and every judge question that scoring those answers asks. Then nothing is sent, so the
 * server need not be up and is not checked. The judge questions are found by scoring the cached
 * answers with judges that may only read the cache (the same keys the run uses); the first
 * question that would go to the server answers "no".
 * Conservative for --resume: samples a resumed run would skip are checked too.
 */

class WouldSend extends Error {}

/** A client that never sends: asking it anything means the run is not fully cached. */
const cacheOnly: ModelClient = {
  preflight: () => Promise.reject(new WouldSend()),
  complete: () => Promise.reject(new WouldSend()),
  tokenize: () => Promise.reject(new WouldSend()),
  circuitOpen: false,
  downStreak: 0,
};

/** Samples in all that the check keeps for the run (CachedSamples): a large cached re-run does not hold every answer at once. */
const KEEP_AT_MOST = 20_000;

/** Cache keys read at once: one query instead of one per sample. */
const READ_PAGE = 500;

function* pagesOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let page: T[] = [];
  for (const item of items) {
    page.push(item);
    if (page.length === size) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}

/** The samples and answers when every answer is cached (empty when too many to keep), else undefined. */
export async function answeredFromCache(planned: PlannedRun[], registry: Registry, judges: { judgeModel: string; safetyJudgeModel?: string }): Promise<CachedSamples | undefined> {
  // Canaries are part of adversarial messages, so of their cache keys (runSession plants the same ones).
  await plantCanaries(registry, planned);
  // What each model serves now as far as the registry knows (asked once per model).
  const servedNow = currentServeds(registry);
  const currentRoot = currentRoots(registry, servedNow);
  // A grade the judge gave on weights a later run saw replaced is asked again, as a sample's answer is (below).
  const cache: JudgeCache = { get: async (key, model) => ofKnownWeights(await registry.getCachedResponse(key), await currentRoot(model)), put: async () => undefined };
  const judge = makeJudge(cacheOnly, judges.judgeModel, cache);
  const schemas = lazySchemaEngine();
  const classify = judges.safetyJudgeModel ? makeSafetyJudge(cacheOnly, judges.safetyJudgeModel, cache) : undefined;
  // Scoring asks a judge only for a judge expectation, or refusal/no-compliance with a safety judge:
  // a case with neither asks nothing, so its cached answer need not be scored here.
  const asksJudge = (e: Expectation) => e.judge !== undefined || (classify !== undefined && (e.refusal !== undefined || e['no-compliance'] !== undefined));
  let kept: CachedSamples | undefined = new Map();
  let count = 0;
  for (const run of planned) {
    const samples: Array<PlannedSample & { hit: CachedResponse }> = [];
    kept?.set(run, samples);
    // The weights the cached answers came from: one root for the whole run is what it was earned on.
    const roots = new Set<string | undefined>();
    for (const page of pagesOf(samplesOf(run), READ_PAGE)) {
      const hits = await registry.getCachedResponses(page.map((s) => s.cacheKey));
      for (const s of page) {
        const hit = hits.get(s.cacheKey);
        if (!hit) return undefined;
        roots.add(hit.root);
        if (kept && ++count > KEEP_AT_MOST) kept = undefined;
        if (kept) samples.push({ ...s, hit });
        if (!s.case.expectations.some(asksJudge)) continue;
        try {
          await scoreSample(s.case.expectations, scoreContextOf(s, hit, { schemas, judge, classify }));
        } catch (e) {
          if (e instanceof WouldSend) return undefined;
          // Any other failure is the run's to report (as an error sample), not a reason to send.
        }
      }
    }
    // Answers of weights the server no longer serves (a later run recorded others behind the name)
    // are asked again: not answered from the cache, so the run checks the server and re-sends them.
    // An answer that recorded no root (before 0.2.0) is of unknown weights, never compared (core/served-weights.ts).
    const current = await currentRoot(run.model);
    if (current !== undefined && [...roots].some((r) => r !== undefined && r !== current)) return undefined;
    const [root] = roots;
    if (roots.size === 1 && root !== undefined) {
      run.cachedRoot = root;
      // What the server said those weights are (root, an adapter's parent and its root): the run
      // records them as `served`, so a deploy of what it tested records them as after a run that
      // asked. Known when they are what the registry knows the name serves now (the only answers
      // taken when it knows any); answers of a name no run recorded keep the flat text only.
      const now = await servedIfWeights(servedNow, run.model, root);
      if (now) run.cachedServed = now;
    }
  }
  return kept ?? new Map();
}

/** A cached answer unless it recorded other weights than `current`, what the registry knows its model serves now (none known, or none recorded: taken). */
function ofKnownWeights(hit: CachedResponse | undefined, current: string | undefined): CachedResponse | undefined {
  return hit?.root !== undefined && current !== undefined && hit.root !== current ? undefined : hit;
}
