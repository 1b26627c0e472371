import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { decodeUtf8, parseYamlText } from '../core/yaml-source.js';
import { packagePath } from './package-paths.js';

/** Reads the attack packs shipped with promptctl (packs/*.yaml). */

export interface RawPackFile {
  file: string;
  data: unknown;
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
    return { file, data: parsed!.data };
  });
  if (dir === packagePath('packs')) cache = out;
  return out;
}

/** Pack names and attack categories, which a suite's `attacks:` may name. */
export function listAttackSetNames(): string[] {
  const names = new Set<string>();
  for (const { data } of readPackFiles()) {
    const d = data as { pack?: unknown; attacks?: Array<{ category?: unknown }> };
    if (typeof d.pack === 'string') names.add(d.pack);
    for (const a of d.attacks ?? []) if (typeof a.category === 'string') names.add(a.category);
  }
  return [...names].sort();
}
