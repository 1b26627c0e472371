import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, type Project } from '../../src/infra/project.js';
import { QUICKSTART } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

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
const withBigSuite = (root: string) =>
  writeProjectFile(
    root,
    'evalsets/support-answer/big.yaml',
    ['prompt: support-answer', 'kind: golden', 'cases:', ...Array.from({ length: 300 }, (_, i) => `  - id: c${i}\n    vars: { question: "q ${i}: ünï 😀 -0 1e3" }\n    expect:\n      - { icontains: "x" }`)].join('\n') + '\n',
  );

describe('file cache', () => {
  it.each(readdirSync(path.dirname(QUICKSTART)).filter((name) => existsSync(path.join(path.dirname(QUICKSTART), name, '.promptrc.yaml'))).map((name) => [name] as const))('examples/%s loads the same from the cache as from its files', (name) => {
    const root = makeProject({ from: path.join(path.dirname(QUICKSTART), name) });
    withBigSuite(root);
    const fresh = comparable(loadProject(root, { env: noCache }));
    expect(entries(root)).toEqual([]);
    const filling = comparable(loadProject(root));
    const written = entries(root).length;
    expect(written).toBe(1 + fresh.prompts.length + fresh.suites.length);
    const cached = comparable(loadProject(root));
    expect(filling).toEqual(fresh);
    expect(cached).toEqual(fresh);
    expect(entries(root)).toHaveLength(written);
    expect(readFileSync(path.join(root, '.promptctl', 'cache', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('an edited file is read again: new content, and a problem with its position, never the old entry', () => {
    const root = makeProject();
    const rel = 'evalsets/support-answer/big.yaml';
    withBigSuite(root);
    loadProject(root);
    const text = readProjectFile(root, rel);
    writeProjectFile(root, rel, text.replace('q 7:', 'edited 7:'));
    const edited = loadProject(root).suites.find((s) => s.name === 'big')!;
    expect(JSON.stringify(edited.data.cases[7])).toContain('edited 7:');
    writeProjectFile(root, rel, text.replace('  - id: c5\n', '  - id: c5\n    bogus: 1\n'));
    const broken = loadProject(root);
    expect(broken.suites.find((s) => s.name === 'big')).toBeUndefined();
    expect(broken.problems).toEqual([expect.objectContaining({ file: rel, field: 'cases.5.bogus', line: 25, message: expect.stringContaining('unknown key "bogus"') })]);
    // A file with a problem is never cached: its problem comes back every time.
    expect(loadProject(root).problems).toHaveLength(1);
    // Restored bytes find their entry again (one entry per file, rewritten for the restored bytes).
    writeProjectFile(root, rel, text);
    expect(comparable(loadProject(root))).toEqual(comparable(loadProject(root, { env: noCache })));
  });

  it('an entry for other bytes, another build or another format, or a corrupt one, is not used', () => {
    const root = makeProject();
    withBigSuite(root);
    const fresh = comparable(loadProject(root, { env: noCache }));
    loadProject(root);
    const tamper = (edit: (stored: Record<string, unknown>) => void) => {
      for (const f of entries(root)) {
        const abs = path.join(entriesDir(root), f);
        const stored = JSON.parse(readFileSync(abs, 'utf8')) as Record<string, unknown>;
        // A poisoned value shows if an entry were trusted against the rules.
        (stored.entry as { value: Record<string, unknown> }).value.description = 'FROM A STALE ENTRY';
        edit(stored);
        writeFileSync(abs, JSON.stringify(stored));
      }
    };
    // The control: an entry for these very bytes of this build is what a load returns.
    tamper(() => {});
    expect(loadProject(root).suites.map((s) => s.data.description)).toContain('FROM A STALE ENTRY');
    for (const edit of [
      (s: Record<string, unknown>) => (s.bytes = '0'.repeat(64)),
      (s: Record<string, unknown>) => (s.build = 'another-build'),
      (s: Record<string, unknown>) => (s.format = 0),
      (s: Record<string, unknown>) => delete (s.entry as Record<string, unknown>).hash,
    ]) {
      tamper(edit);
      expect(comparable(loadProject(root))).toEqual(fresh);
    }
    for (const f of entries(root)) writeFileSync(path.join(entriesDir(root), f), '{"format":1,"bui');
    expect(comparable(loadProject(root))).toEqual(fresh);
    expect(comparable(loadProject(root))).toEqual(fresh); // and the corrupt entries were replaced
  });

  it('a cache that cannot be written changes nothing but speed', () => {
    const root = makeProject();
    writeProjectFile(root, '.promptctl/cache', 'a file where the cache folder would be');
    const fresh = comparable(loadProject(root, { env: noCache }));
    expect(comparable(loadProject(root))).toEqual(fresh);
    expect(comparable(loadProject(root))).toEqual(fresh);
  });
});
