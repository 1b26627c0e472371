import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * A project laid out wrong — `prompts` or `evalsets` a file, a prompt folder with no versions, a
 * dangling symlink or a symlink loop, a folder named like a version file — is bad input: exit 2
 * naming the path (lint lists it as a problem), never a crash (70) or a silent skip (lint: 0 errors).
 */

afterAll(() => cleanupTempDirs());

const CASES: Array<[string, (dir: string) => void, string, RegExp]> = [
  ['prompts is a file', (d) => (rmSync(path.join(d, 'prompts'), { recursive: true }), writeFileSync(path.join(d, 'prompts'), 'x\n')), 'prompts', /is a file, not a folder/],
  ['evalsets is a file', (d) => (rmSync(path.join(d, 'evalsets'), { recursive: true }), writeFileSync(path.join(d, 'evalsets'), 'x\n')), 'evalsets', /is a file, not a folder/],
  ['a prompt folder with no versions', (d) => mkdirSync(path.join(d, 'prompts', 'empty')), 'prompts/empty', /has no version files/],
  ['a dangling symlink to a version', (d) => symlinkSync('nowhere.yaml', path.join(d, 'prompts/support-answer/1.2.0.yaml')), 'prompts/support-answer/1.2.0.yaml', /symbolic link to nowhere\.yaml, which does not exist/],
  ['a symlink loop among suites', (d) => (symlinkSync('loop-b.yaml', path.join(d, 'evalsets/support-answer/loop-a.yaml')), symlinkSync('loop-a.yaml', path.join(d, 'evalsets/support-answer/loop-b.yaml'))), 'evalsets/support-answer/loop-a.yaml', /symbolic link loop/],
  ['a suite in a sub-folder of its prompt\'s suites', (d) => (mkdirSync(path.join(d, 'evalsets/support-answer/regressions')), writeFileSync(path.join(d, 'evalsets/support-answer/regressions/must-fail.yaml'), 'prompt: support-answer\n')), 'evalsets/support-answer/regressions/must-fail.yaml', /outside the layout, so promptctl never reads it: suites live in evalsets\/<prompt id>\/<suite>\.yaml, with no sub-folders; move it to evalsets\/support-answer\/must-fail\.yaml/],
  ['a version in a team folder', (d) => (mkdirSync(path.join(d, 'prompts/payments/refund-bot'), { recursive: true }), writeFileSync(path.join(d, 'prompts/payments/refund-bot/1.0.0.yaml'), 'id: refund-bot\n')), 'prompts/payments/refund-bot/1.0.0.yaml', /versions live in prompts\/<id>\/<semver>\.yaml, with no sub-folders; move it to prompts\/refund-bot\/1\.0\.0\.yaml/],
  ['a version with an upper-case extension', (d) => writeFileSync(path.join(d, 'prompts/support-answer/3.0.0.YAML'), 'id: support-answer\n'), 'prompts/support-answer/3.0.0.YAML', /upper-case extension, so promptctl never reads it: .*rename it to 3\.0\.0\.yaml/],
  ['a folder named like a version file', (d) => mkdirSync(path.join(d, 'prompts/support-answer/1.2.0.yaml')), 'prompts/support-answer/1.2.0.yaml', /is a folder, not a file/],
];

describe('layout errors', () => {
  it.each(CASES)('%s: lint lists it (exit 2 naming the path); list says so too', async (_name, make, file, message) => {
    const dir = makeProject();
    make(dir);
    const lint = await runCliInProcess(['lint'], { cwd: dir });
    expect(lint.code, lint.output).toBe(2);
    expect(lint.output).not.toMatch(/hit a bug/);
    expect(lint.output).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:1:1 .*`));
    expect(lint.output).toMatch(message);
    const list = await runCliInProcess(['list'], { cwd: dir });
    expect(list.code, list.output).toBe(2);
    expect(list.output).toContain(file);
  });

  it.each(CASES.filter(([, , file]) => file.includes('support-answer') || file === 'prompts' || file === 'evalsets'))(
    '%s: eval of the prompt refuses with exit 2 naming the path, before anything is sent',
    async (_name, make, file, message) => {
      const dir = makeProject();
      make(dir);
      const r = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir });
      expect(r.code, r.output).toBe(2);
      expect(r.output).not.toMatch(/hit a bug/);
      if (file !== 'prompts') expect(r.output).toMatch(message); // no prompts folder: the version does not exist, said first
      expect(r.output).toContain(file);
    },
  );
});
