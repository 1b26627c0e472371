import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile } from '../support/project.js';

/**
 * Review finding: `redteam generate <id> --packs extraction,pii-exfil` exited 2 with an error about
 * the suite's `attacks:` field. Comma- and space-separated lists are accepted, and errors name the flag.
 */

afterAll(() => cleanupTempDirs());

describe('redteam generate --packs', () => {
  it.each([
    ['comma-separated', ['--packs', 'extraction,pii-exfil']],
    ['space-separated in one argument', ['--packs', 'extraction pii-exfil']],
    ['separate arguments', ['--packs', 'extraction', 'pii-exfil']],
    ['mixed, with a repeat', ['--packs', 'extraction, pii-exfil', 'extraction']],
  ])('accepts a %s list', async (_label, flags) => {
    const dir = makeProject({ prefix: 'promptctl-redteam-' });
    const r = await runCliInProcess(['redteam', 'generate', 'support-answer', ...flags, '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(r.stdout).packs).toEqual(['extraction', 'pii-exfil']);
    const suite = parseYaml(readProjectFile(dir, 'evalsets/support-answer/redteam.yaml'));
    const packs = new Set(suite.cases.flatMap((c: { tags: string[] }) => c.tags.filter((t) => t.startsWith('pack:'))));
    expect([...packs].sort()).toEqual(['pack:extraction', 'pack:pii-exfil']);
  });

  it('names the flag when a pack is unknown', async () => {
    const dir = makeProject({ prefix: 'promptctl-redteam-' });
    const r = await runCliInProcess(['redteam', 'generate', 'support-answer', '--packs', 'extraction,nope'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--packs: unknown pack or category "nope"/);
    expect(r.stderr).not.toMatch(/attacks:/);
    expect(r.stderr).toMatch(/pii-exfil/); // the hint lists what is accepted
  });

  it('an id written after --packs, which takes every word after it, is said so (before: missing required argument \'id\')', async () => {
    const dir = makeProject({ prefix: 'promptctl-redteam-' });
    const r = await runCliInProcess(['redteam', 'generate', '--packs', 'extraction', 'support-answer'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toBe(
      'error: redteam generate needs a prompt id\n' +
        'why: --packs takes every word after it, so a prompt id written after it is read as a pack.\n' +
        'hint: if "support-answer" is the prompt id, put it before the flag: promptctl redteam generate support-answer --packs extraction\n',
    );
    const none = await runCliInProcess(['redteam', 'generate'], { cwd: dir });
    expect(none.code, none.output).toBe(2);
    expect(none.stderr).toBe('error: redteam generate needs a prompt id\nhint: write promptctl redteam generate <id>, for example promptctl redteam generate support-answer.\n');
  });
});
