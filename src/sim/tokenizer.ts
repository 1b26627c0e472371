/**
 * The simulator's tokenizer: a token is a run of word characters or one punctuation character
 * (/\w+|[^\w\s]/g). It is not any real model's tokenizer; it only has to be deterministic and
 * shared by usage counts, /tokenize and max_tokens so that all three agree.
 */

const TOKEN_RE = /\w+|[^\w\s]/g;

export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

export function countTokens(text: string): number {
  // Counting without building the array keeps the hot path allocation-free.
  const re = new RegExp(TOKEN_RE);
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/** Cut `text` right after its `max`-th token, keeping the original spacing. */
export function truncateToTokens(text: string, max: number): { text: string; truncated: boolean } {
  if (max <= 0) return { text: '', truncated: countTokens(text) > 0 };
  const re = new RegExp(TOKEN_RE);
  let n = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    n++;
    if (n === max) {
      const end = m.index + m[0].length;
      const rest = text.slice(end);
      return { text: text.slice(0, end), truncated: countTokens(rest) > 0 };
    }
  }
  return { text, truncated: false };
}

/** Split text into pieces that each end a token and carry the whitespace before it (for SSE deltas). */
export function tokenPieces(text: string): string[] {
  const pieces: string[] = [];
  const re = new RegExp(TOKEN_RE);
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const end = m.index + m[0].length;
    pieces.push(text.slice(last, end));
    last = end;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

/** Stable fake token ids (FNV-1a of the token text), so /tokenize returns the same ids every time. */
export function tokenIds(text: string): number[] {
  return tokenize(text).map((t) => (fnv1a(t) % 150_000) + 1);
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Per-message overhead of the pretend chat template (role header and end marker). */
export const TOKENS_PER_MESSAGE = 4;
/** The assistant header the chat template appends (add_generation_prompt). */
export const GENERATION_PROMPT_TOKENS = 2;

export interface ChatTurn {
  role: string;
  content: string;
}

/** Prompt tokens of a chat request: content tokens plus the pretend chat template's overhead. */
export function countChatTokens(messages: readonly ChatTurn[]): number {
  let n = GENERATION_PROMPT_TOKENS;
  for (const m of messages) n += countTokens(m.content) + TOKENS_PER_MESSAGE;
  return n;
}

/** Token ids of a chat request, matching countChatTokens in length. */
export function chatTokenIds(messages: readonly ChatTurn[]): number[] {
  const ids: number[] = [];
  for (const m of messages) {
    ids.push(1, (fnv1a(m.role) % 150_000) + 1, 2, ...tokenIds(m.content), 3);
  }
  ids.push(1, 4);
  return ids;
}
