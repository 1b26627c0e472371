import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeSimProject, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Commands about one prompt (show, diff, compare, eval of named versions, new) loaded and parsed
 * every prompt's versions and suites, their data files included: a large unrelated suite made
 * `show` of a small prompt slow and memory-hungry. They now read only the named prompt's files,
 * as deploy and promote do. What a command read is what the project's file cache holds afterwards:
 * each file read and validated gets an entry naming it (infra/file-cache.ts).
 */

afterAll(() => cleanupTempDirs());
const sim = simulatorForFile();
const ID = 'support-answer';

/** The project files the cache holds an entry for, from the entries' headers. */
function cachedFiles(cwd: string): string[] {
  const dir = path.join(cwd, '.promptctl', 'cache', 'files');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => (JSON.parse(readFileSync(path.join(dir, n), 'utf8').split('\n')[0]!) as { file: string }).file)
    .sort();
}

/** The quickstart plus a second prompt, `other`, with a suite of its own. */
function twoPrompts(): string {
  const cwd = makeSimProject(sim.url, {}, 'promptctl-one-prompt-');
  cpSync(path.join(cwd, 'prompts', ID), path.join(cwd, 'prompts', 'other'), { recursive: true });
  for (const v of ['1.0.0', '1.1.0']) writeProjectFile(cwd, `prompts/other/${v}.yaml`, readProjectFile(cwd, `prompts/other/${v}.yaml`).replace(`id: ${ID}`, 'id: other'));
  writeProjectFile(cwd, 'evalsets/other/golden.yaml', readProjectFile(cwd, `evalsets/${ID}/golden.yaml`).replace(`prompt: ${ID}`, 'prompt: other'));
  return cwd;
}

describe('a command about one prompt', () => {
  it("reads that prompt's versions and suites, no other prompt's", async () => {
    const cwd = twoPrompts();
    const env = { XDG_CACHE_HOME: makeTempDir('promptctl-user-cache-') };
    for (const v of ['1.0.0', '1.1.0']) expect((await runCliInProcess(['eval', `${ID}@${v}`], { cwd, env })).code).toBeLessThan(2);
    const others: Record<string, string[]> = {};
    for (const args of [
      ['show', `${ID}@1.0.0`],
      ['diff', `${ID}@1.0.0`, `${ID}@1.1.0`],
      ['compare', `${ID}@1.0.0`, `${ID}@1.1.0`, '--no-eval'],
      ['eval', `${ID}@1.1.0`],
      ['lint', `prompts/${ID}/1.0.0.yaml`],
      ['lint', `evalsets/${ID}`, `prompts/${ID}`],
      ['new', ID, '--patch'],
    ]) {
      rmSync(path.join(cwd, '.promptctl', 'cache'), { recursive: true, force: true });
      const r = await runCliInProcess(args, { cwd, env });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBeLessThan(2);
      const read = cachedFiles(cwd);
      expect(read, args.join(' ')).toContain(`prompts/${ID}/1.0.0.yaml`);
      others[args.join(' ')] = read.filter((f) => f.includes('/other/'));
    }
    expect(Object.entries(others).filter(([, files]) => files.length)).toEqual([]);
  });

  it('lint of a data file, the config or the project reads every prompt, as before', async () => {
    const cwd = twoPrompts();
    const env = { XDG_CACHE_HOME: makeTempDir('promptctl-user-cache-') };
    for (const args of [['lint'], ['lint', '.promptrc.yaml', `prompts/${ID}`], ['lint', '.']]) {
      rmSync(path.join(cwd, '.promptctl', 'cache'), { recursive: true, force: true });
      expect((await runCliInProcess(args, { cwd, env })).code).toBeLessThan(2);
      expect(cachedFiles(cwd), args.join(' ')).toContain('evalsets/other/golden.yaml');
    }
  });

  it('still suggests another prompt for a mistyped id', async () => {
    const cwd = twoPrompts();
    const r = await runCliInProcess(['show', 'othr@1.0.0'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "other"?');
  });

  it('lint of a suite whose data file other prompts read too names every suite that reads a bad row', async () => {
    const cwd = twoPrompts();
    const rows = (prompt: string) => [`prompt: ${prompt}`, 'kind: golden', 'cases_from:', '  file: data/shared.csv', '  vars: { question: q }', '  expect:', '    - contains: x', ''].join('\n');
    writeProjectFile(cwd, `evalsets/${ID}/rows.yaml`, rows(ID));
    writeProjectFile(cwd, 'evalsets/other/rows.yaml', rows('other'));
    writeProjectFile(cwd, 'data/shared.csv', 'id,q\na,first\na,second\n');
    const r = await runCliInProcess(['lint', `evalsets/${ID}/rows.yaml`], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(`read by 2 suites: evalsets/other/rows.yaml, evalsets/${ID}/rows.yaml`);
  });
});
