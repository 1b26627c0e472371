import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Locate } from '../core/yaml-source.js';
import { packagePath } from './package-paths.js';
import { readYaml } from './yaml-file.js';

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
    const loaded = readYaml(path.join(dir, name), file);
    if (loaded.problems.length) throw new InputError({ message: `attack pack ${file} is broken`, problems: loaded.problems, hint: 'reinstall promptctl.' });
    return { file, data: loaded.data, locate: loaded.locate };
  });
  if (dir === packagePath('packs')) cache = out;
  return out;
}
