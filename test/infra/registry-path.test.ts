import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistryPath } from '../../src/infra/registry-path.js';
import { makeTempDir } from '../support/project.js';

/**
 * Every command that opens the registry checks its path first. Locating `registry.path` in
 * .promptrc.yaml parses the file again with the full YAML parser (about 40 ms), so it is done only
 * for a refusal: a sound path, with or without a registry file yet, never asks where the field is.
 */
describe('checkRegistryPath', () => {
  const project = (root: string, registryPath: string) => ({
    root,
    config: { registry: { path: registryPath } } as never,
    configLocate: () => {
      throw new Error('located the config for a sound registry path');
    },
  });

  it.each([
    ['no registry file yet', (_root: string) => undefined],
    ['a registry file', (root: string) => writeFileSync(path.join(root, '.promptctl', 'registry.db'), '')],
  ])('%s: the path, without locating the config', (_name, prepare) => {
    const root = makeTempDir('registry-path-');
    mkdirSync(path.join(root, '.promptctl'));
    prepare(root);
    expect(checkRegistryPath(project(root, '.promptctl/registry.db'))).toBe(path.join(root, '.promptctl', 'registry.db'));
  });

  it('a folder at the path is refused, naming where the config sets it', () => {
    const root = makeTempDir('registry-path-');
    mkdirSync(path.join(root, '.promptctl'));
    const located = { ...project(root, '.promptctl'), configLocate: (at: ReadonlyArray<string | number>) => (at.length === 2 ? { line: 4, col: 9 } : { line: 3, col: 3 }) };
    expect(() => checkRegistryPath(located)).toThrow(/registry\.path \(\.promptctl\) names .*\.promptctl, /);
  });
});
