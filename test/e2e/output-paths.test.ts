import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';
import { markTested, registryFingerprint } from '../support/registry-cli.js';

/**
 * Ordinary mistakes in an output path are bad input: exit 2 with what/why/hint naming the path,
 * never a stack trace (exit 70), and nothing recorded in the registry. No server runs: eval and ci
 * must refuse before they would contact one.
 */

afterAll(() => cleanupTempDirs());

let dir: string;
let outside: string;
beforeAll(async () => {
  dir = makeProject();
  markTested(dir, 'support-answer@1.0.0');
  const d = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'staging', '--actor', 'release@example.com'], { cwd: dir });
  expect(d.code, d.output).toBe(0);
  outside = makeTempDir();
  writeFileSync(path.join(outside, 'afile'), 'not a folder\n');
  mkdirSync(path.join(outside, 'folder'));
});

// `@` is the temp folder outside the project; each row: arguments, and a fragment the error names.
const CASES: Array<[string, string[], string, Record<string, string>?]> = [
  ['export -o into a missing folder', ['export', '--env', 'staging', '-o', '@/nodir/x/b.json'], '@/nodir/x/b.json'],
  ['export -o a folder', ['export', '--env', 'staging', '-o', '@/folder'], '@/folder'],
  ['export -o under a file', ['export', '--env', 'staging', '-o', '@/afile/b.json'], '@/afile'],
  ['eval --junit a folder', ['eval', '--junit', '@/folder'], '@/folder'],
  ['eval --summary under a file', ['eval', '--summary', '@/afile/x.md'], '@/afile'],
  ['ci --junit a folder', ['ci', '--base', 'HEAD', '--junit', '@/folder'], '@/folder'],
  ['ci --summary under a file', ['ci', '--base', 'HEAD', '--summary', '@/afile/s.md'], '@/afile'],
  ['ci --html a folder', ['ci', '--base', 'HEAD', '--html', '@/folder'], '@/folder'],
  ['report -o a folder', ['report', '-o', '@/folder'], '@/folder'],
  ['report -o under a file', ['report', '-o', '@/afile/r.html'], '@/afile'],
  ['init into an existing file', ['init', '@/afile'], '@/afile'],
  ['init under an existing file', ['init', '@/afile/sub'], '@/afile'],
  ['eval --junit over the registry', ['eval', '--junit', '.promptctl/registry.db'], '.promptctl/registry.db'],
  ['eval --summary over the registry WAL', ['eval', '--summary', '.promptctl/registry.db-wal'], '.promptctl/registry.db-wal'],
  ['eval --summary over a version file', ['eval', '--summary', 'prompts/support-answer/1.1.0.yaml'], 'prompts/support-answer/1.1.0.yaml'],
  ['report -o over the registry', ['report', '-o', '.promptctl/registry.db'], '.promptctl/registry.db'],
  ['export -o over a version file', ['export', '--env', 'staging', '-o', 'prompts/support-answer/1.0.0.yaml'], 'prompts/support-answer/1.0.0.yaml'],
  ['ci --junit over the config', ['ci', '--base', 'HEAD', '--junit', '.promptrc.yaml'], '.promptrc.yaml'],
  ['eval with $GITHUB_STEP_SUMMARY the registry', ['eval'], '.promptctl/registry.db', { GITHUB_STEP_SUMMARY: '.promptctl/registry.db' }],
  // Writable on paper, but nothing can be created there: found before the eval, not after it.
  ...(existsSync('/proc/self')
    ? ([
        ['eval --junit under /proc', ['eval', '--junit', '/proc/promptctl-x.xml'], '/proc/promptctl-x.xml'],
        ['init under /proc', ['init', '/proc/promptctl-x'], '/proc/promptctl-x'],
      ] as Array<[string, string[], string]>)
    : []),
  ['eval with $GITHUB_STEP_SUMMARY a folder', ['eval'], '@/folder', { GITHUB_STEP_SUMMARY: '@/folder' }],
  ['ci with $GITHUB_STEP_SUMMARY in a missing folder', ['ci', '--base', 'HEAD'], '@/nodir/s.md', { GITHUB_STEP_SUMMARY: '@/nodir/s.md' }],
];

describe('output paths', () => {
  it.each(CASES)('%s: exit 2 naming the path, registry unchanged', async (_name, args, names, env = {}) => {
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(args.map((a) => a.replace('@', outside)), { cwd: dir, env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('@', outside)])) });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(names.replace('@', outside));
    expect(r.stderr).toMatch(/^error: .*\n(why: .*\n)?hint: .+/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(registryFingerprint(dir)).toBe(before);
    expect(existsSync(path.join(outside, 'nodir'))).toBe(false);
    expect(readdirSync(path.join(outside, 'folder'))).toEqual([]);
  });

  it('reports still create missing folders; export writes into an existing one', async () => {
    const e = await runCliInProcess(['export', '--env', 'staging', '-o', path.join(outside, 'folder', 'b.json')], { cwd: dir });
    expect(e.code, e.output).toBe(0);
    expect(existsSync(path.join(outside, 'folder', 'b.json'))).toBe(true);
  });
});
