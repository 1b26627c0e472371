import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { InputError } from '../../src/core/errors.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * `eval` with no version named runs "the highest version of every prompt": a prompt whose file does
 * not load is one of them, and is refused (exit 2, naming the file) as `eval <id>` and `lint`
 * refuse it. Before, it was left out without a word: a failing new prompt with a typo in its file
 * turned the run into "All suite runs passed", exit 0; with an older version that loads, that one
 * was evaluated instead. Refused before anything is sent (no server is running here).
 */

afterAll(() => cleanupTempDirs());

const VERSION = (version: string, settings: string) =>
  `id: billing-faq\nversion: ${version}\ndescription: billing answers\nauthor: a\n${settings}messages:\n  - role: user\n    content: "{{input}}"\nvariables:\n  input: { type: string }\n`;

const SUITE = { 'evalsets/billing-faq/golden.yaml': 'prompt: billing-faq\nversions: ">=1.0.0"\nkind: golden\nthreshold: 1\ncases:\n  - id: a\n    vars: { input: "hello" }\n    expect:\n      - contains: "never-there"\n' };

describe('eval of every prompt with one whose file does not load', () => {
  it.each([
    ['its only version', { ...SUITE, 'prompts/billing-faq/1.0.0.yaml': VERSION('1.0.0', 'model:\n  temprature: 0\n') }, 'prompts/billing-faq/1.0.0.yaml'],
    ['its highest version (an older one loads)', { ...SUITE, 'prompts/billing-faq/1.0.0.yaml': VERSION('1.0.0', ''), 'prompts/billing-faq/1.1.0.yaml': VERSION('1.1.0', 'model:\n  temprature: 0\n') }, 'prompts/billing-faq/1.1.0.yaml'],
  ])('%s: refused, naming the file', async (_, files, bad) => {
    const dir = makeProject();
    for (const [rel, text] of Object.entries(files)) writeProjectFile(dir, rel, text);
    expect(readProjectFile(dir, bad)).toContain('temprature');
    const error = await runEval({ cwd: dir, env: {}, refs: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('billing-faq');
    expect((error as InputError).problems.map((p) => p.file)).toContain(bad);
  });

  it('a prompt no suite judges (a draft being written) does not stop the others: eval goes on to the server', async () => {
    const dir = makeProject();
    writeProjectFile(dir, 'prompts/billing-faq/1.0.0.yaml', VERSION('1.0.0', 'model:\n  temprature: 0\n'));
    const error = await runEval({ cwd: dir, env: {}, refs: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // Past the file checks the server is asked (none runs here, so that is what stops it): not refused for billing-faq.
    expect(error).not.toBeInstanceOf(InputError);
    expect(String((error as Error | undefined)?.message)).not.toContain('billing-faq');
  });
});
