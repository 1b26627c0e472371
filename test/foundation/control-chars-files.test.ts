import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, makeSimProject, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Control characters (all but newline, tab and CR) in prompt, suite and config files are refused at
 * load and lint with file, line and field: a NUL or an escape sequence in a message would be stored,
 * hashed and sent. Variable values given at run time (case vars, --vars-file) are data and are sent
 * as given: attacks may carry control characters.
 */

const sim = simulatorForFile();

const VERSION = 'prompts/support-answer/1.1.0.yaml';

function editFile(dir: string, rel: string, edit: (text: string) => string): void {
  const abs = path.join(dir, rel);
  writeFileSync(abs, edit(readFileSync(abs, 'utf8')));
}

describe('control characters in files', () => {
  it.each([
    ['a NUL escape in a message', VERSION, (t: string) => t.replace(/^description: .*$/m, 'description: "a NUL \\0 here"'), 'description', /\\x00 \(U\+0000\)/],
    ['a raw escape byte in a message', VERSION, (t: string) => t.replace('{{question}}', '{{question}} \u001b[2J'), 'messages.1.content', /\\e \(U\+001B\)/],
    ['a raw NUL byte in a message', VERSION, (t: string) => t.replace('{{question}}', '{{question}} \u0000'), 'messages.1.content', /U\+0000/],
    ['a bell in a suite expectation', 'evalsets/support-answer/golden.yaml', (t: string) => t.replace(/^description: .*$/m, 'description: "ding \\a"'), 'description', /\\x07 \(U\+0007\)/],
  ])('%s: lint and eval exit 2 naming file, line and field', async (_name, rel, edit, field, char) => {
    const dir = makeProject();
    editFile(dir, rel, edit);
    for (const args of [['lint'], ['eval', 'support-answer@1.1.0']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, r.output).toBe(2);
      // lint names errors; eval, refusing the file, lists them without the word.
      const severity = args[0] === 'lint' ? 'error ' : '';
      expect(r.output).toMatch(new RegExp(`${rel.replace(/[.]/g, '\\.')}:\\d+:\\d+ ${severity}${field.replace(/[.]/g, '\\.')}: contains the control character`));
      expect(r.output).toMatch(char);
    }
  });

  it('newlines, tabs and carriage returns stay allowed', async () => {
    const dir = makeProject();
    editFile(dir, VERSION, (t) => t.replace(/^description: .*$/m, 'description: "tab\\there\\r\\nnext line"'));
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
  });
});

describe('variable values are sent as given', () => {
  it('case vars with a NUL and an escape sequence: lint passes and eval sends them as given', async () => {
    const dir = makeSimProject(sim.url);
    writeProjectFile(
      dir,
      'evalsets/support-answer/ctl.yaml',
      ['prompt: support-answer', 'versions: "1.1.0"', 'kind: golden', 'cases:', '  - id: ctl', '    vars:', '      question: "refund \\0 \\e[2J \\x07?"', '    expect:', '      - contains: "never in any answer"', ''].join('\n'),
    );
    expect((await runCliInProcess(['lint'], { cwd: dir })).code).toBe(0);
    sim.resetStats();
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'ctl', '--json'], { cwd: dir });
    // Accepted and sent (the expectation fails on purpose: exit 1, not 2); render shows the exact text sent.
    expect(r.code, r.output).toBe(1);
    expect(sim.stats().chatCompletions).toBe(1);
  });

  // What render prints on a terminal shows the escapes; --json keeps the exact text sent.
  const SENT = 'hi \u001b[2J\u001b]0;pwned\u0007 \u202eabc \r over';
  const SHOWN = 'hi \\e[2J\\e]0;pwned\\x07 \\u{202e}abc \\r over';
  it.each([
    ['--var', (_dir: string) => ['--var', `question=${SENT}`]],
    ['--vars-file', (dir: string) => (writeProjectFile(dir, 'vars.json', JSON.stringify({ question: SENT })), ['--vars-file', 'vars.json'])],
  ])('render %s with escape sequences prints them escaped, and --json keeps them exact', async (_name, args) => {
    const dir = makeProject();
    const given = args(dir);
    const text = await runCliInProcess(['render', 'support-answer@1.1.0', ...given], { cwd: dir });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toContain(SHOWN);
    expect(text.stdout).not.toMatch(/[\u001b\u0007\u202e\r]/);
    const json = await runCliInProcess(['render', 'support-answer@1.1.0', ...given, '--json'], { cwd: dir });
    expect(json.code, json.output).toBe(0);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(SENT).slice(1, -1));
  });

  it('render --vars-file with control characters renders them as given', async () => {
    const dir = makeProject();
    writeProjectFile(dir, 'vars.yaml', 'question: "a \\0 b \\e[31m c"\n');
    const r = await runCliInProcess(['render', 'support-answer@1.1.0', '--vars-file', 'vars.yaml', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('a \\u0000 b \\u001b[31m c');
  });
});
