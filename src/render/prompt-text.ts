import type { DiffResult } from '../app/diff.js';

/** Lines for the commands that show prompt versions: `diff`, `show`, `render`. */

export function diffText(d: DiffResult): string[] {
  return d.identical ? [`${d.id}@${d.a} and @${d.b} have identical content`] : d.patch.trimEnd().split('\n');
}
