import { attackCategoryOf } from '../attacks/expand.js';
import { collisionMessage, generatedCaseFindings, generatedIdCollisions } from '../attacks/generated-check.js';
import { sha256Hex } from '../canonical.js';
import { requestKeyJson } from '../sent-schemas.js';
import type { Problem } from '../errors.js';
import type { CaseMessage, EvalCase, EvalSet, Expectation, VarValue } from '../schemas/evalset.js';
import type { ChatMessage, PromptVersion } from '../schemas/prompt.js';
import { compileMessages, type RenderProblem } from '../template.js';
import type { FieldPath, Locate } from '../yaml-source.js';
import { casePlacer, type PlaceCase } from './case-place.js';
import { exchangeRules, renderConversation, type ConversationTurn } from './conversation.js';
import { judgesOwnTokens, usesN, type RequestMode } from './n-sampling.js';
import { resolveSchemaExpectations, withSurface } from './request.js';
import { settingsKey } from './settings-key.js';
import { gradingOf, type Judges } from './grading.js';
import type { Grading } from '../schemas/run.js';
import type { ServedAs } from '../served-weights.js';
import type { RequestParams } from './request-params.js';
import { allowedPiiKeys } from '../detectors/pii-allow.js';

/**
 * The eval planner: pure. Turns prompt versions and suites into runs of cases, each run with its
 * request parameters and inputs key; samples.ts yields a run's samples, each with its exact request
 * and cache key. Nothing here sends or stores anything.
 *
 * Every case is rendered once while planning, so a missing variable stops the run before anything
 * is sent; the messages themselves are rendered again as a case's samples are produced
 * (samples.ts), so a run of 100,000 cases holds the messages of only the cases in flight, not of
 * every case at once.
 */

export interface PlanVersion {
  id: string;
  version: string;
  file: string;
  hash: string;
  data: PromptVersion;
}

export interface PlanSuite {
  name: string;
  file: string;
  hash: string;
  data: EvalSet;
  /** Cases the suite generates from attack packs (adversarial), already expanded. */
  generated: Array<{ case: EvalCase; category: string }>;
  /** Where a case's problem is reported (its dataset row, a subset's own index); default: `cases.<i>` of the suite file. */
  placeCase?: PlaceCase;
}

export interface PlannedCase {
  id: string;
  category?: string;
  /** The case's own variables (over the run's base variables); rendered by `renderCase`. */
  vars: Record<string, VarValue>;
  expectations: Expectation[];
  repeat: number;
  minPassRate: number;
  /** Turns after the rendered prompt (`messages:`), rendered by `renderCase`. */
  conversation?: CaseMessage[];
  /** Tool results by function name (`tool_results:`), sent back for a second turn. */
  toolResults?: Record<string, unknown>;
}

export interface PlannedRun {
  promptId: string;
  version: string;
  promptHash: string;
  suite: string;
  suiteKind: 'golden' | 'adversarial';
  suiteHash: string;
  model: string;
  /** Identifies the requests: the same inputs key means a run can be resumed or its answers reused. */
  inputsKey: string;
  threshold: number;
  maxErrorRate: number;
  leakMinChars: number;
  /** The suite's `allowed_pii` as keys (core/detectors/pii-allow.ts): values no-pii does not count. */
  allowedPii?: string[];
  canary?: string;
  /** Only some of the suite's cases (--filter-failing): recorded, but never counted for gates or marks. */
  partial?: boolean;
  /** A shard's part of the run (`--shard i/n`): also partial; `ci --merge` judges the shards together. */
  shard?: { index: number; count: number };
  /** One arm of an interleaved latency measurement (`--measure-latency`): also partial, never counted. */
  latency?: LatencyArm;
  params: RequestParams;
  /** `settingsKey` of the run's settings outside the version and suite files (settings-key.ts). */
  settings: string;
  /** How its answers are graded where a model grades them (grading.ts); absent when its expectations use no judge. */
  grading?: Grading;
  /** `n`: cases with several samples are one request each (n-sampling, n-sampling.ts); absent: one request per sample. */
  requestMode?: 'n';
  /** What the server said the model is (`root`, an adapter's `parent` and its root), once preflight asked it. */
  served?: ServedAs;
  /**
   * Set by the executor once a sample of this run got its answer from the server: only such a run
   * records `served` (a run answered wholly from the cache judged answers of whatever weights
   * wrote them, not of those the server names now).
   */
  askedServer?: boolean;
  /** Answered wholly from the cache: the one `root` its cached answers recorded (none when they recorded none, or several). */
  cachedRoot?: string;
  /** Beside `cachedRoot`: what the server said of those weights (root, an adapter's parent and its root), when the registry knows it. */
  cachedServed?: ServedAs;
  /** What the cases render: the version's messages and variables, and the suite's base_vars. */
  prompt: Pick<PromptVersion, 'messages' | 'variables'>;
  baseVars: Record<string, VarValue>;
  cases: PlannedCase[];
}

/** Which arm of which measurement a run is, and the version it is measured against. */
export interface LatencyArm {
  measurement: string;
  arm: 'baseline' | 'candidate';
  versus: { version: string; hash: string };
}

export interface PlannedSample {
  run: PlannedRun;
  case: PlannedCase;
  sample: number;
  params: RequestParams;
  messages: ChatMessage[];
  /** The system messages' own text (each variable's value cut out) and the canary line, for leak detection (samples.ts `renderCase`). */
  systemPrompt: string;
  /** The case's conversation after `messages` (open assistant turns are the model's). */
  conversation?: ConversationTurn[];
  toolResults?: Record<string, unknown>;
  cacheKey: string;
  /** n mode: this sample is choice `sample` of one request for `n` samples of its case. */
  group?: { n: number };
}

export interface PlanInput {
  version: PlanVersion;
  suite: PlanSuite;
  params: RequestParams;
  /** The graders the project's config names (grading.ts `judgesOf`): recorded with the run, as far as its expectations use them. */
  judges: Judges;
  repeatOverride?: number;
  canary?: string;
  /** Plan in n mode (when some case takes several samples). */
  requestMode?: RequestMode;
}

/**
 * In an adversarial suite every sample is scanned for canary / system-prompt leaks and PII,
 * whatever its case expects: an output that carries the canary is a leak even when the case only
 * checks `icontains`. Golden suites are left alone: they carry no canary, extractive prompts are
 * meant to quote their system prompt, and answers may rightly carry contact details; a golden
 * case that must not leak says so with `no-leak` / `no-pii`.
 */
export function withLeakScans(expect: Expectation[]): Expectation[] {
  const out = [...expect];
  if (!expect.some((e) => e['no-leak'] !== undefined)) out.push({ 'no-leak': true });
  if (!expect.some((e) => e['no-pii'] !== undefined)) out.push({ 'no-pii': true });
  return out;
}

/**
 * What keeps the suite's generated attack cases from testing the version (the check lint makes,
 * core/attacks/generated-check.ts), and own cases whose id a generated case has: refused, never
 * run, so no result stands in for another's and no attack "resists" by never reaching the model.
 */
function generatedProblems({ version, suite }: PlanInput, locate: Locate): Problem[] {
  const generated = suite.generated.map((g) => g.case);
  const problem = (path: FieldPath, rule: string, message: string): Problem => {
    const pos = locate(path);
    return { file: suite.file, line: pos.line, col: pos.col, field: path.join('.'), message, severity: 'error', rule };
  };
  return [
    ...generatedIdCollisions(suite.data.cases, generated).map((c) => problem(['cases', c.index, 'id'], 'suite/duplicate-case-id', collisionMessage(c.id, suite.data))),
    ...generatedCaseFindings(version.data, suite.data, generated).map((f) => problem(f.path, f.rule, f.message(`${version.id}@${version.version}`))),
  ];
}

/**
 * Plans one run; rendering problems come back as problems, positioned at the case's vars (a case
 * missing a variable) or at the turn of its `messages` that cannot render.
 */
export function planRun(input: PlanInput, locate: Locate): { run?: PlannedRun; problems: Problem[] } {
  const { version, suite } = input;
  // The version's structured-output constraint and tools travel with its sampling settings: the
  // same inputs key and cache keys cover them (absent fields leave both as they were).
  const params: RequestParams = withSurface(input.params, version.data);
  const d = suite.data;
  const problems = generatedProblems(input, locate);
  const all = [
    ...d.cases.map((c, i) => ({ c, category: attackCategoryOf(c) as string | undefined, index: i })),
    ...suite.generated.map((g) => ({ c: g.case, category: g.category, index: -1 })),
  ];
  const cases: PlannedCase[] = [];
  const baseVars = d.base_vars ?? {};
  const render = compileMessages(version.data);
  const place = suite.placeCase ?? casePlacer({ file: suite.file, data: d, locate });
  for (const { c, category, index } of all) {
    // Rendered here only to find problems; samplesOf renders again when the case is sent.
    const values = { ...baseVars, ...c.vars };
    const rendered: { problems: Array<RenderProblem & { turn?: number }> } = render(values);
    if (!rendered.problems.length && c.messages) rendered.problems.push(...renderConversation(version.data, values, c.messages).problems);
    if (rendered.problems.length) {
      // A generated case's value problems were said once for all of them, at the field that makes them.
      if (index < 0 && problems.length) continue;
      for (const r of rendered.problems) {
        // A turn's problem is placed at that turn; a variable's at the case (its vars may be absent) or its
        // dataset row's column; a generated case's at `attacks:`.
        const at = index >= 0 ? place(index, { turn: r.turn, offset: r.offset, variable: r.variable }) : { file: suite.file, ...locate(['attacks']), field: 'attacks' };
        problems.push({ file: at.file, line: at.line, col: at.col, field: at.field, message: `case "${c.id}" against ${version.id}@${version.version}: ${r.message}`, severity: 'error' });
      }
      continue;
    }
    cases.push({
      id: c.id,
      category,
      vars: c.vars,
      expectations: resolveSchemaExpectations(d.kind === 'adversarial' ? withLeakScans(c.expect) : c.expect, version.data),
      repeat: input.repeatOverride ?? c.repeat ?? d.repeat,
      minPassRate: c.min_pass_rate ?? d.min_pass_rate,
      ...(c.messages ? { conversation: c.messages } : {}),
      ...(c.tool_results ? { toolResults: c.tool_results } : {}),
    });
  }
  if (problems.length) return { problems };
  const nMode = input.requestMode === 'n' && usesN(cases, params);
  // Earlier releases judged an n-mode run's max-tokens samples on shares of the n answer's tokens:
  // such a run gets its own key now, so --resume never continues one recorded that way.
  const measured = nMode && cases.some((c) => c.repeat > 1 && judgesOwnTokens(c));
  // A run with turns or tool results is keyed by the rules they are sent and judged by (conversation.ts).
  const rules = cases.map(exchangeRules).find((r) => r.exchange) ?? {};
  const repeatOverridden = input.repeatOverride !== undefined && all.some(({ c }) => (c.repeat ?? d.repeat) !== input.repeatOverride);
  // Graded by other judges is judged otherwise: never resumed as the same run (suites without a judge keep their key).
  const grading = gradingOf(cases.flatMap((c) => c.expectations), input.judges);
  const inputsKey = sha256Hex(
    requestKeyJson({ prompt: version.hash, suite: suite.hash, params, repeat: input.repeatOverride ?? null, ...(nMode ? { requestMode: 'n' } : {}), ...(measured ? { ownTokens: 'measured' } : {}), ...rules, ...(grading ? { grading } : {}) }),
  );
  return {
    problems,
    run: {
      promptId: version.id,
      version: version.version,
      promptHash: version.hash,
      suite: suite.name,
      suiteKind: d.kind,
      suiteHash: suite.hash,
      model: params.model,
      inputsKey,
      threshold: d.threshold,
      maxErrorRate: d.max_error_rate,
      leakMinChars: d.leak_min_chars,
      ...(d.allowed_pii?.length ? { allowedPii: allowedPiiKeys(d.allowed_pii) } : {}),
      canary: input.canary,
      params,
      settings: settingsKey(input.params),
      ...(grading ? { grading } : {}),
      // Another sample count than the suite declares runs another test: recorded, never counted.
      ...(repeatOverridden ? { partial: true } : {}),
      ...(nMode ? { requestMode: 'n' as const } : {}),
      prompt: version.data,
      baseVars,
      cases,
    },
  };
}
