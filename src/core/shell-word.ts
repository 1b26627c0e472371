/**
 * A word of a shell command printed for a person to copy (a path, a model name, a branch): as is
 * when it holds only characters no shell reads specially, else in single quotes, so
 * `mv /tmp/my proj/.promptrc.yml …` cannot run as another command with other arguments. One rule
 * for every printed command; `=` may not start a bare word (zsh expands `=name`).
 */
export function shellWord(text: string): string {
  return /^[\w./:@%+,-][\w./:@%+=,-]*$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
