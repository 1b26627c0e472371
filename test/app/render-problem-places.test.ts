import { cpSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPrompt } from '../../src/app/render-prompt.js';
import { formatProblem, InputError } from '../../src/core/errors.js';
import { QUICKSTART } from '../support/cli.js';
import { cleanupTempDirs, makeTempDir, writeProjectFile } from '../support/project.js';

/**
 * `render` places each problem where it is, with a hint for its kind: a template's at its message
 * (where lint places it), a missing variable at its declaration, a value the prompt refuses in the
 * vars file (its line) or named by its --var flag. Every problem pointed at the prompt's
 * `variables:` line, with the hint to pass required variables, whatever it was. Worded as the CLI
 * words them (`optionNames: 'flags'`); a script's words are in option-names.test.ts.
 */

afterAll(() => cleanupTempDirs());

const PROMPT = `id: p
version: 1.0.0
description: d
author: a@example.com
model: {}
variables:
  - name: question
    max_length: 10
  - name: order
    type: number
    required: false
messages:
  - role: system
    content: Answer briefly.
  - role: user
    content: |
      Order {{order}}:
      {{question}}
`;

const root = realpathSync(makeTempDir('promptctl-render-places-'));
cpSync(path.join(QUICKSTART, '.promptrc.yaml'), path.join(root, '.promptrc.yaml'));
writeProjectFile(root, 'prompts/p/1.0.0.yaml', PROMPT);
writeProjectFile(root, 'prompts/q/1.0.0.yaml', PROMPT.replace('id: p', 'id: q').replace('      {{question}}\n', '      {{question}} {{ unclosed\n'));

async function refusal(opts: { ref?: string; var?: string[]; vars?: string }): Promise<{ message: string; problems: string[]; hint: string }> {
  if (opts.vars !== undefined) writeFileSync(path.join(root, 'v.yaml'), opts.vars);
  try {
    await renderPrompt({ ref: opts.ref ?? 'p@1.0.0', var: opts.var ?? [], ...(opts.vars !== undefined ? { varsFile: 'v.yaml' } : {}), cwd: root, env: {}, optionNames: 'flags' });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { message: e.message, problems: e.problems.map((p) => formatProblem(p)), hint: e.hint ?? '' };
  }
  throw new Error('rendered');
}

describe('render problems, each where it is', () => {
  it.each<{ name: string; ref?: string; var?: string[]; vars?: string; message?: string; problems: string[]; hint: RegExp }>([
    { name: 'an unclosed {{ in a message: at the braces in the message, as lint says', ref: 'q@1.0.0', var: ['question=hi'], problems: ['prompts/q/1.0.0.yaml:18:20 messages.1.content: unclosed "{{": write \\{{ for a literal "{{"'], hint: /^fix the template in prompts\/q\/1\.0\.0\.yaml \(`promptctl lint prompts\/q\/1\.0\.0\.yaml` lists every problem of the file\)\.$/ },
    { name: 'a misspelt key in the vars file: at its line there; the missing one at its declaration', vars: 'order: 7\nquestoin: hi\n', problems: ['v.yaml:2:1 questoin: "questoin" is not a declared variable (declared: question, order)', 'prompts/p/1.0.0.yaml:7:5 variables.0: required variable "question" is missing'], hint: /^set only the variables p@1\.0\.0 declares \(question, order\): check the spelling; pass every required variable with --var name=value or in --vars-file vars\.yaml\.$/ },
    { name: 'a value too long in the vars file: at its line', vars: 'order: 7\nquestion: a question far too long\n', problems: ['v.yaml:2:1 question: "question" is 23 characters; max_length is 10'], hint: /^shorten the value to the max_length prompts\/p\/1\.0\.0\.yaml declares for it under variables\.$/ },
    { name: 'a --var of the wrong type: named by its flag', var: ['question=hi', 'order=0x1F'], message: 'cannot render p@1.0.0: --var order: "order" must be a number, got "0x1F": write it in decimal digits (such as 31, -0.5 or 1e3), as it is sent as written', problems: [], hint: /^give each value the type prompts\/p\/1\.0\.0\.yaml declares for it under variables\.$/ },
    { name: 'a --var overrides the file: the flag is named, not the file', vars: 'question: hi\norder: 7\n', var: ['order=seven'], message: 'cannot render p@1.0.0: --var order: "order" must be a number, got "seven"', problems: [], hint: /declares for it under variables/ },
  ])('$name', async ({ ref, var: flags, vars, message, problems, hint }) => {
    const got = await refusal({ ref, var: flags, vars });
    expect(got.message).toBe(message ?? `cannot render ${(ref ?? 'p@1.0.0')}`);
    expect(got.problems).toEqual(problems);
    expect(got.hint).toMatch(hint);
  });
});
