/**
 * Sentences written apart (a policy's why, a check's why and its hint) read as one text: each is
 * ended with a full stop when it has no closing mark, and each after the first starts with a
 * capital when it starts with a plain word ("first keep the change…" → "First keep the change…").
 * A sentence that starts with a file, a command in backticks or a number is left as it is. The
 * parts themselves stay lower case: most are also said after a colon or a semicolon.
 */
export function sentences(parts: readonly string[]): string {
  return parts
    .filter((p) => p.trim() !== '')
    .map((p, i) => {
      const ended = /[.!?]\)?$/.test(p.trimEnd()) ? p.trimEnd() : `${p.trimEnd()}.`;
      return i > 0 && /^[a-z]+[ ,:]/.test(ended) ? `${ended[0]!.toUpperCase()}${ended.slice(1)}` : ended;
    })
    .join(' ');
}
