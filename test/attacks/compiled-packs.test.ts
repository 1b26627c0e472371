import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledPacksJson, compiledPacksPath, readCompiledPacks } from '../../src/infra/compiled-packs.js';
import { parseShippedPacks } from '../../src/infra/eval/attacks.js';

/**
 * dist/packs.json (written by the build) stands in for parsing packs/*.yaml only when it was made
 * from exactly the pack files present, and then gives exactly what parsing them gives.
 */

const PACKS_DIR = path.resolve(import.meta.dirname, '../../packs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the shipped packs with its compiled file, as the build writes it. */
function compiledCopy(): { dir: string; file: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'promptctl-packs-'));
  dirs.push(root);
  const dir = path.join(root, 'packs');
  cpSync(PACKS_DIR, dir, { recursive: true });
  const file = path.join(root, 'packs.json');
  writeFileSync(file, compiledPacksJson(dir, parseShippedPacks()));
  return { dir, file };
}

describe('compiled attack packs', () => {
  it('read back exactly what parsing the YAML gives', () => {
    const { dir, file } = compiledCopy();
    const compiled = readCompiledPacks(dir, file);
    expect(compiled).toBeDefined();
    expect(compiled).toStrictEqual(parseShippedPacks());
  });

  it('are not used when a pack file changed, was added or was removed', () => {
    const edited = compiledCopy();
    const first = path.join(edited.dir, 'breakout.yaml');
    writeFileSync(first, readFileSync(first, 'utf8').replace('description:', 'description: (edited)'));
    expect(readCompiledPacks(edited.dir, edited.file)).toBeUndefined();

    const added = compiledCopy();
    writeFileSync(path.join(added.dir, 'zz-extra.yaml'), 'pack: zz-extra\n');
    expect(readCompiledPacks(added.dir, added.file)).toBeUndefined();

    const removed = compiledCopy();
    unlinkSync(path.join(removed.dir, 'roleplay.yaml'));
    expect(readCompiledPacks(removed.dir, removed.file)).toBeUndefined();
  });

  it('are not used when the file is missing or unreadable', () => {
    const { dir, file } = compiledCopy();
    writeFileSync(file, '{"sources": [');
    expect(readCompiledPacks(dir, file)).toBeUndefined();
    unlinkSync(file);
    expect(readCompiledPacks(dir, file)).toBeUndefined();
  });

  it('are never used by code run from src/ (a schema changed since the last build cannot be bypassed)', () => {
    expect(compiledPacksPath()).toBeUndefined();
    expect(readCompiledPacks()).toBeUndefined();
  });
});
