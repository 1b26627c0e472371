import { declaredSchema, resolveSchemaExpectations } from '../../core/eval/request.js';
import { rescoreSample } from '../../core/scoring/rescore.js';
import { SCORER_VERSION, scorerVersionOf, staleScorerSide } from '../../core/scoring/version.js';
import type { PromptVersion } from '../../core/schemas/prompt.js';
import type { RunRecord, SampleResult } from '../../core/schemas/run.js';
import type { Project, SuiteFile } from '../project.js';
import type { Registry } from '../registry/types.js';
import { bounded } from '../bounded-regex.js';
import { lazySchemaEngine } from '../schema-engine.js';
import { suiteCases } from './suite-target.js';
import { allowedPiiKeys } from '../../core/detectors/pii-allow.js';

/**
 * Two runs of one suite compared with each other (the regression gate, `eval --baseline`,
 * `compare`) are judged by one scorer: when they were scored by different scorer versions, the
 * older run's stored samples are re-scored with the current scorer, in memory, before they are
 * paired. The registry keeps what was recorded.
 */

/** A run's samples as the current scorer judges them. */
export interface Rescored {
  samples: SampleResult[];
  /** The scorer version they were re-scored with, and the one that recorded them. */
  scorer: number;
  recordedWith: number;
}

type Surface = Pick<PromptVersion, 'tools' | 'response_format' | 'structured_outputs'>;

/**
 * Of runs `a` and `b` of suite `s`, the side re-scored (its samples judged again), or nothing when
 * both were scored by the same version. A side the current scorer cannot judge again (its suite
 * content or its version's content is not at hand) is left as recorded, and `notes` says so.
 */
export async function alignScorers(registry: Registry, project: Project, s: SuiteFile, a: RunRecord, b: RunRecord, notes: string[]): Promise<{ a?: Rescored; b?: Rescored }> {
  const side = staleScorerSide(scorerVersionOf(a.summary), scorerVersionOf(b.summary));
  if (!side) return {};
  const run = side === 'a' ? a : b;
  const rescored = await rescoredRun(registry, project, s, run);
  if (!rescored) {
    notes.push(`${label(run)} was scored by scorer v${scorerVersionOf(run.summary)} and could not be re-scored with v${SCORER_VERSION} (its suite or version content is not at hand): compared as recorded`);
    return {};
  }
  return side === 'a' ? { a: rescored } : { b: rescored };
}

/** The sentence every output uses for a re-scored side. */
export function rescoredNote(run: RunRecord, r: Rescored): string {
  return `${label(run)} re-scored with scorer v${r.scorer} (recorded with v${r.recordedWith}) before comparing`;
}

const label = (run: RunRecord): string => `${run.promptId}@${run.version} ${run.suite} (run ${run.id.slice(0, 8)})`;

/** The run's stored samples judged by the current scorer against the suite content it ran. */
async function rescoredRun(registry: Registry, project: Project, s: SuiteFile, run: RunRecord): Promise<Rescored | undefined> {
  if (run.suiteHash !== s.hash) return undefined;
  const surface = await surfaceOf(registry, project, run);
  if (!surface) return undefined;
  const expectations = new Map(suiteCases(s).map((x) => [x.case.id, resolveSchemaExpectations(x.case.expect, surface)]));
  const responseSchema = declaredSchema(surface);
  const ctx = { ...(surface.tools ? { tools: surface.tools } : {}), ...(responseSchema !== undefined ? { responseSchema } : {}), schemas: lazySchemaEngine(), bounded, safetyJudge: project.config.server.judge_model !== undefined, ...(run.suiteKind === 'adversarial' ? { adversarial: true } : {}), ...(s.data.allowed_pii?.length ? { allowedPii: allowedPiiKeys(s.data.allowed_pii) } : {}) };
  const samples = (await registry.getSamples(run.id)).map((x) => {
    const expect = expectations.get(x.caseId);
    return expect ? rescoreSample(x, expect, ctx) : x;
  });
  return { samples, scorer: SCORER_VERSION, recordedWith: scorerVersionOf(run.summary) };
}

/** What of the run's version decides scoring (declared tools and schema): its file, else its registered content. */
async function surfaceOf(registry: Registry, project: Project, run: RunRecord): Promise<Surface | undefined> {
  const file = project.prompts.find((p) => p.id === run.promptId && p.version === run.version && p.hash === run.promptHash);
  if (file) return file.data;
  const record = await registry.getVersion(run.promptId, run.version);
  if (record?.contentHash !== run.promptHash) return undefined;
  try {
    return JSON.parse(record.content) as Surface;
  } catch {
    return undefined;
  }
}
