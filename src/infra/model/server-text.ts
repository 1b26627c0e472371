/**
 * Text the server wrote, as promptctl keeps it: well-formed UTF-16, each lone surrogate (JSON may
 * escape one: `"a\ud800b"`) as U+FFFD. Left in, every place read it its own way: the terminal drew
 * one U+FFFD, SQLite stored it as UTF-8 it cannot be and read back three, JUnit's XML dropped it.
 * An answer's content and tool calls, a judge's reason and an error body's message pass here when
 * read, so the text scored, cached, stored and shown is one text.
 */
export function serverText(text: string): string {
  return text.toWellFormed();
}
