/**
 * Extractive answering: the simulator "knows" only what the system message says. It splits the
 * system message into sentences, scores each by how many of the question's content words it
 * shares, and answers with the best one (plus the runner-up when that also overlaps well).
 * Content words: lowercased, length >= 3, not a stopword, naively stemmed (plural endings).
 */

export const FALLBACK_ANSWER = "I'm not sure about that. Please contact support.";

const STOPWORDS = new Set(
  (
    'the and for are but not you your yours our ours was were been being has have had with this that these those ' +
    'from into onto about what which who whom whose when where why how can could would should will shall may might ' +
    'must does did doing done any all some each every other than then too very just only also there their they them ' +
    'its his her hers she him himself herself itself yourself ourselves themselves out off over under again once here ' +
    'more most such own same both few nor now ever tell please let get got give know want need like make yes okay ' +
    "don't can't won't isn't aren't doesn't didn't it's i'm i've you're what's that's there's let's"
  ).split(' '),
);

/** Naive stemmer: folds plural endings so "refunds" matches "refund" and "policies" matches "policy". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) {
    return w.slice(0, -1);
  }
  return w;
}

const WORD_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lowercased words of `text`; an apostrophe joins "don't" and "Acme's" into one word. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD_RE) ?? []).map((w) => w.replace('’', "'"));
}

/** Distinct stemmed content words of `text` whose surface form has at least `minLength` letters. */
export function contentWords(text: string, minLength = 3): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (w.length < minLength || STOPWORDS.has(w)) continue;
    out.add(stem(w));
  }
  return out;
}

/**
 * Instructions are not knowledge: a sentence that addresses the model ("You are…", "Reply…",
 * "Never reveal…") is never given as an answer, as a real assistant answers from its facts rather
 * than reciting its rules. Only an attack that makes the model disclose its instructions does that.
 */
const INSTRUCTION = /^(you\b|your\b|reply\b|answer\b|respond\b|always\b|never\b|do not\b|don't\b|must\b|only\b|use\b|keep\b|be\b|if\b|when\b|internal trace id\b)/i;

/** Sentences of a system message that can answer a question: one per line, split at sentence ends, instructions left out. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    for (const part of line.split(/(?<=[.!?])\s+(?=\S)/)) {
      const s = part.trim().replace(/^[-*•]\s+/, '');
      if (s && !INSTRUCTION.test(s)) out.push(s);
    }
  }
  return out;
}

interface IndexedSentence {
  text: string;
  words: Set<string>;
}

// Prompts repeat across thousands of eval requests; caching the split keeps the hot path cheap.
const cache = new Map<string, IndexedSentence[]>();
const CACHE_LIMIT = 256;

function indexSystem(system: string): IndexedSentence[] {
  let hit = cache.get(system);
  if (hit) return hit;
  hit = splitSentences(system).map((text) => ({ text, words: contentWords(text) }));
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(system, hit);
  return hit;
}

/** The best-matching sentence(s) of `system` for `question`, or null when nothing overlaps. */
export function extractAnswer(system: string, question: string): string | null {
  const asked = contentWords(question);
  if (asked.size === 0) return null;
  const scored = indexSystem(system).map((s, i) => {
    let score = 0;
    for (const w of asked) if (s.words.has(w)) score++;
    return { i, text: s.text, score };
  });
  const ranked = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.i - b.i);
  const best = ranked[0];
  if (!best) return null;
  const second = ranked[1];
  // A runner-up joins only when it is a real match too, not a one-word brush against the question.
  if (second && second.score >= Math.max(1, Math.ceil(best.score / 2))) {
    const pair = [best, second].sort((a, b) => a.i - b.i);
    return pair.map((s) => s.text).join(' ');
  }
  return best.text;
}
