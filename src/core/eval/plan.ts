import { attackCategoryOf } from '../attacks/expand.js';
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { Problem } from '../errors.js';
import type { CaseMessage, EvalCase, EvalSet, Expectation, VarValue } from '../schemas/evalset.js';
import type { ChatMessage, PromptVersion } from '../schemas/prompt.js';
import type { ModelSettings } from '../schemas/common.js';
import { compileMessages, type MessageRenderer } from '../template.js';
import { renderConversation, type ConversationTurn } from './conversation.js';
import { nRequestParams, nSampleKey, usesN, type RequestMode } from './n-sampling.js';
import { requestSurface, resolveSchemaExpectations, type RequestSurface } from './request.js';

/**
 * The eval planner: pure. Turns prompt versions and suites into runs of cases and samples, each
 * sample with its exact request and cache key. Nothing here sends or stores anything.
 *
 * Every case is rendered once while planning, so a missing variable stops the run before anything
 * is sent; the messages themselves are rendered again as a case's samples are produced, so a run
 * of 100,000 cases holds the messages of only the cases in flight, not of every case at once.
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
}

export interface RequestParams extends RequestSurface {
  model: string;
  temperature: number;
  max_tokens: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  /** vLLM sampling parameters sent as they are (`model.extra_body`, over the config's defaults key by key). */
  extra_body?: Record<string, unknown>;
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
  canary?: string;
  /** Only some of the suite's cases (--filter-failing): recorded, but never counted for gates or marks. */
  partial?: boolean;
  /** A shard's part of the run (`--shard i/n`): also partial; `ci --merge` judges the shards together. */
  shard?: { index: number; count: number };
  /** One arm of an interleaved latency measurement (`--measure-latency`): also partial, never counted. */
  latency?: LatencyArm;
  params: RequestParams;
  /** `n`: cases with several samples are one request each (n-sampling, n-sampling.ts); absent: one request per sample. */
  requestMode?: 'n';
  /** What the server said the model is (`root`, an adapter's `parent`), once preflight asked it. */
  served?: { root?: string; parent?: string };
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
  /** Rendered system text as sent (canary included), for leak detection. */
  systemPrompt: string;
  /** The case's conversation after `messages` (open assistant turns are the model's). */
  conversation?: ConversationTurn[];
  toolResults?: Record<string, unknown>;
  cacheKey: string;
  /** n mode: this sample is choice `sample` of one request for `n` samples of its case. */
  group?: { n: number };
}

/** Settings in effect for a version: the config's defaults, overridden by the version's own. */
export function effectiveParams(serverModel: string, defaults: Partial<ModelSettings>, own: Partial<ModelSettings>): RequestParams {
  const s = { ...defaults, ...own };
  const p: RequestParams = {
    model: s.model ?? serverModel,
    temperature: s.temperature ?? 0,
    max_tokens: s.max_tokens ?? 256,
  };
  if (s.top_p !== undefined) p.top_p = s.top_p;
  if (s.seed !== undefined) p.seed = s.seed;
  if (s.stop !== undefined) p.stop = s.stop;
  if (s.presence_penalty !== undefined) p.presence_penalty = s.presence_penalty;
  if (s.frequency_penalty !== undefined) p.frequency_penalty = s.frequency_penalty;
  if (defaults.extra_body || own.extra_body) p.extra_body = { ...defaults.extra_body, ...own.extra_body };
  return p;
}

/** The canary goes at the end of the first system message, where it changes no cached prefix. */
export function plantCanary(messages: ChatMessage[], canary: string): ChatMessage[] {
  const i = messages.findIndex((m) => m.role === 'system');
  if (i === -1) return [{ role: 'system', content: `Internal trace id: ${canary}` }, ...messages];
  return messages.map((m, j) => (j === i ? { ...m, content: `${m.content.trimEnd()}\nInternal trace id: ${canary}` } : m));
}

export interface PlanInput {
  version: PlanVersion;
  suite: PlanSuite;
  params: RequestParams;
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

/** Plans one run; rendering problems (a case missing a variable) come back as problems, positioned at the case. */
export function planRun(input: PlanInput, locateCase: (index: number) => { line: number; col: number }): { run?: PlannedRun; problems: Problem[] } {
  const { version, suite } = input;
  // The version's structured-output constraint and tools travel with its sampling settings: the
  // same inputs key and cache keys cover them (absent fields leave both as they were).
  const params: RequestParams = { ...input.params, ...requestSurface(version.data) };
  const d = suite.data;
  const problems: Problem[] = [];
  const all = [
    ...d.cases.map((c, i) => ({ c, category: attackCategoryOf(c) as string | undefined, index: i })),
    ...suite.generated.map((g) => ({ c: g.case, category: g.category, index: -1 })),
  ];
  const cases: PlannedCase[] = [];
  const baseVars = d.base_vars ?? {};
  const render = compileMessages(version.data);
  for (const { c, category, index } of all) {
    // Rendered here only to find problems; samplesOf renders again when the case is sent.
    const values = { ...baseVars, ...c.vars };
    const rendered = render(values);
    if (!rendered.problems.length && c.messages) rendered.problems.push(...renderConversation(version.data, values, c.messages).problems);
    if (rendered.problems.length) {
      const pos = index >= 0 ? locateCase(index) : { line: 1, col: 1 };
      for (const r of rendered.problems) {
        problems.push({ file: suite.file, line: pos.line, col: pos.col, field: index >= 0 ? `cases.${index}.vars` : 'attacks', message: `case "${c.id}" against ${version.id}@${version.version}: ${r.message}`, severity: 'error' });
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
  const nMode = input.requestMode === 'n' && usesN(cases);
  const inputsKey = sha256Hex(
    canonicalJson({ prompt: version.hash, suite: suite.hash, params, repeat: input.repeatOverride ?? null, ...(nMode ? { requestMode: 'n' } : {}) }),
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
      canary: input.canary,
      params,
      ...(nMode ? { requestMode: 'n' as const } : {}),
      prompt: version.data,
      baseVars,
      cases,
    },
  };
}

/** The messages a planned case sends (canary planted), their system text and its later turns; `render` is the run's compiled templates. */
export function renderCase(
  run: PlannedRun,
  c: PlannedCase,
  render: MessageRenderer = compileMessages(run.prompt),
): { messages: ChatMessage[]; systemPrompt: string; conversation?: ConversationTurn[] } {
  const values = { ...run.baseVars, ...c.vars };
  const rendered = render(values);
  const conversation = c.conversation ? renderConversation(run.prompt, values, c.conversation) : undefined;
  // planRun rendered the same inputs without problems, so this cannot fail unless they were mutated.
  const problem = rendered.problems[0] ?? conversation?.problems[0];
  if (problem) throw new Error(`case "${c.id}" no longer renders: ${problem.message}`);
  const messages = run.canary ? plantCanary(rendered.messages, run.canary) : rendered.messages;
  const systemPrompt = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  return { messages, systemPrompt, ...(conversation ? { conversation: conversation.turns } : {}) };
}

/**
 * The samples of a run. At temperature > 0 each sample gets its own seed (base seed + index), so
 * samples differ as they would in production yet every one is reproducible and cacheable.
 */
export function* samplesOf(run: PlannedRun, skip?: (c: PlannedCase, sample: number) => boolean): Generator<PlannedSample> {
  const render = compileMessages(run.prompt);
  for (const c of run.cases) {
    let rendered: ReturnType<typeof renderCase> | undefined;
    for (let sample = 0; sample < c.repeat; sample++) {
      if (skip?.(c, sample)) continue;
      rendered ??= renderCase(run, c, render);
      const { messages, systemPrompt, conversation } = rendered;
      // One request answers all of a case's samples only when each sample is one plain request:
      // turns, tool results and tool calls are per sample (exchange.ts), so those cases stay seeded.
      if (run.requestMode === 'n' && c.repeat > 1 && !conversation && !c.toolResults && !run.params.tools) {
        const params = nRequestParams(run.params);
        yield { run, case: c, sample, params, messages, systemPrompt, cacheKey: nSampleKey(messages, params, c.repeat, sample), group: { n: c.repeat } };
        continue;
      }
      const params = run.params.temperature > 0 ? { ...run.params, seed: (run.params.seed ?? 0) + sample } : run.params;
      // A conversation's turns and tool results are part of what is asked; absent, the key is as before.
      const toolResults = c.toolResults;
      const cacheKey = sha256Hex(canonicalJson({ messages, params, sample, conversation, toolResults }));
      yield { run, case: c, sample, params, messages, systemPrompt, ...(conversation ? { conversation } : {}), ...(toolResults ? { toolResults } : {}), cacheKey };
    }
  }
}

export function sampleKey(caseId: string, sample: number): string {
  return `${caseId}#${sample}`;
}
