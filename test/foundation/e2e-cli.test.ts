import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertBuilt, QUICKSTART, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';

/** End-to-end: the CLI (in-process, as the binary runs it) in temp folders, as a user would. */

beforeAll(assertBuilt);
afterAll(cleanupTempDirs);

/*
 * What the quickstart holds is read from examples/quickstart rather than written down here, so
 * the example can be edited freely as long as it keeps support-answer 1.0.0 and 1.1.0 with a
 * required `question` variable, and lints clean.
 */
interface QuickPrompt {
  model: Record<string, unknown>;
  variables: Array<{ name: string; max_length?: number }>;
  messages: Array<{ role: string; content: string }>;
}
const quickPrompt = (v: string) => parse(readFileSync(path.join(QUICKSTART, `prompts/support-answer/${v}.yaml`), 'utf8')) as QuickPrompt;
// Every prompt version and suite, and the config.
const QUICK_LINTED_FILES = filesUnder(QUICKSTART).filter((f) => /^(prompts|evalsets)\/.*\.ya?ml$/.test(f) || f === '.promptrc.yaml').length;
const QUICK_SUITES = readdirSync(path.join(QUICKSTART, 'evalsets/support-answer')).map((f) => f.replace(/\.ya?ml$/, '')).sort();
const QUICK_MAX_LENGTH = quickPrompt('1.1.0').variables.find((v) => v.name === 'question')!.max_length;

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

describe('the journey: init → lint → render → new → diff → lint', () => {
  const dir = makeTempDir();

  it('init scaffolds the quickstart', async () => {
    const r = await runCliInProcess(['init'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`initialised promptctl project in ${dir}`);
    const expected = filesUnder(QUICKSTART).sort();
    expect(filesUnder(dir).sort()).toEqual(expected);
    for (const f of expected) {
      expect(r.stdout).toContain(`created ${f}`);
      expect(readFileSync(path.join(dir, f), 'utf8')).toBe(readFileSync(path.join(QUICKSTART, f), 'utf8'));
    }
  });

  it('lint passes on the fresh project', async () => {
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${QUICK_LINTED_FILES} files checked: 0 errors, 0 warnings`);
  });

  it('render prints the exact messages', async () => {
    const r = await runCliInProcess(['render', 'support-answer@1.1.0', '--var', 'question=How do I get a refund?'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [system, user] = quickPrompt('1.1.0').messages;
    expect(r.stdout).toContain(`--- system ---\n${system!.content.trimEnd()}\n--- user ---\n`);
    expect(r.stdout).toContain(user!.content.replace('{{question}}', 'How do I get a refund?').trimEnd());
    expect(r.stdout).not.toContain('{{');
  });

  it('render --json gives messages, settings and the content hash', async () => {
    const r = await runCliInProcess(['render', 'support-answer@1.0.0', '--var', 'question=hi', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ id: 'support-answer', version: '1.0.0', settings: { model: 'sim-model', ...quickPrompt('1.0.0').model } });
    expect(data.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(data.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(data.messages[1].content).toBe(quickPrompt('1.0.0').messages[1]!.content.replace('{{question}}', 'hi'));
  });

  it('render reads --vars-file and flags win over it', async () => {
    writeProjectFile(dir, 'vars.yaml', 'question: from the file\n');
    const fromFile = await runCliInProcess(['render', 'support-answer@1.0.0', '--vars-file', 'vars.yaml'], { cwd: dir });
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain('from the file');
    const flagWins = await runCliInProcess(['render', 'support-answer@1.0.0', '--vars-file', 'vars.yaml', '--var', 'question=from the flag'], { cwd: dir });
    expect(flagWins.stdout).toContain('from the flag');
    expect(flagWins.stdout).not.toContain('from the file');
  });

  it('render --vars-file refuses a value it cannot render, at its line and column, in plain words', async () => {
    writeProjectFile(dir, 'vars-null.yaml', 'topic: x\nquestion: null\n');
    const r = await runCliInProcess(['render', 'support-answer@1.0.0', '--vars-file', 'vars-null.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --vars-file vars-null.yaml must map variable names to strings, numbers or booleans\n');
    expect(r.stderr).toMatch(/vars-null\.yaml:2:\d+ question: must be a string, number or boolean\n/);
    writeProjectFile(dir, 'vars-list.yaml', '- a\n');
    expect((await runCliInProcess(['render', 'support-answer@1.0.0', '--vars-file', 'vars-list.yaml'], { cwd: dir })).stderr).toMatch(/vars-list\.yaml:1:1 must be a mapping, not a list\n/);
  });

  it('new copies the highest version to the next minor', async () => {
    const r = await runCliInProcess(['new', 'support-answer', '--minor', '--description', 'Shorter answers.', '--author', 'dev@example.com'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created prompts/support-answer/1.2.0.yaml from 1.1.0');
    const text = readProjectFile(dir, 'prompts/support-answer/1.2.0.yaml');
    expect(text).toContain('version: 1.2.0');
    expect(text).toContain('Shorter answers.');
    expect(text).toContain('author: dev@example.com');
    // everything else is copied, comments included
    expect(text.split('\n')[0]).toBe(readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').split('\n')[0]);
    const copied = parse(text) as QuickPrompt;
    expect(copied.messages).toEqual(quickPrompt('1.1.0').messages);
    expect(copied.variables).toEqual(quickPrompt('1.1.0').variables);
  });

  it('diff shows only what changed', async () => {
    const r = await runCliInProcess(['diff', 'support-answer', '1.1.0', '1.2.0'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--- prompts/support-answer/1.1.0.yaml');
    expect(r.stdout).toContain('+++ prompts/support-answer/1.2.0.yaml');
    expect(r.stdout).toContain('-description: Adds the data export fact');
    expect(r.stdout).toContain('+description: Shorter answers.');
    expect(r.stdout).toContain('+author: dev@example.com');
    expect(r.stdout).not.toMatch(/^[-+]\s+- role:/m);
  });

  it('diff between two real versions shows the message change', async () => {
    const r = await runCliInProcess(['diff', 'support-answer', '1.0.0', '1.1.0', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ id: 'support-answer', a: '1.0.0', b: '1.1.0', identical: false });
    expect(data.patch).toMatch(/^[-+] {6}\S/m); // an indented line of message content changed
  });

  it('diff of a version with itself says identical', async () => {
    const r = await runCliInProcess(['diff', 'support-answer', '1.0.0', '1.0.0'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('identical content');
  });

  it('lint still passes, now over one more file', async () => {
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${QUICK_LINTED_FILES + 1} files checked: 0 errors, 0 warnings`);
  });

  it('an edit that breaks the new version makes lint exit 2 naming file, line and field', async () => {
    const file = 'prompts/support-answer/1.2.0.yaml';
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('{{question}}', '{{question}} {{customer}}'));
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:\\d+:\\d+ error messages\\.1\\.content: uses \\{\\{customer\\}\\}.*\\[template/undeclared-variable\\]$`, 'm'));
    // diff only read 1.2.0: it is still a draft, so its edit is no edit of a released version.
    expect(r.stdout).not.toMatch(/version\/edited/);
    expect(r.stdout).toContain(`${QUICK_LINTED_FILES + 1} files checked: 1 error, `);
  });
});

describe('init', () => {
  it('never overwrites an existing file', async () => {
    const dir = makeTempDir();
    writeProjectFile(dir, '.promptrc.yaml', 'mine: true\n');
    writeProjectFile(dir, 'prompts/support-answer/1.0.0.yaml', 'also mine\n');
    const before = statSync(path.join(dir, '.promptrc.yaml')).mtimeMs;
    const r = await runCliInProcess(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readProjectFile(dir, '.promptrc.yaml')).toBe('mine: true\n');
    expect(readProjectFile(dir, 'prompts/support-answer/1.0.0.yaml')).toBe('also mine\n');
    expect(statSync(path.join(dir, '.promptrc.yaml')).mtimeMs).toBe(before);
    expect(r.stdout).toContain('kept    .promptrc.yaml (already exists, not overwritten)');
    // An existing project gets no example files: the example's 1.1.0 would become the latest of the user's prompt.
    expect(r.stdout).not.toContain('created prompts/');
    expect(existsSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'))).toBe(false);
  });

  it('run twice creates nothing the second time', async () => {
    const dir = makeTempDir();
    expect((await runCliInProcess(['init'], { cwd: dir })).code).toBe(0);
    const r = await runCliInProcess(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('created');
  });

  it('into a named folder, creating it', async () => {
    const dir = makeTempDir();
    const r = await runCliInProcess(['init', 'sub/project'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'sub/project/.promptrc.yaml'))).toBe(true);
    expect((await runCliInProcess(['lint'], { cwd: path.join(dir, 'sub/project') })).code).toBe(0);
  });
});

describe('--json output parses', () => {
  const dir = makeProject();
  const rows: Array<[string, string[], (d: any) => void]> = [
    ['list', ['list', '--json'], (d) => expect(d.prompts[0]).toMatchObject({ id: 'support-answer', latest: '1.1.0', versions: ['1.1.0', '1.0.0'], suites: QUICK_SUITES })],
    ['show', ['show', 'support-answer', '--json'], (d) => expect(d).toMatchObject({ id: 'support-answer', version: '1.1.0', file: 'prompts/support-answer/1.1.0.yaml', otherVersions: ['1.0.0'] })],
    ['show a version', ['show', 'support-answer@1.0.0', '--json'], (d) => expect(d.suites.map((s: any) => s.name)).toEqual(QUICK_SUITES)],
    ['lint', ['lint', '--json'], (d) => expect(d).toEqual({ files: QUICK_LINTED_FILES, errors: 0, warnings: 0, problems: [] })],
    ['render', ['render', 'support-answer@1.1.0', '--var', 'question=x', '--json'], (d) => expect(d.messages).toHaveLength(2)],
    ['diff', ['diff', 'support-answer', '1.0.0', '1.1.0', '--json'], (d) => expect(d.identical).toBe(false)],
  ];
  it.each(rows)('%s', async (_name, args, check) => {
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code).toBe(0);
    check(JSON.parse(r.stdout));
  });

  it('errors in --json mode are JSON too', async () => {
    const r = await runCliInProcess(['show', 'nope', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: 'BadInput', exitCode: 2, message: 'prompt "nope" does not exist' });
    expect(r.stderr).toContain('error: prompt "nope" does not exist');
  });

  it('lint problems in --json mode carry file, line, col and field', async () => {
    const broken = makeProject();
    const original = readProjectFile(broken, 'prompts/support-answer/1.1.0.yaml');
    const line = original.split('\n').findIndex((l) => /^\s+temperature:/.test(l)) + 1;
    expect(line).toBeGreaterThan(0);
    writeProjectFile(broken, 'prompts/support-answer/1.1.0.yaml', original.replace(/^(\s+temperature:).*$/m, '$1 hot'));
    const r = await runCliInProcess(['lint', '--json'], { cwd: broken });
    expect(r.code).toBe(2);
    const d = JSON.parse(r.stdout);
    expect(d.errors).toBe(1);
    expect(d.problems[0]).toMatchObject({ file: 'prompts/support-answer/1.1.0.yaml', line, field: 'model.temperature', severity: 'error' });
  });

  it('new --json', async () => {
    const r = await runCliInProcess(['new', 'fresh-prompt', '--json'], { cwd: makeProject() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'fresh-prompt', version: '1.0.0', file: 'prompts/fresh-prompt/1.0.0.yaml', from: null, suites: [], suiteExample: { file: 'evalsets/fresh-prompt/golden.yaml', text: expect.stringContaining('\nprompt: fresh-prompt\n') } });
  });
});

describe('a usage mistake with --json', () => {
  const dir = makeProject();
  it.each([
    { args: ['status', '--bogus-flag', '--json'], message: "unknown option '--bogus-flag'" },
    { args: ['deploy', 'support-answer@1.0.0', '--json'], message: "required option '--env <env>' not specified" },
    { args: ['bogus', '--json'], message: "unknown command 'bogus'" },
    { args: ['rollback', 'support-answer', '--env', 'staging', '--env', 'production', '--json'], message: `option '--env <env>' given 2 times with different values ("staging", "production"): give it once` },
  ])('$args.0: the error object on stdout, the text on stderr, exit 2', async ({ args, message }) => {
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: 'BadInput', exitCode: 2, message, hint: 'run with --help for usage' });
    expect(r.stderr).toBe(`error: ${message}\n(run with --help for usage)\n`);
  });

  it('without --json (or with it only after --) stdout stays empty', async () => {
    for (const args of [['status', '--bogus-flag'], ['show', '--bogus-flag', '--', '--json']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});

describe('usage and exit codes', () => {
  const dir = makeProject();
  const rows: Array<[string, string[], number, string | RegExp]> = [
    ['unknown command', ['bogus'], 2, "unknown command 'bogus'"],
    ['unknown option', ['lint', '--bogus'], 2, "unknown option '--bogus'"],
    ['missing argument', ['show'], 2, "missing required argument 'ref'"],
    ['a repeat of 0', ['eval', '--repeat', '0'], 2, /^error: invalid --repeat: must be at least 1$/m],
    ['a negative concurrency', ['eval', '--concurrency', '-1'], 2, /^error: invalid --concurrency: must be at least 1$/m],
    ['a limit that is not a number', ['history', '--limit', 'abc'], 2, /^error: invalid --limit: must be a whole number written in digits$/m],
    // Counts are digits: a hexadecimal or exponent spelling was read as another number (3, 10).
    ['a repeat in hexadecimal', ['eval', '--repeat', '0x3'], 2, /^error: invalid --repeat: must be a whole number written in digits$/m],
    ['a concurrency with an exponent', ['eval', '--concurrency', '1e1'], 2, /^error: invalid --concurrency: must be a whole number written in digits$/m],
    ['a sample with an exponent', ['eval', '--sample', '1e1'], 2, /^error: --sample must be a whole number of cases written in digits, not "1e1"$/m],
    ['an empty description', ['new', 'support-answer', '--description', ''], 2, /^error: invalid --description: must have at least 1 character\(s\)$/m],
    ['a leak threshold too small', ['redteam', 'generate', 'support-answer', '--leak-min-chars', '2'], 2, /invalid --leak-min-chars[\s\S]*promptctl redteam generate --help/],
    ['conflicting bumps', ['new', 'support-answer', '--minor', '--major'], 2, 'cannot be used with'],
    ['one environment given twice', ['deploy', 'support-answer@1.1.0', '--env', 'staging', '--reason', 'r', '--env=production'], 2, `error: option '--env <env>' given 2 times with different values ("staging", "production"): give it once`],
    ['a line break in init --base-url', ['init', 'elsewhere', '--base-url', 'http://x:8000/v1\nfoo: bar'], 2, /^error: invalid --base-url: must not contain a tab or line break, or begin or end with a space$/m],
    ['a global option given twice', ['-C', 'prompts', 'status', '-C', 'evalsets'], 2, `error: option '-C, --cwd <dir>' given 2 times with different values ("prompts", "evalsets"): give it once`],
    ['render without a version', ['render', 'support-answer'], 2, 'needs a version'],
    ['render a path-traversal id', ['render', '../../etc@1.0.0'], 2, 'is not a prompt reference'],
    ['new with a path-traversal id', ['new', '../evil'], 2, 'is not a prompt reference'],
    ['show a bad version', ['show', 'support-answer@latest'], 2, 'is not a semantic version'],
    ['show an unknown version', ['show', 'support-answer@9.9.9'], 2, 'known versions: 1.1.0, 1.0.0'],
    ['render a missing variable', ['render', 'support-answer@1.1.0'], 2, /prompts\/support-answer\/1\.1\.0\.yaml:\d+:\d+ variables\.0: required variable "question" is missing/],
    ['render an undeclared variable', ['render', 'support-answer@1.1.0', '--var', 'question=x', '--var', 'tone=warm'], 2, /cannot render support-answer@1\.1\.0: --var tone: "tone" is not a declared variable/],
    ['render a malformed --var', ['render', 'support-answer@1.1.0', '--var', 'question'], 2, 'is not name=value'],
    ['render a value over max_length', ['render', 'support-answer@1.1.0', '--var', `question=${'x'.repeat((QUICK_MAX_LENGTH ?? 0) + 1)}`], 2, `max_length is ${QUICK_MAX_LENGTH}`],
    ['render a missing vars file', ['render', 'support-answer@1.1.0', '--vars-file', 'nope.yaml'], 2, 'cannot read --vars-file nope.yaml'],
    ['lint a path that does not exist', ['lint', 'prompts/nope.yaml'], 2, 'no such file or folder: prompts/nope.yaml'],
    ['lint a path outside the project', ['lint', '..'], 2, 'outside the project: ..'],
    ['help', ['--help'], 0, 'Usage: promptctl'],
    ['version', ['--version'], 0, /^\d+\.\d+\.\d+/],
  ];
  it.each(rows)('%s', async (_name, args, code, text) => {
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code).toBe(code);
    if (typeof text === 'string') expect(r.output).toContain(text);
    else expect(r.output).toMatch(text);
    expect(r.output).not.toContain('hit a bug');
  });

  it('a single-value option given twice with the same value, or a many-value option given twice, is taken', async () => {
    const r = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'development', '--env', 'development', '--dry-run'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const rendered = await runCliInProcess(['render', 'support-answer@1.1.0', '--var', 'question=a', '--var', 'question=b'], { cwd: dir });
    expect(rendered.output).not.toContain('given 2 times');
  });

  it('outside a project every project command exits 2 with a hint', async () => {
    const empty = makeTempDir();
    for (const args of [['lint'], ['list'], ['show', 'x'], ['render', 'x@1.0.0'], ['new', 'x'], ['diff', 'x', '1.0.0', '1.0.1']]) {
      const r = await runCliInProcess(args, { cwd: empty });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('no .promptrc.yaml found');
      expect(r.stderr).toContain('hint: run `promptctl init`');
    }
  });

  it('--cwd naming a folder that is not there, or a file, is exit 2 saying so, not a project found above it', async () => {
    const inside = path.join(dir, 'prompts', 'no-such-folder');
    const file = path.join(dir, '.promptrc.yaml');
    for (const [where, what] of [[inside, 'does not exist'], [file, 'is not a folder']] as const) {
      const r = await runCliInProcess(['--cwd', where, 'list'], { cwd: makeTempDir() });
      expect(r.code, r.output).toBe(2);
      expect(r.stderr).toContain(`error: ${where} ${what}\n`);
      expect(r.stderr).toContain('hint: pass --cwd (-C) the project folder, or a folder inside it.');
    }
  });

  it('--cwd runs as if started in another folder', async () => {
    const r = await runCliInProcess(['--cwd', dir, 'list'], { cwd: makeTempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('support-answer  latest 1.1.0');
  });

  it('lint --strict turns warnings into errors', async () => {
    const p = makeProject();
    writeProjectFile(
      p,
      'prompts/plain/1.0.0.yaml',
      'id: plain\nversion: 1.0.0\ndescription: d\nauthor: a\nmessages:\n  - role: system\n    content: Be brief.\n  - role: user\n    content: Hello.\n',
    );
    const relaxed = await runCliInProcess(['lint'], { cwd: p });
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toMatch(/^prompts\/plain\/1\.0\.0\.yaml:7:5 warning messages\.0\.content: .*\[security\/no-non-disclosure\]$/m);
    const strict = await runCliInProcess(['lint', '--strict'], { cwd: p });
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain('1 error, 0 warnings (--strict: warnings count as errors)');
  });

  it('lint of named paths checks only those files', async () => {
    const p = makeProject();
    writeProjectFile(p, 'evalsets/support-answer/golden.yaml', 'prompt: support-answer\nkind: golden\ncases: []\n');
    expect((await runCliInProcess(['lint', 'prompts'], { cwd: p })).code).toBe(0);
    expect((await runCliInProcess(['lint', 'prompts/support-answer/1.0.0.yaml'], { cwd: p })).code).toBe(0);
    const r = await runCliInProcess(['lint', 'evalsets'], { cwd: p });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^evalsets\/support-answer\/golden\.yaml:3:1 error cases: .*\[suite\/empty\]$/m);
  });

  it('new refuses when a version file of that prompt is broken', async () => {
    const p = makeProject();
    writeProjectFile(p, 'prompts/support-answer/1.1.0.yaml', 'id: support-answer\nversion: 1.1.0\n');
    const r = await runCliInProcess(['new', 'support-answer'], { cwd: p });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prompts\/support-answer\/1\.1\.0\.yaml:\d+:\d+ description:/);
    expect(existsSync(path.join(p, 'prompts/support-answer/1.0.1.yaml'))).toBe(false);
  });

  it('new for an unknown prompt writes a skeleton that lints clean', async () => {
    const p = makeProject();
    // Without git config or a named actor, the author falls back to the OS user (test/e2e/new-author covers the rest).
    const r = await runCliInProcess(['new', 'billing-answer', '--description', 'First cut.'], { cwd: p, env: { USER: 'tester', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined } });
    expect(r.code).toBe(0);
    const text = readProjectFile(p, 'prompts/billing-answer/1.0.0.yaml');
    expect(text).toContain('author: "tester"');
    expect((await runCliInProcess(['lint', '--strict'], { cwd: p })).code).toBe(0);
    const patch = await runCliInProcess(['new', 'billing-answer'], { cwd: p });
    expect(patch.stdout).toContain('created prompts/billing-answer/1.0.1.yaml from 1.0.0');
    const major = await runCliInProcess(['new', 'billing-answer', '--major'], { cwd: p });
    expect(major.stdout).toContain('created prompts/billing-answer/2.0.0.yaml from 1.0.1');
  });
});
