import type { Problem } from '../errors.js';
import type { Locate } from '../yaml-source.js';

/**
 * `lint.untrusted_variables` names variables the injection rules watch in every version. A name no
 * version declares (a typo, a variable renamed since) watches nothing: a warning at the entry, so
 * the variable meant is not left unwatched without a word. Not judged while a version file fails
 * to load (its variables are unknown).
 */
export function unknownUntrustedNames(names: readonly string[], declared: ReadonlySet<string>, file: string, locate: Locate): Problem[] {
  const out: Problem[] = [];
  names.forEach((name, i) => {
    if (declared.has(name)) return;
    const at = locate(['lint', 'untrusted_variables', i]);
    out.push({ file, line: at.line, col: at.col, field: `lint.untrusted_variables.${i}`, severity: 'warning', rule: 'config/unknown-untrusted-variable', message: `"${name}" is not a variable of any prompt version: the injection rules watch nothing under this name; check the spelling, or remove it` });
  });
  return out;
}
