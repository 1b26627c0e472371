import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { decodeUtf8, parseYamlText, type Locate } from '../core/yaml-source.js';
import { packagePath } from './package-paths.js';

/** Reads the attack packs shipped with promptctl (packs/*.yaml). */

export interface RawPackFile {
  file: string;
  data: unknown;
  locate: Locate;
}

let cache: RawPackFile[] | undefined;

export function readPackFiles(dir = packagePath('packs')): RawPackFile[] {
  if (cache && dir === packagePath('packs')) return cache;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : [];
  const out = files.map((name) => {
    const file = `packs/${name}`;
    const decoded = decodeUtf8(readFileSync(path.join(dir, name)), file);
    const parsed = decoded.text === undefined ? undefined : parseYamlText(decoded.text, file);
    const problems = decoded.problems.length ? decoded.problems : (parsed?.problems ?? []);
    if (problems.length) throw new InputError({ message: `attack pack ${file} is broken`, problems, hint: 'reinstall promptctl.' });
    return { file, data: parsed!.data, locate: parsed!.locate };
  });
  if (dir === packagePath('packs')) cache = out;
  return out;
}
