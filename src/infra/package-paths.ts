import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Paths inside the installed promptctl package. Found by walking up from this module to the
 * package.json named promptctl, so it works from dist/ (tsc) and from bundled chunks alike.
 */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'promptctl') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('promptctl: cannot find its own package.json');
    dir = parent;
  }
}

let root: string | undefined;
let version: string | undefined;

export function packagePath(...parts: string[]): string {
  root ??= findPackageRoot();
  return path.join(root, ...parts);
}

export function promptctlVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
