import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';
import { editVersionFile, eventCount, markReleased, markTested, registryFingerprint } from '../support/registry-cli.js';

/**
 * Read commands never write to the registry (issue 14): looking at a version, even a draft whose
 * file changed since it was last evaluated, registers nothing, appends no event, and leaves the
 * SQLite file (and its WAL) byte for byte as it was.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const READS: string[][] = [
  ['show', `${ID}@1.1.0`],
  ['show', `${ID}@1.2.0`, '--json'],
  ['render', `${ID}@1.2.0`, '--var', 'question=How do I get a refund?'],
  ['diff', ID, '1.1.0', '1.2.0'],
  ['list'],
  ['list', '--json'],
  ['lint'],
  ['status'],
  ['status', '--json'],
  ['history', ID],
  ['compare', `${ID}@1.0.0`, `${ID}@1.1.0`, '--no-eval'],
];

/** 1.0.0 released (deployed to development), 1.1.0 a draft evaluated once, both with runs; 1.2.0 new (`new`), never registered. */
async function project(): Promise<string> {
  const dir = makeProject();
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  markReleased(dir, `${ID}@1.0.0`);
  expect((await runCliInProcess(['new', ID, '--minor'], { cwd: dir })).code).toBe(0);
  return dir;
}

describe('read commands write nothing to the registry', () => {
  it.each(READS.map((args) => [args.join(' '), args]))('%s', async (_name, args) => {
    const dir = await project();
    const before = registryFingerprint(dir);
    const events = eventCount(dir);
    const r = await runCliInProcess(args as string[], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(registryFingerprint(dir)).toBe(before);
    expect(eventCount(dir)).toBe(events);
  });

  it('report writes its HTML file, and nothing to the registry', async () => {
    const dir = await project();
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(['report', `${ID}@1.0.0`, `${ID}@1.1.0`, '-o', `${makeTempDir()}/r.html`], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(registryFingerprint(dir)).toBe(before);
  });

  it('a draft edited since its eval: show, render, diff, list and lint read it as a draft, registering nothing', async () => {
    const dir = await project();
    editVersionFile(dir, `${ID}@1.1.0`);
    const before = registryFingerprint(dir);
    for (const args of [['show', `${ID}@1.1.0`, '--json'], ['render', `${ID}@1.1.0`, '--var', 'question=Refund?'], ['diff', ID, '1.0.0', '1.1.0'], ['list'], ['lint']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(0);
    }
    expect(registryFingerprint(dir)).toBe(before);
    const shown = JSON.parse((await runCliInProcess(['show', `${ID}@1.1.0`, '--json'], { cwd: dir })).stdout);
    expect(shown).toMatchObject({ state: 'draft', editedSinceRegistered: false });
    expect(shown.registeredHash).not.toBe(shown.contentHash);
  });

  it('status shows each registered version as draft or released, and the new version\'s file as a draft, in text and JSON', async () => {
    const dir = await project();
    const json = JSON.parse((await runCliInProcess(['status', '--json'], { cwd: dir })).stdout);
    expect(json.versions).toEqual([
      { promptId: ID, version: '1.0.0', state: 'released' },
      { promptId: ID, version: '1.1.0', state: 'draft' },
      { promptId: ID, version: '1.2.0', state: 'draft', fileOnly: true },
    ]);
    expect((await runCliInProcess(['status'], { cwd: dir })).stdout).toMatch(/^support-answer {2}1\.0\.0 released, 1\.1\.0 draft, 1\.2\.0 draft \(file only\)$/m);
  });
});
