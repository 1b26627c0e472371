import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { saveCodeCache, type ToSave } from '../../src/bin/bundle-loader.js';
import { makeTempDir } from '../support/project.js';

/**
 * The V8 code cache is optional: a write that fails leaves no temporary file behind, and a disk
 * with little room left gets no cache at all (it would take the space the registry or a new
 * prompt version needs).
 */

function place(): { codeDir: string; commandDir: string; chunk: (name: string) => ToSave } {
  const base = makeTempDir('promptctl-code-');
  const codeDir = path.join(base, 'code');
  const commandDir = path.join(codeDir, 'bundle', 'lint');
  const source = 'module.exports = 1 + 1;';
  const chunk = (name: string): ToSave => ({ script: new vm.Script(source), file: path.join(commandDir, `${name}.v8`), sourceHash: createHash('sha256').update(source).digest() });
  return { codeDir, commandDir, chunk };
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
const ROOMY = () => 10 * 1024 ** 3;

describe('saving the code cache', () => {
  it('writes each cache when the disk has room', () => {
    const { codeDir, commandDir, chunk } = place();
    saveCodeCache(codeDir, commandDir, [chunk('main.cjs'), chunk('chunk-a.cjs')], ROOMY);
    expect(files(commandDir)).toEqual(['chunk-a.cjs.v8', 'main.cjs.v8']);
  });

  it('a write that fails leaves no .tmp file, and stops there', () => {
    const { codeDir, commandDir, chunk } = place();
    // A folder where the cache file goes: the rename fails, as a full disk fails the write.
    mkdirSync(path.join(commandDir, 'main.cjs.v8'), { recursive: true });
    writeFileSync(path.join(commandDir, 'main.cjs.v8', 'x'), '');
    saveCodeCache(codeDir, commandDir, [chunk('main.cjs'), chunk('chunk-a.cjs')], ROOMY);
    expect(files(commandDir)).toEqual(['main.cjs.v8']);
  });

  it('writes nothing on a disk with less than 100 MB left', () => {
    const { codeDir, commandDir, chunk } = place();
    saveCodeCache(codeDir, commandDir, [chunk('main.cjs')], () => 50 * 1024 ** 2);
    expect(files(commandDir)).toEqual([]);
  });
});
