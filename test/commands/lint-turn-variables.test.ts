import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A variable used only in a case's conversation turns must be declared for the turn to render, yet
 * lint warned `template/unused-variable` ("no message uses it"): a warning nothing could clear. It
 * now counts the turns of the suites that apply to the version (their `versions` range), and only those.
 */

afterAll(() => cleanupTempDirs());

const V100 = 'prompts/support-answer/1.0.0.yaml';
const V110 = 'prompts/support-answer/1.1.0.yaml';
const SUITE = 'evalsets/support-answer/follow-up.yaml';
const followUp =
  [
    'prompt: support-answer',
    'versions: ">=1.1.0"',
    'kind: golden',
    'cases:',
    '  - id: follow-up',
    '    vars: { question: "Refunds?", name: "Ann" }',
    '    messages:',
    '      - role: assistant',
    '      - role: user',
    '        content: "Thanks, I am {{name}}. And shipping?"',
    '    expect:',
    '      - icontains: shipping',
    '',
  ].join('\n');

const unusedWarnings = async (dir: string) => {
  const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
  expect(r.code, r.output).toBe(0);
  return (JSON.parse(r.stdout).problems as Array<{ file: string; field: string; rule: string; message: string }>).filter((p) => p.rule === 'template/unused-variable').map((p) => `${p.file} ${p.field}: ${p.message}`);
};

describe('lint: a variable only a conversation turn uses', () => {
  it('is used by the versions a suite with that turn applies to, and only by them', async () => {
    const dir = makeProject();
    // Both versions declare {{name}}; the follow-up suite covers 1.1.0 only.
    for (const v of [V100, V110]) writeProjectFile(dir, v, readProjectFile(dir, v).replace('    untrusted: true\n', '    untrusted: true\n  - name: name\n    type: string\n    required: false\n    max_length: 20\n'));
    writeProjectFile(dir, SUITE, followUp);
    expect(await unusedWarnings(dir)).toEqual([`${V100} variables.1.name: variable "name" is declared but no message uses it, nor a conversation turn of a suite that applies to this version`]);
  });
});
