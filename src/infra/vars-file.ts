import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { VarValue } from '../core/schemas/evalset.js';
import type { VarValues } from '../core/template.js';
import type { Locate } from '../core/yaml-source.js';
import { validate } from '../core/schema-problems.js';
import { readFileBytes } from './yaml-file.js';
import { decodeUtf8, parseYamlText } from './yaml-text.js';

const VarsFile = z.record(z.string(), VarValue);

/**
 * A YAML file of variable values (`render --vars-file`; `option` names it as its caller did): every
 * problem is bad input, positioned.
 * Read as project files are (readFileBytes: a regular file within the size limit), so a named pipe
 * or `/dev/stdin` on a pipe is refused rather than blocking the process where no Ctrl-C reaches it,
 * and `/dev/zero` rather than filling memory. `/dev/stdin` redirected from a file is that file.
 */
export function readVarsFile(cwd: string, file: string, option = '--vars-file'): { values: VarValues; locate: Locate } {
  const abs = path.resolve(cwd, file);
  const read = readFileBytes(abs, file);
  if (!read.bytes) {
    throw new InputError({
      message: `cannot read ${option} ${file}`,
      problems: read.problems,
      hint: read.special
        ? `name a YAML file of variable values on disk: a pipe (/dev/stdin in a pipeline, <(…)) is not read; write the values to a file first, or pass each one ${option === '--vars-file' ? 'with --var name=value' : 'in values'}.`
        : 'check the path (relative to the current folder).',
    });
  }
  const decoded = decodeUtf8(read.bytes, file);
  const parsed = decoded.text === undefined ? undefined : parseYamlText(decoded.text, file);
  const problems = decoded.problems.length ? decoded.problems : (parsed?.problems ?? []);
  if (problems.length) throw new InputError({ message: `${option} ${file} is not valid YAML`, problems });
  const checked = validate(VarsFile, parsed!, file);
  if (!checked.value) throw new InputError({ message: `${option} ${file} must map variable names to strings, numbers or booleans`, problems: checked.problems });
  // Where each value is, for problems with a value a prompt refuses (render-prompt.ts).
  return { values: checked.value, locate: parsed!.locate };
}
