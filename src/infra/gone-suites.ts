import type { GoneSuite } from '../core/gate-types.js';
import { isRetired, suiteOfFile } from '../core/gone-suites.js';
import { suiteFileOf } from '../core/refs.js';
import type { PromptrcConfig } from '../core/schemas/config.js';
import { parseRegisteredContent } from '../core/registered-content.js';
import type { ModelSettings } from '../core/schemas/common.js';
import { judgeChange, judgesOf } from '../core/eval/grading.js';
import { activeDeployments } from './deployments.js';
import { servedBy } from './environment-model.js';
import { byRecency } from './eval/counting-run.js';
import { listYaml } from './project-dirs.js';
import type { Project } from './project.js';
import { filesInHistory } from './git-deletions.js';
import { fromCwdField } from './real-path.js';
import type { Registry } from './registry/types.js';
import { testedMarkThatCounts } from './signing.js';

/**
 * What a prompt's gone suites are judged against: the suites whose file is here, and the config's
 * retired suites and signing; `at`, the project's root and the folder the command ran in, from
 * which a gone suite's restore command names its file.
 */
export interface SuitesHere {
  here: ReadonlySet<string>;
  config: Pick<PromptrcConfig, 'retired_suites' | 'signing' | 'server'>;
  at: { root: string; cwd?: string };
}

/** The suites of `promptId` a loaded project has a file of: loaded, refused for their data, or not loading (not gone: the sound-files gate refuses it). */
export function suitesHereIn(project: Project, promptId: string): SuitesHere {
  const here = new Set([
    ...project.suites.filter((s) => s.promptId === promptId).map((s) => s.name),
    ...project.dataRefused.filter((s) => s.promptId === promptId).map((s) => s.name),
    ...project.problems.flatMap((p) => (suiteOfFile(p.file)?.promptId === promptId ? [suiteOfFile(p.file)!.suite] : [])),
  ]);
  return { here, config: project.config, at: project };
}

/** The same from the files alone, for a command that loads no suite (`status`): every suite file of the prompt there, whether it loads or not. */
export function suiteFilesHere(at: SuitesHere['at'], config: SuitesHere['config'], promptId: string): SuitesHere {
  const names = listYaml(at.root, `evalsets/${promptId}`, []).flatMap((f) => (suiteOfFile(`evalsets/${promptId}/${f}`) ? [suiteOfFile(`evalsets/${promptId}/${f}`)!.suite] : []));
  return { here: new Set(names), config, at };
}

/** A version active in an environment, as it is served there. */
export type ActiveAsServed = { version: string; hash: string; model: string; env?: string };

/**
 * The suites of a prompt the registry knows but the project lacks (core/gate-types.ts `GoneSuite`):
 * those the version has a finished run of every case of, on its current content and `model`, and
 * those the tested mark of a version active in an environment (`actives`) names. A suite whose file
 * is there but does not load is not gone (the sound-files gate refuses it). A run is read as it was
 * recorded (its summary): the suite's cases and threshold left with its file, and the run can only
 * add to a refusal, never lift one. One registry read, and one per active version.
 *
 * In git, gone means deleted from this checkout's history: a suite whose file no commit of HEAD's
 * history held (only a pull request's branch had it, its runs and marks recorded in a shared
 * registry) is not gone here, whatever the registry holds of it. Where git cannot tell (outside a
 * repository, before the first commit, a shallow clone), the registry's records decide.
 */
export async function goneSuites(
  registry: Registry,
  { here, config, at }: SuitesHere,
  v: { id: string; version: string; hash: string },
  model: string,
  actives: readonly ActiveAsServed[],
  /** `log: false` for an eval (testedMarkThatCounts): holding the log after a mark is the gates' and status's. */
  opts: { log?: boolean } = {},
): Promise<GoneSuite[]> {
  const gone = new Map<string, GoneSuite>();
  const entry = (suite: string, kind: GoneSuite['kind']): GoneSuite => {
    const file = suiteFileOf(v.id, suite);
    return gone.get(suite) ?? { suite, kind, file, ...fromCwdField(at, file), retired: isRetired(config.retired_suites, v.id, suite) };
  };
  const judges = judgesOf(config);
  const missing = missingHere(here, at.root, v.id);
  const runs = (await registry.listRuns({ promptId: v.id, version: v.version, status: 'finished' })).filter((r) => missing(r.suite) && r.promptHash === v.hash && r.model === model && r.summary !== undefined && !r.summary.partial);
  // Oldest first: the newest run of each suite is the one kept.
  for (const r of byRecency(runs)) {
    const s = r.summary!;
    const run = { passRate: s.passRate, p95: s.latencyP95, piiLeaks: s.piiLeaks ?? 0, systemPromptLeaks: s.systemPromptLeaks ?? 0, ...(s.resistance !== undefined ? { resistance: s.resistance } : {}), passed: s.verdict === 'passed', ...(s.verdict === 'incomplete' ? { incomplete: true } : {}) };
    // Graded otherwise than the config grades now: restored, the file would bring back a suite without a counting run.
    const regraded = judgeChange(s.grading, judges);
    const { regraded: _older, ...known } = entry(r.suite, r.suiteKind);
    gone.set(r.suite, { ...known, kind: r.suiteKind, run, ...(regraded ? { regraded } : {}) });
  }
  for (const active of actives) {
    const mark = await testedMarkThatCounts(registry, config.signing, v.id, active.version, active.hash, active.model, opts);
    // The first active version naming a suite is the one named.
    for (const s of mark ? mark.suites : []) if (missing(s.suite) && gone.get(s.suite)?.testedActive === undefined) gone.set(s.suite, { ...entry(s.suite, s.kind), testedActive: active.version, ...(active.env !== undefined ? { testedActiveIn: active.env } : {}) });
  }
  return [...gone.values()];
}

/** Whether a suite of `promptId` is missing here and was here before: not in `here`, and (in git) its file in HEAD's history. */
function missingHere(here: ReadonlySet<string>, root: string, promptId: string): (suite: string) => boolean {
  // git is asked only when the registry names a suite not here (most commands find none); null: git cannot tell.
  let had: Set<string> | null | undefined;
  const wasHere = (suite: string): boolean => {
    if (had === undefined) {
      const files = filesInHistory(root, `evalsets/${promptId}`);
      had = files ? new Set([...files].flatMap((f) => (suiteOfFile(f)?.promptId === promptId ? [suiteOfFile(f)!.suite] : []))) : null;
    }
    return had === null || had.has(suite);
  };
  return (suite) => !here.has(suite) && wasHere(suite);
}

/**
 * The version active in each of `envs`, as its deploy serves it (the model the event recorded, else
 * the config's for its registered content): whose tested marks name the suites a deploy there
 * compares with. Environments serving nothing, or a version the registry lacks, are left out.
 */
export async function activesAsServed(registry: Registry, config: PromptrcConfig, promptId: string, envs: readonly string[]): Promise<ActiveAsServed[]> {
  const events = await activeDeployments(registry, envs.map((env) => ({ promptId, env })));
  const out: ActiveAsServed[] = [];
  for (const [i, event] of events.entries()) {
    const record = event?.version ? await registry.getVersion(promptId, event.version) : undefined;
    if (!event?.version || !record) continue;
    const own = parseRegisteredContent<{ model?: Partial<ModelSettings> }>(record).model;
    out.push({ version: event.version, hash: record.contentHash, model: servedBy(config, event, own).model, env: envs[i]! });
  }
  return out;
}
