import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadProject, type Project } from '../../src/infra/project.js';
import { requireSoundFiles } from '../../src/infra/sound-files.js';
import { attackLintOptions } from '../../src/infra/eval/attacks.js';
import type { AttackPack } from '../../src/core/attacks/pack-schema.js';
import { cleanupTempDirs, makeProject, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';

afterAll(cleanupTempDirs);

/**
 * The sound-files gate of eval and deploy remembers, in the project's file cache, which suites
 * linted clean, and skips their lint while nothing lint reads has changed. Its one promise: a
 * suite's lint is skipped only for exactly the inputs it passed with; any problem is found afresh.
 */

const ID = 'support-answer';
/** A fresh project and a user cache folder of this test's own (the file cache's key lives there). */
function setUp(): { root: string; env: Record<string, string> } {
  return { root: makeProject(), env: { XDG_CACHE_HOME: makeTempDir('promptctl-user-cache-') } };
}
/** What the gate refuses, as `rule: message` lines ('' when it lets the prompt through). */
function refusal(project: Project, env?: Record<string, string>, attacks: { attackPacks?: AttackPack[] } = {}): string {
  try {
    requireSoundFiles(project, [ID], { versions: project.prompts.filter((p) => p.id === ID), env, ...attacks });
    return '';
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return (e.problems ?? []).map((p) => `${p.rule}: ${p.message}`).join('\n');
  }
}
/** The project as loaded, but with the golden suite's second case given the first one's id: a lint error with the content hash unchanged. */
function withDuplicateIdInMemory(project: Project): Project {
  const suites = project.suites.map((s) => (s.name !== 'golden' ? s : { ...s, data: { ...s.data, cases: s.data.cases.map((c, i) => (i === 1 ? { ...c, id: s.data.cases[0]!.id } : c)) } }));
  return { ...project, suites };
}

describe('the sound-files gate remembers clean suites', () => {
  it('an unchanged suite that linted clean is not linted again; without the cache it is', () => {
    const { root, env } = setUp();
    expect(refusal(loadProject(root, { env }), env)).toBe('');
    // Same content hash, different data: only a skipped lint lets this through.
    const altered = withDuplicateIdInMemory(loadProject(root, { env }));
    expect(refusal(altered, env)).toBe('');
    const off = { ...env, PROMPTCTL_FILE_CACHE: 'off' };
    expect(refusal(withDuplicateIdInMemory(loadProject(root, { env: off })), off)).toMatch(/already used by cases\.0/);
    expect(refusal(altered)).toMatch(/duplicate-case-id/); // no env: no cache
  });

  it('a suite that names no attacks is remembered whether or not the packs were loaded (eval loads them for the project, deploy for the prompt)', () => {
    const { root, env } = setUp();
    expect(refusal(loadProject(root, { env }), env, attackLintOptions())).toBe('');
    // Same content hash, different data, no packs this time: only a skipped lint lets this through.
    expect(refusal(withDuplicateIdInMemory(loadProject(root, { env })), env)).toBe('');
  });

  it('a suite with an error is never remembered: the error is found on every run', () => {
    const { root, env } = setUp();
    const golden = 'evalsets/support-answer/golden.yaml';
    writeProjectFile(root, golden, readProjectFile(root, golden).replace('id: shipping-time', 'id: refund-window'));
    for (let i = 0; i < 2; i++) expect(refusal(loadProject(root, { env }), env)).toMatch(/refund-window.*already used/);
  });

  it('a new version of the prompt is linted against the remembered suite: a variable it lacks is an error', () => {
    const { root, env } = setUp();
    expect(refusal(loadProject(root, { env }), env)).toBe('');
    const newer = readProjectFile(root, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.2.0').replaceAll('question', 'query');
    writeProjectFile(root, 'prompts/support-answer/1.2.0.yaml', newer);
    expect(refusal(loadProject(root, { env }), env)).toMatch(/"question", which is not declared by .*1\.2\.0/);
  });

  it('an edited suite is linted again', () => {
    const { root, env } = setUp();
    expect(refusal(loadProject(root, { env }), env)).toBe('');
    const golden = 'evalsets/support-answer/golden.yaml';
    writeProjectFile(root, golden, readProjectFile(root, golden).replace('id: shipping-time', 'id: refund-window'));
    expect(refusal(loadProject(root, { env }), env)).toMatch(/already used/);
  });

  it('a suite whose cases come from a data file is remembered for the same rows; an edited row is linted again', () => {
    const { root, env } = setUp();
    const rows = '- id: r1\n  question: "Where is my parcel?"\n  expect: [{ icontains: "days" }]\n';
    writeProjectFile(root, 'data/rows.yaml', rows);
    writeProjectFile(root, 'evalsets/support-answer/rows.yaml', `prompt: ${ID}\nversions: ">=1.0.0"\nkind: golden\nthreshold: 1\ncases_from:\n  file: data/rows.yaml\n`);
    const first = loadProject(root, { env });
    expect(first.problems).toEqual([]);
    expect(refusal(first, env)).toBe('');
    // Same content hash, no cases: only a skipped lint lets this through.
    const project = loadProject(root, { env });
    const altered = { ...project, suites: project.suites.map((s) => (s.name !== 'rows' ? s : { ...s, data: { ...s.data, cases: [] } })) };
    expect(refusal(altered, env)).toBe('');
    writeProjectFile(root, 'data/rows.yaml', `${rows}- id: r2\n  question: "Can I pay later?"\n  expect:\n    - json-schema: { type: objectx }\n`);
    // Its error sits in the data file, not the suite file: still never remembered.
    for (let i = 0; i < 2; i++) expect(refusal(loadProject(root, { env }), env)).toMatch(/^schema\/invalid: /);
  });
});
