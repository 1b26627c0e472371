import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { BaseChoice } from '../../src/core/ci/base-choice.js';
import { changedFiles, filesAtBase, followLinks, resolveBaseRef } from '../../src/infra/git-base.js';
import { countingGit } from '../support/counting-git.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * What ci compares a pull request with, in a monorepo's numbers: a project linking to more folders
 * than one git command line can name (a real E2BIG from Linux, not a simulated limit), and the base's
 * text of many files read by one git process, byte for byte.
 */

afterAll(() => cleanupTempDirs());
afterEach(() => vi.unstubAllEnvs());

const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined } as NodeJS.ProcessEnv;
const run = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd, env, stdio: 'ignore' });
const write = (root: string, rel: string, content: string | Uint8Array) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
};
const branch: BaseChoice = { refs: ['main'], kind: 'branch', source: '--base', event: 'change' };

/** This machine's limit on a command line's arguments and environment together (2 MiB with Linux's default 8 MiB stack). */
function argMax(): number {
  try {
    return Number(execFileSync('getconf', ['ARG_MAX'], { encoding: 'utf8' }).trim()) || 2 * 1024 * 1024;
  } catch {
    return 2 * 1024 * 1024;
  }
}

describe('changedFiles with more linked folders than one command line names', () => {
  it("reports changes through every link, where one git diff naming them all fails to start (E2BIG)", () => {
    // app/prompts/p<i> -> a team's folder deep under shared/: each link is a pathspec of ~3,000 bytes.
    const top = makeTempDir('promptctl-git-base-links-');
    const deep = `shared/${Array.from({ length: 15 }, (_, i) => `${i}`.padEnd(199, 'd')).join('/')}`;
    const pathspec = `:(top,literal)${deep}/t0000`.length;
    const links = Math.ceil((argMax() * 1.25) / pathspec);
    const team = (i: number) => `${deep}/t${String(i).padStart(4, '0')}`;
    mkdirSync(path.join(top, 'app/prompts'), { recursive: true });
    write(top, 'app/notes.md', 'notes\n');
    for (let i = 0; i < links; i++) {
      write(top, `${team(i)}/1.0.0.yaml`, `v: ${i}\n`);
      symlinkSync(path.relative(path.join(top, 'app/prompts'), path.join(top, team(i))), path.join(top, `app/prompts/p${i}`));
    }
    run(top, 'init', '-q', '-b', 'main');
    run(top, 'add', '-A');
    run(top, 'commit', '-q', '-m', 'base');
    const last = links - 1;
    write(top, `${team(last)}/1.0.0.yaml`, 'edited\n');
    write(top, `${team(last - 1)}/1.1.0.yaml`, 'new\n');
    rmSync(path.join(top, `${team(0)}/1.0.0.yaml`));
    write(top, 'app/notes.md', 'more notes\n');

    const project = path.join(top, 'app');
    const base = followLinks(project, resolveBaseRef(project, branch), []);
    expect(base.links).toHaveLength(links);
    // What git would be given in one call: more than this machine lets a command line hold.
    expect(base.links!.reduce((n, l) => n + `:(top,literal)${l.repo}`.length + 1, 0)).toBeGreaterThan(argMax());
    expect(changedFiles(project, base)).toEqual([
      { file: 'notes.md', status: 'modified' },
      { file: 'prompts/p0/1.0.0.yaml', status: 'deleted' },
      { file: `prompts/p${last - 1}/1.1.0.yaml`, status: 'added' },
      { file: `prompts/p${last}/1.0.0.yaml`, status: 'modified' },
    ]);
  });
});

describe('filesAtBase', () => {
  /** Files at the base whose bytes a reader by lines or by text would get wrong. */
  const tricky: Record<string, Uint8Array> = {
    'prompts/a/1.0.0.yaml': Buffer.from('a: 1\0b\r\nc: 2'), // NUL, CRLF, no final line feed
    'prompts/a/1.1.0.yaml': Buffer.from('0123456789abcdef0123456789abcdef01234567 blob 3\nx missing\n\n'), // reads like git's own replies
    'prompts/a/1.2.0.yaml': Buffer.alloc(0),
    'prompts/a/1.3.0.yaml': Buffer.from([0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), // not UTF-8
    'prompts/a b/1.0.0.yaml': Buffer.from('spaced: true\n'),
  };

  it('reads every file with one git process, byte for byte, and leaves out what the base cannot show', () => {
    const root = makeTempDir('promptctl-git-base-files-');
    for (const [file, bytes] of Object.entries(tricky)) write(root, file, bytes);
    const plain = Array.from({ length: 40 }, (_, i) => `prompts/b/1.0.${i}.yaml`);
    for (const file of plain) write(root, file, `${file}\n`);
    run(root, 'init', '-q', '-b', 'main');
    run(root, 'add', '-A');
    run(root, 'commit', '-q', '-m', 'base');
    const base = followLinks(root, resolveBaseRef(root, branch), []);

    const git = countingGit();
    const calls = () => git.calls().map((c) => c.split(' ')[0]);
    // Not at the base: a version added since, and a folder where a file is asked.
    const asked = [...Object.keys(tricky), ...plain, 'prompts/a/2.0.0.yaml', 'prompts/b'];
    const texts = filesAtBase(root, base, asked);

    expect(calls()).toEqual(['cat-file']);
    expect(Object.fromEntries(texts)).toEqual({
      'prompts/a/1.0.0.yaml': 'a: 1\0b\r\nc: 2',
      'prompts/a/1.1.0.yaml': '0123456789abcdef0123456789abcdef01234567 blob 3\nx missing\n\n',
      'prompts/a/1.2.0.yaml': '',
      // Decoded as UTF-8, as git's answers always were: what UTF-8 refuses reads as U+FFFD.
      'prompts/a/1.3.0.yaml': 'n: \ufffd\ufffd\n',
      'prompts/a b/1.0.0.yaml': 'spaced: true\n',
      ...Object.fromEntries(plain.map((f) => [f, `${f}\n`])),
    });
  });
});
