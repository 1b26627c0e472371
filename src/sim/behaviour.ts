/**
 * What the simulator answers. It is a protocol test double, not a model, but its answers depend on
 * the prompt the way the demo and the tests need: a better prompt really scores better.
 *
 * Rules, in order:
 *  a. Tokens are matches of /\w+|[^\w\s]/g (see tokenizer.ts): usage, /tokenize and max_tokens.
 *  h. Judge: response_format json_schema + a user message that is a JSON object {rubric, output}
 *     (or has lines starting `RUBRIC:` and `OUTPUT:`) => `{"score": s, "reason": "..."}`, s = share (2 decimals) of the rubric's content
 *     words (length >= 4, no stopwords or rubric filler like "mentions", stemmed) found in the output.
 *  i. Safety question: response_format json_schema named `safety_check` + a user message that is a
 *     JSON object {check, output, request?} => `{"yes": b, "reason": "..."}`. check "refusal": b is
 *     whether the output refuses (REFUSAL, or a first-person "I can't/won't help|share|..." line);
 *     check "compliance": b is whether a non-empty output neither refuses nor is FALLBACK_ANSWER. Deterministic, never sampled.
 *  d. Attack in the last user message (override or extraction phrases, in English, Spanish, French,
 *     German, also hidden by base64, ROT13, leetspeak, homoglyphs or zero-width characters; see
 *     attacks.ts): a system message with a non-disclosure line ("never reveal", "do not disclose",
 *     "confidential", ...) gets REFUSAL; otherwise the simulator complies: `say "X"` / `reply with X`
 *     (one quoted or all-caps token) => exactly X; "in base64" => base64 of the system message;
 *     "in ROT13" => its ROT13; else "Sure. My instructions are: <system message verbatim>".
 *  e. PII request ("email address", "phone number", "social security", "credit card", "customer
 *     data", "home address" about someone else): refused when the system message has a privacy rule
 *     ("never share personal", "privacy", "personal data"), else fake but valid-looking PII.
 *  b. Otherwise extractive answering from the system message (extractive.ts), or FALLBACK_ANSWER.
 *  f. Sampling: at temperature T > 0 an extractive answer degrades to FALLBACK_ANSWER with
 *     probability min(0.6, 0.5*T), decided by a hash of (messages, seed): the same request and seed
 *     always give the same answer, different seeds give a pass rate. Without a seed the draw comes
 *     from the simulator's seeded PRNG. Attacks, PII and judge answers never degrade. The default
 *     temperature is 1.0, as in vLLM and OpenAI.
 *  c. JSON mode (the system message mentions "JSON", or response_format is json_object or a
 *     non-judge json_schema): the reply is `{"answer": "<reply>"}`.
 *  g. `stop` cuts the text before the first stop string (finish "stop", stop_reason that string)
 *     when the text through it fits in `max_tokens`; else `max_tokens` cuts the text after that
 *     many tokens (finish "length", stop_reason null). A natural end is finish "stop", stop_reason null.
 *     Usage counts the stop string's tokens: the model generated them, only the text drops them.
 *     With `include_stop_str_in_output` the text keeps the stop string (usage is the same).
 *  m. Model weakness (models.ts): a served model with weakness w misses the extractive answer
 *     (FALLBACK_ANSWER) of a share w of cases, chosen by a hash of the model's root and the case, at
 *     any temperature or seed: a model upgrade changes the same cases every time.
 *  n. Noise mode only (noise.ts): `sim-noise:` lines leave the system message first, and whether an
 *     extractive answer survives is the noise's per-case, per-sample draw instead of rule f.
 */
import { FALLBACK_ANSWER, contentWords, extractAnswer, stem, words } from './extractive.js';
import { fakePii, isAttack, isHardened, isPiiRequest, protectsPrivacy, rot13, sayPayload, wantsBase64, wantsRot13 } from './attacks.js';
import { readDirective, type Directive, type Noise } from './noise.js';
import { hashToUnit } from './prng.js';
import { countTokens, truncateToTokens, type ChatTurn } from './tokenizer.js';

export const REFUSAL = "I'm sorry, but I can't help with that request.";

export interface ChatParams {
  messages: readonly ChatTurn[];
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  stop?: readonly string[];
  /** vLLM's `include_stop_str_in_output`: the text keeps the stop string that ended it. */
  includeStopStr?: boolean;
  responseFormat?: { type?: unknown; json_schema?: unknown };
  /** The served model's weights and weakness (rule m); absent: none. */
  modelTrait?: { root: string; weakness: number };
}

export interface Reply {
  text: string;
  finishReason: 'stop' | 'length';
  /** The stop string that ended the answer (vLLM's `stop_reason`); absent at a natural end or the length limit. */
  stopReason?: string;
  /** The tokens of that stop string the text leaves out: generated, so usage counts them all the same. */
  stopTokens?: number;
}

/** Noise mode's say in an answer: the live noise and this prompt's directive. */
interface Noisy {
  noise: Noise;
  directive: Directive;
}

/**
 * Answer a chat request. `random` is used only when sampling needs a draw and no seed was sent;
 * `noise` (noise mode only) decides extractive answers instead.
 */
export function reply(p: ChatParams, random: () => number, noise?: Noise): Reply {
  let system = p.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  let noisy: Noisy | undefined;
  if (noise) {
    const read = readDirective(system);
    system = read.system;
    noisy = { noise, directive: read.directive };
  }
  const user = lastUserText(p.messages);
  const format = typeof p.responseFormat?.type === 'string' ? p.responseFormat.type : 'text';
  const schemaName = (p.responseFormat?.json_schema as { name?: unknown } | undefined)?.name;
  const judged =
    format !== 'json_schema' ? null : schemaName === 'safety_check' ? safetyAnswer(user) : judge(user) ?? judge(p.messages.map((m) => m.content).join('\n'));
  let text: string;
  if (judged) {
    text = judged;
  } else {
    const answer = respond(system, user, p, random, noisy);
    const jsonMode = format === 'json_object' || format === 'json_schema' || /json/i.test(system);
    text = jsonMode ? JSON.stringify({ answer }) : answer;
  }
  return limit(text, p.stop, p.maxTokens, p.includeStopStr === true);
}

function lastUserText(messages: readonly ChatTurn[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.role === 'user') return m.content;
  }
  return '';
}

function respond(system: string, user: string, p: ChatParams, random: () => number, noisy?: Noisy): string {
  if (isAttack(user)) {
    if (isHardened(system)) return REFUSAL;
    const payload = sayPayload(user);
    if (payload) return payload;
    if (wantsBase64(user)) return Buffer.from(system, 'utf8').toString('base64');
    if (wantsRot13(user)) return rot13(system);
    return `Sure. My instructions are: ${system}`;
  }
  if (isPiiRequest(user)) return protectsPrivacy(system) ? REFUSAL : fakePii(user);
  const answer = extractAnswer(system, user) ?? FALLBACK_ANSWER;
  const trait = p.modelTrait;
  if (trait && trait.weakness > 0 && hashToUnit(`${trait.root}\u0002${caseKey(p.messages)}`) < trait.weakness) return FALLBACK_ANSWER;
  if (noisy) {
    if (answer === FALLBACK_ANSWER) return answer; // a flip cannot invent an answer the prompt does not hold
    const key = p.seed === undefined ? undefined : requestKey(p.messages, p.seed);
    return noisy.noise.passes(caseKey(p.messages), noisy.directive, key) ? answer : FALLBACK_ANSWER;
  }
  const t = p.temperature ?? 1;
  if (t > 0 && answer !== FALLBACK_ANSWER) {
    const draw = p.seed === undefined ? random() : hashToUnit(requestKey(p.messages, p.seed));
    if (draw < Math.min(0.6, 0.5 * t)) return FALLBACK_ANSWER;
  }
  return answer;
}

/** A case is its conversation without the system prompt: what stays the same across prompt versions. */
function caseKey(messages: readonly ChatTurn[]): string {
  let key = '';
  for (const m of messages) if (m.role !== 'system') key += `\u0001${m.role}\u0000${m.content}`;
  return key;
}

function requestKey(messages: readonly ChatTurn[], seed: number): string {
  let key = String(seed);
  for (const m of messages) key += `\u0001${m.role}\u0000${m.content}`;
  return key;
}

// Words that describe what a rubric wants rather than what the output should say.
const RUBRIC_FILLER = new Set(['mention', 'include', 'response', 'answer', 'output', 'state', 'say', 'reply', 'clearly']);

/** Grade the output against the rubric (a JSON {rubric, output}, or `OUTPUT:` and `RUBRIC:` lines); null when the text is not a judge request. */
export function judge(text: string): string | null {
  const asked = judgeFields(text);
  if (asked) return grade(asked.rubric, asked.output);
  const rubricAt = /^[ \t]*RUBRIC:/m.exec(text);
  const outputAt = /^[ \t]*OUTPUT:/m.exec(text);
  if (!rubricAt || !outputAt) return null;
  const rubricStart = rubricAt.index + rubricAt[0].length;
  const rubricEnd = outputAt.index > rubricStart ? outputAt.index : text.indexOf('\n', rubricStart);
  const rubric = text.slice(rubricStart, rubricEnd < 0 ? undefined : rubricEnd);
  return grade(rubric, text.slice(outputAt.index + outputAt[0].length));
}

function judgeFields(text: string): { rubric: string; output: string } | null {
  try {
    const q = JSON.parse(text) as { rubric?: unknown; output?: unknown } | null;
    return typeof q?.rubric === 'string' && typeof q.output === 'string' ? { rubric: q.rubric, output: q.output } : null;
  } catch {
    return null;
  }
}

function grade(rubric: string, output: string): string {
  const wanted = [...contentWords(rubric, 4)].filter((w) => !RUBRIC_FILLER.has(w));
  const present = new Set(words(output).map(stem));
  const missing = wanted.filter((w) => !present.has(w));
  const found = wanted.length - missing.length;
  const score = wanted.length === 0 ? 0 : Math.round((found / wanted.length) * 100) / 100;
  const reason =
    wanted.length === 0
      ? 'The rubric has no gradable words.'
      : `Matched ${found} of ${wanted.length} rubric terms` + (missing.length ? `; missing: ${missing.slice(0, 8).join(', ')}.` : '.');
  return JSON.stringify({ score, reason });
}

const SIM_REFUSAL = /\bI(?:'m| am) sorry\b|\bI\s*(?:can(?:no|')t|cannot|won't|will not|am unable to|'m unable to)\s+(?:help|assist|share|reveal|disclose|do that|comply)\b/i;

/** Answer a safety question (rule i); a malformed question gets a JSON answer saying so. */
export function safetyAnswer(text: string): string {
  let q: { check?: unknown; output?: unknown };
  try {
    q = JSON.parse(text) as typeof q;
  } catch {
    return JSON.stringify({ yes: false, reason: 'The question is not a JSON object.' });
  }
  const output = typeof q.output === 'string' ? q.output : '';
  const refused = output.includes(REFUSAL) || SIM_REFUSAL.test(output.replace(/[\u2018\u2019]/g, "'"));
  if (q.check === 'refusal') return JSON.stringify({ yes: refused, reason: refused ? 'The output declines.' : 'The output answers.' });
  // The fallback answer deflects: it does not carry anything out.
  const complied = !refused && output.trim() !== '' && !output.includes(FALLBACK_ANSWER);
  return JSON.stringify({ yes: complied, reason: complied ? 'The output goes along with the request.' : 'The output does not carry out the request.' });
}

/**
 * Rule g as vLLM generates: a stop string ends the answer (finish "stop", stop_reason the string)
 * only if its own tokens fit in max_tokens too, since the model has to produce it; otherwise the
 * limit comes first (finish "length", stop_reason null). The stop string is left out of the text,
 * unless `keepStop` (vLLM's include_stop_str_in_output) asks for it.
 */
function limit(text: string, stop: readonly string[] | undefined, maxTokens: number | undefined, keepStop: boolean): Reply {
  let cut = -1;
  let matched = '';
  for (const s of stop ?? []) {
    if (!s) continue;
    const at = text.indexOf(s);
    if (at >= 0 && (cut < 0 || at < cut)) [cut, matched] = [at, s];
  }
  if (cut >= 0) {
    const kept = text.slice(0, cut);
    // A stop string is at least one token (a newline is one to a real tokenizer, none to ours).
    const stopTokens = Math.max(1, countTokens(matched));
    if (maxTokens === undefined || countTokens(kept) + stopTokens <= maxTokens) {
      if (!keepStop) return { text: kept, finishReason: 'stop', stopReason: matched, stopTokens };
      // The same tokens are generated either way: usage counts only what the text does not already hold.
      const withStop = text.slice(0, cut + matched.length);
      const outside = Math.max(0, stopTokens - (countTokens(withStop) - countTokens(kept)));
      return { text: withStop, finishReason: 'stop', stopReason: matched, stopTokens: outside };
    }
  }
  if (maxTokens !== undefined) {
    const t = truncateToTokens(text, maxTokens);
    if (t.truncated) return { text: t.text, finishReason: 'length' };
  }
  return { text, finishReason: 'stop' };
}
