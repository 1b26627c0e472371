import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openFileCache } from '../../src/infra/file-cache.js';
import { loadProject, loadSuitesOf, type Project } from '../../src/infra/project.js';
import { cachedSuitesOf, type SuiteFile } from '../../src/infra/suite-files.js';
import { QUICKSTART } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';

afterAll(cleanupTempDirs);

/**
 * The file cache (.promptctl/cache/files) keeps what a clean project file validated to. Its one
 * promise: a load from the cache is indistinguishable from reading the files, and it is never used
 * for bytes it was not written for.
 */

const entriesDir = (root: string) => path.join(root, '.promptctl', 'cache', 'files');
const entries = (root: string) => (existsSync(entriesDir(root)) ? readdirSync(entriesDir(root)).filter((f) => f.endsWith('.json')) : []);
/** Everything a command uses from a loaded project, positions (found lazily) as lines of chosen paths. */
function comparable(p: Project) {
  return {
    root: p.root,
    config: p.config,
    problems: p.problems,
    prompts: p.prompts.map(({ locate, ...rest }) => ({ ...rest, at: locate(['template']) })),
    suites: p.suites.map(({ locate, ...rest }) => ({ ...rest, at: [locate(['cases', 0, 'id']), locate(['cases', 1])] })),
  };
}
const noCache = { PROMPTCTL_FILE_CACHE: 'off' };
/** A copy of an example project without whatever a command run in the example itself left in .promptctl. */
const project = (from?: string) => {
  const root = makeProject(from ? { from } : {});
  rmSync(path.join(root, '.promptctl'), { recursive: true, force: true });
  return root;
};
/** This test's own key folder, so nothing here depends on (or writes to) the user's. */
const userCache = () => ({ XDG_CACHE_HOME: makeTempDir('promptctl-user-cache-') });
const withBigSuite = (root: string) =>
  writeProjectFile(
    root,
    'evalsets/support-answer/big.yaml',
    ['prompt: support-answer', 'kind: golden', 'cases:', ...Array.from({ length: 300 }, (_, i) => `  - id: c${i}\n    vars: { question: "q ${i}: ünï 😀 -0 1e3" }\n    expect:\n      - { icontains: "x" }`)].join('\n') + '\n',
  );

describe('file cache', () => {
  it.each(readdirSync(path.dirname(QUICKSTART)).filter((name) => existsSync(path.join(path.dirname(QUICKSTART), name, '.promptrc.yaml'))).map((name) => [name] as const))('examples/%s loads the same from the cache as from its files', (name) => {
    const root = project(path.join(path.dirname(QUICKSTART), name));
    withBigSuite(root);
    const env = userCache();
    const fresh = comparable(loadProject(root, { env: noCache }));
    expect(entries(root)).toEqual([]);
    const filling = comparable(loadProject(root, { env }));
    const written = entries(root).length;
    expect(written).toBe(1 + fresh.prompts.length + fresh.suites.length);
    const cached = comparable(loadProject(root, { env }));
    expect(filling).toEqual(fresh);
    expect(cached).toEqual(fresh);
    expect(entries(root)).toHaveLength(written);
    expect(readFileSync(path.join(root, '.promptctl', 'cache', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('an edited file is read again: new content, and a problem with its position, never the old entry', () => {
    const root = project();
    const env = userCache();
    const rel = 'evalsets/support-answer/big.yaml';
    withBigSuite(root);
    loadProject(root, { env });
    const text = readProjectFile(root, rel);
    writeProjectFile(root, rel, text.replace('q 7:', 'edited 7:'));
    const edited = loadProject(root, { env }).suites.find((s) => s.name === 'big')!;
    expect(JSON.stringify(edited.data.cases[7])).toContain('edited 7:');
    writeProjectFile(root, rel, text.replace('  - id: c5\n', '  - id: c5\n    bogus: 1\n'));
    const broken = loadProject(root, { env });
    expect(broken.suites.find((s) => s.name === 'big')).toBeUndefined();
    expect(broken.problems).toEqual([expect.objectContaining({ file: rel, field: 'cases.5.bogus', line: 25, message: expect.stringContaining('unknown key "bogus"') })]);
    // A file with a problem is never cached: its problem comes back every time.
    expect(loadProject(root, { env }).problems).toHaveLength(1);
    // Restored bytes find their entry again (one entry per file, rewritten for the restored bytes).
    writeProjectFile(root, rel, text);
    expect(comparable(loadProject(root, { env }))).toEqual(comparable(loadProject(root, { env: noCache })));
  });

  describe('an entry is used only for the same bytes, build and format, sealed with this user\'s key', () => {
    const rel = 'evalsets/support-answer/big.yaml';
    const bytesOf = (root: string) => readFileSync(path.join(root, rel));
    /** The suite's entry as a valid cache with `env`'s key would write it, with a poisoned description. */
    const poison = (root: string, env: Record<string, string>) => {
      const entry = JSON.parse(JSON.stringify(loadProject(root, { env: noCache }).suites.find((s) => s.name === 'big'))) as { data: Record<string, unknown>; hash: string };
      openFileCache(root, env).set('suite', rel, bytesOf(root), { value: { ...entry.data, description: 'FROM A POISONED ENTRY' }, hash: entry.hash });
    };
    const description = (root: string, env: Record<string, string>) => loadProject(root, { env }).suites.find((s) => s.name === 'big')!.data.description;
    const entryFile = (root: string) => path.join(entriesDir(root), entries(root).find((f) => readFileSync(path.join(entriesDir(root), f), 'utf8').includes(`"file":"${rel}"`))!);
    const edited = (root: string, edit: (header: Record<string, unknown>, payload: string) => [Record<string, unknown>, string]) => {
      const text = readFileSync(entryFile(root), 'utf8');
      const [header, payload] = edit(JSON.parse(text.slice(0, text.indexOf('\n'))) as Record<string, unknown>, text.slice(text.indexOf('\n') + 1));
      writeFileSync(entryFile(root), `${JSON.stringify(header)}\n${payload}`);
    };
    let root: string;
    let env: Record<string, string>;
    let fresh: ReturnType<typeof comparable>;
    beforeEach(() => {
      root = project();
      env = userCache();
      withBigSuite(root);
      fresh = comparable(loadProject(root, { env: noCache }));
      poison(root, env);
    });

    it('the control: an entry sealed with this key for these bytes and this build is what a load returns', () => {
      expect(description(root, env)).toBe('FROM A POISONED ENTRY');
    });
    it('sealed with another key (committed with the project, or copied from another machine): read afresh', () => {
      const other = project();
      withBigSuite(other);
      poison(other, userCache());
      writeFileSync(entryFile(root), readFileSync(entryFile(other)));
      expect(comparable(loadProject(root, { env }))).toEqual(fresh);
    });
    it.each([
      ['a payload changed after sealing', (h: Record<string, unknown>, p: string): [Record<string, unknown>, string] => [h, p.replace('FROM A POISONED ENTRY', 'CHANGED AFTER')]],
      ['other bytes', (h: Record<string, unknown>, p: string): [Record<string, unknown>, string] => [{ ...h, bytes: '0'.repeat(64) }, p]],
      ['another build', (h: Record<string, unknown>, p: string): [Record<string, unknown>, string] => [{ ...h, build: 'another-build' }, p]],
      ['another format', (h: Record<string, unknown>, p: string): [Record<string, unknown>, string] => [{ ...h, format: 1 }, p]],
      ['no seal', (h: Record<string, unknown>, p: string): [Record<string, unknown>, string] => [{ ...h, seal: undefined }, p]],
    ])('%s: read afresh', (_name, edit) => {
      edited(root, edit);
      expect(comparable(loadProject(root, { env }))).toEqual(fresh);
    });
    it('a damaged entry is read afresh, and replaced', () => {
      writeFileSync(entryFile(root), '{"format":2,"bui');
      expect(comparable(loadProject(root, { env }))).toEqual(fresh);
      expect(readFileSync(entryFile(root), 'utf8')).toMatch(/^\{"format":2,"build":/);
      expect(comparable(loadProject(root, { env }))).toEqual(fresh);
    });
    it('without a user cache folder there is no key, and nothing is cached', () => {
      const bare = project();
      expect(comparable(loadProject(bare, { env: {} }))).toEqual(comparable(loadProject(bare, { env: noCache })));
      expect(entries(bare)).toEqual([]);
    });
  });

  it('a cache that cannot be written changes nothing but speed', () => {
    const root = project();
    const env = userCache();
    writeProjectFile(root, '.promptctl/cache', 'a file where the cache folder would be');
    const fresh = comparable(loadProject(root, { env: noCache }));
    expect(comparable(loadProject(root, { env }))).toEqual(fresh);
    expect(comparable(loadProject(root, { env }))).toEqual(fresh);
  });
});

/**
 * `status` reads suites from the cache alone when it holds them (no suite schema to load):
 * `cachedSuitesOf` gives what the loader gives, or nothing at all, never a suite the loader refuses.
 */
describe('suites from the cache alone', () => {
  const same = (suites: SuiteFile[] | undefined) => suites?.map(({ locate: _l, ...rest }) => rest);
  const ID = 'support-answer';

  it('gives nothing until the loader has cached every suite, then exactly what the loader reads', () => {
    const root = project();
    withBigSuite(root);
    const env = userCache();
    expect(cachedSuitesOf(root, [ID], env)).toBeUndefined();
    const loaded = loadSuitesOf(root, [ID], env);
    expect(loaded.length).toBeGreaterThan(1);
    expect(same(cachedSuitesOf(root, [ID], env))).toEqual(same(loaded));
    expect(cachedSuitesOf(root, [], env)).toEqual([]);
    expect(cachedSuitesOf(root, [ID], noCache)).toBeUndefined();
  });

  it.each([
    ['an edited suite', (root: string) => writeProjectFile(root, 'evalsets/support-answer/big.yaml', 'prompt: support-answer\nkind: golden\ncases: []\n')],
    ['a suite the schema refuses', (root: string) => writeProjectFile(root, 'evalsets/support-answer/bad.yaml', 'prompt: support-answer\nkind: gold\n')],
    ['a second file for one suite', (root: string) => writeFileSync(path.join(root, 'evalsets/support-answer/big.yml'), readProjectFile(root, 'evalsets/support-answer/big.yaml'))],
    ['a suite file name that is not a slug', (root: string) => writeProjectFile(root, 'evalsets/support-answer/Big.yaml', 'prompt: support-answer\nkind: golden\n')],
  ])('gives nothing after %s, so the loader decides', (_, change) => {
    const root = project();
    withBigSuite(root);
    const env = userCache();
    loadSuitesOf(root, [ID], env);
    change(root);
    expect(cachedSuitesOf(root, [ID], env)).toBeUndefined();
    loadSuitesOf(root, [ID], env);
    // Filled again: the edited suite is cached now; the refused ones never are.
    if (_ === 'an edited suite') expect(same(cachedSuitesOf(root, [ID], env))).toEqual(same(loadSuitesOf(root, [ID], env)));
    else expect(cachedSuitesOf(root, [ID], env)).toBeUndefined();
  });

  it('gives nothing for a suite with a dataset, whose rows are not cached', () => {
    const root = project();
    writeProjectFile(root, 'data/rows.jsonl', '{"id":"r1","question":"q","answer":"x"}\n');
    writeProjectFile(root, 'evalsets/support-answer/rows.yaml', 'prompt: support-answer\nkind: golden\ncases_from:\n  file: data/rows.jsonl\n  expect:\n    - icontains: "{{answer}}"\n');
    const env = userCache();
    expect(loadSuitesOf(root, [ID], env).map((s) => s.name)).toContain('rows');
    expect(cachedSuitesOf(root, [ID], env)).toBeUndefined();
  });
});
