import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { VarValue } from '../core/schemas/evalset.js';
import type { VarValues } from '../core/template.js';
import { validate } from '../core/schema-problems.js';
import { decodeUtf8, parseYamlText } from './yaml-text.js';

const VarsFile = z.record(z.string(), VarValue);

/** A YAML file of variable values (`render --vars-file`): every problem is bad input, positioned. */
export function readVarsFile(cwd: string, file: string): VarValues {
  const abs = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    throw new InputError({ message: `cannot read --vars-file ${file}`, why: (e as Error).message, hint: 'check the path.' });
  }
  const decoded = decodeUtf8(bytes, file);
  const parsed = decoded.text === undefined ? undefined : parseYamlText(decoded.text, file);
  const problems = decoded.problems.length ? decoded.problems : (parsed?.problems ?? []);
  if (problems.length) throw new InputError({ message: `--vars-file ${file} is not valid YAML`, problems });
  const checked = validate(VarsFile, parsed!, file);
  if (!checked.value) throw new InputError({ message: `--vars-file ${file} must map variable names to strings, numbers or booleans`, problems: checked.problems });
  return checked.value;
}
