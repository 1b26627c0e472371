/**
 * `logprobs` and `top_logprobs` as vLLM's chat endpoint takes and answers them: the same 400s for
 * a bad request, and per generated token {token, logprob, bytes, top_logprobs}, where the top list
 * holds `top_logprobs` entries led by the sampled token. The values are made up but fixed (a hash
 * of the token and its place), and the sampled token is always the likeliest, as in greedy decoding.
 */
import { fnv1a, tokenPieces } from './tokenizer.js';

/** vLLM's default --max-logprobs. */
export const MAX_LOGPROBS = 20;
/** What top_logprobs -1 ("the whole vocabulary") asks for: the simulator's token ids run to 150,000. */
const VOCAB_SIZE = 150_000;

export interface LogprobsAsk {
  top: number;
}

interface TopEntry {
  token: string;
  logprob: number;
  bytes: number[];
}
export interface LogprobEntry extends TopEntry {
  top_logprobs: TopEntry[];
}
export interface ChoiceLogprobs {
  content: LogprobEntry[];
}

/**
 * The request's ask: undefined when logprobs are off, or vLLM's refusal (its message, with the
 * parameter and value it appends) as a string.
 */
export function readLogprobs(body: Record<string, unknown>): LogprobsAsk | undefined | string {
  const { logprobs, top_logprobs: top } = body;
  if (logprobs != null && typeof logprobs !== 'boolean') return '`logprobs` must be a boolean.';
  if (top != null && typeof top !== 'number') return `\`top_logprobs\` must be an integer. (parameter=top_logprobs, value=${JSON.stringify(top)})`;
  if (typeof top === 'number') {
    if (!Number.isInteger(top)) return `\`top_logprobs\` must be an integer. (parameter=top_logprobs, value=${top})`;
    if (top < 0 && top !== -1) return `\`top_logprobs\` must be a positive value or -1. (parameter=top_logprobs, value=${top})`;
    if (top !== 0 && logprobs !== true) return 'when using `top_logprobs`, `logprobs` must be set to true. (parameter=top_logprobs)';
  }
  if (logprobs !== true) return undefined;
  const asked = top === -1 ? VOCAB_SIZE : typeof top === 'number' ? top : 0;
  if (asked > MAX_LOGPROBS) return `Requested sample logprobs of ${asked}, which is greater than max allowed: ${MAX_LOGPROBS} (parameter=logprobs, value=${asked})`;
  return { top: asked };
}

// Likely next tokens offered as the alternatives, in no particular order.
const ALTERNATIVES = [' the', ',', '.', ' a', ' and', ' to', ' of', ' is', ' in', ' it', ' you', ' that', ' for', ' on', ' with', ' at', ' be', ' are', ' this', ' we', ' can'];

const bytesOf = (token: string): number[] => [...Buffer.from(token, 'utf8')];

/** vLLM clamps -inf to -9999.0. */
const clamp = (lp: number): number => Math.max(lp, -9999);

/** The logprobs of `text` generated piece by piece as the stream sends it. */
export function logprobsOf(text: string, ask: LogprobsAsk): ChoiceLogprobs {
  const content = tokenPieces(text).map((token, i): LogprobEntry => {
    const h = fnv1a(`${i}\u0000${token}`);
    // The sampled token holds 60-95% of the mass; each alternative half of what the one before left.
    const p = 0.6 + (h % 1000) / 1000 * 0.35;
    const sampled = { token, logprob: clamp(Math.log(p)), bytes: bytesOf(token) };
    const top: TopEntry[] = ask.top > 0 ? [sampled] : [];
    for (let j = 0, k = h % ALTERNATIVES.length; top.length < ask.top; k = (k + 1) % ALTERNATIVES.length) {
      const alt = ALTERNATIVES[k]!;
      if (alt === token) continue;
      j++;
      top.push({ token: alt, logprob: clamp(Math.log((1 - p) / 2 ** j)), bytes: bytesOf(alt) });
    }
    return { ...sampled, top_logprobs: top };
  });
  return { content };
}
