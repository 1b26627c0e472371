import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * The corpus of bad input files. Each case copies examples/quickstart into a temp folder, drops
 * the bad file(s) in (from test/fixtures/bad/<case>/, laid out like a project, or generated here
 * for the huge and the non-UTF-8 files), runs the CLI (in-process) and asserts exit code 2 and a line
 * `<file>:<line>:<col> <field>: ...<message>`. A whole-file problem (size, encoding, not a mapping,
 * a bad file name) has no field: `field: ''`.
 */

beforeAll(assertBuilt);
afterAll(cleanupTempDirs);

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'bad');
const PROMPT = 'prompts/support-answer/1.1.0.yaml';
const SUITE = 'evalsets/support-answer/bad.yaml';
const CONFIG = '.promptrc.yaml';

interface BadCase {
  /** Folder under test/fixtures/bad, unless `generate` writes the files. */
  name: string;
  what: string;
  generate?: (root: string) => void;
  file: string;
  line: number;
  field: string;
  message: string;
  /** The lint rule id printed at the end of the line, for lint-rule problems. */
  rule?: string;
  /** Commands to run besides `lint`; each must exit 2 with the same line. */
  also?: string[][];
}

const QUICKSTART_PROMPT = readFileSync(path.join(REPO_ROOT, 'examples', 'quickstart', PROMPT));
/** Line of `description:` in the quickstart's 1.1.0, where the generated encoding cases put bad bytes. */
const DESCRIPTION_LINE = QUICKSTART_PROMPT.toString('utf8').split('\n').findIndex((l) => l.startsWith('description: ')) + 1;
/** The quickstart's versions of support-answer in the loader's order, as lint messages list them. */
const VERSIONS = readdirSync(path.join(REPO_ROOT, 'examples', 'quickstart', 'prompts', 'support-answer'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => f.replace(/\.ya?ml$/, ''))
  .sort()
  .join(', ');

/** The quickstart 1.1.0 prompt with raw bytes spliced in after `description: `. */
function promptWithBytes(bad: number[]): Buffer {
  const text = QUICKSTART_PROMPT.toString('utf8');
  const at = Buffer.byteLength(text.slice(0, text.indexOf('description: ') + 'description: '.length));
  return Buffer.concat([QUICKSTART_PROMPT.subarray(0, at), Buffer.from(bad), QUICKSTART_PROMPT.subarray(at)]);
}

const cases: BadCase[] = [
  // ---- broken YAML
  { name: 'yaml-syntax-error', what: 'a plain value starting with @', file: PROMPT, line: 10, field: 'messages.0.content', message: 'YAML syntax: Plain value cannot start with reserved character @' },
  { name: 'yaml-bad-indentation', what: 'a list item without its dash', file: PROMPT, line: 7, field: 'variables', message: 'YAML syntax' },
  { name: 'multiple-documents', what: 'two YAML documents in one file', file: PROMPT, line: 8, field: '', message: 'more than one YAML document: a file holds one, so remove the `---` at line 8' },
  { name: 'not-a-mapping', what: 'a list where a mapping belongs', file: PROMPT, line: 1, field: '', message: 'must be a YAML mapping' },
  { name: 'config-yaml-syntax', what: 'an unterminated flow sequence in the config', file: CONFIG, line: 4, field: 'environments', message: 'YAML syntax: Flow sequence', also: [['list']] },
  // ---- duplicate keys
  { name: 'duplicate-key-top', what: 'description twice', file: PROMPT, line: 5, field: 'description', message: 'duplicate key', also: [['diff', 'support-answer', '1.0.0', '1.1.0']] },
  { name: 'duplicate-key-nested', what: 'model.temperature twice', file: PROMPT, line: 8, field: 'model.temperature', message: 'duplicate key' },
  { name: 'suite-duplicate-key', what: 'a case variable twice', file: SUITE, line: 7, field: 'cases.0.vars.question', message: 'duplicate key' },
  { name: 'config-duplicate-key', what: 'server.model twice', file: CONFIG, line: 4, field: 'server.model', message: 'duplicate key' },
  { name: 'duplicate-variable', what: 'a variable declared twice', file: PROMPT, line: 8, field: 'variables.1.name', message: 'variable "question" is declared twice' },
  // ---- wrong types
  {
    name: 'wrong-type-temperature',
    what: 'temperature: hot',
    file: PROMPT,
    line: 6,
    field: 'model.temperature',
    message: 'must be a number, not a string',
    also: [['render', 'support-answer@1.1.0', '--var', 'question=x'], ['show', 'support-answer@1.1.0']],
  },
  { name: 'wrong-type-max-tokens', what: 'max_tokens: 12.5', file: PROMPT, line: 7, field: 'model.max_tokens', message: 'must be a whole number, not 12.5' },
  { name: 'wrong-type-messages', what: 'messages as one string', file: PROMPT, line: 8, field: 'messages', message: 'must be a list, not a string' },
  { name: 'wrong-type-role', what: 'role: human', file: PROMPT, line: 11, field: 'messages.1.role', message: 'must be one of "system", "user", "assistant"' },
  { name: 'version-not-a-string', what: 'version: 1.1 (a number)', file: PROMPT, line: 2, field: 'version', message: 'must be a string, not a number (1.1): put it in quotes' },
  { name: 'missing-required-field', what: 'no author', file: PROMPT, line: 1, field: 'author', message: 'is required' },
  { name: 'empty-messages', what: 'messages: []', file: PROMPT, line: 6, field: 'messages', message: 'needs at least 1 item' },
  { name: 'suite-wrong-kind', what: 'kind: regression', file: SUITE, line: 2, field: 'kind', message: 'must be one of "golden", "adversarial"' },
  { name: 'suite-wrong-type-threshold', what: 'threshold: 150%', file: SUITE, line: 3, field: 'threshold', message: 'must be a number, not a string' },
  { name: 'suite-no-expectations', what: 'expect: []', file: SUITE, line: 6, field: 'cases.0.expect', message: 'a case needs at least one expectation' },
  { name: 'suite-two-kinds-in-expectation', what: 'contains and regex in one expectation', file: SUITE, line: 7, field: 'cases.0.expect.0', message: 'exactly one kind, found contains, regex' },
  { name: 'suite-invalid-regex', what: 'an unterminated regex group', file: SUITE, line: 7, field: 'cases.0.expect.0.regex', message: 'invalid regular expression' },
  { name: 'suite-bad-case-id', what: 'a case id with a slash and a space', file: SUITE, line: 4, field: 'cases.0.id', message: 'must start with a letter or digit (A-Z, a-z, 0-9), then letters, digits, _ . -' },
  { name: 'config-wrong-type', what: 'concurrency: many', file: CONFIG, line: 4, field: 'server.concurrency', message: 'must be a number, not a string' },
  { name: 'config-bad-url', what: 'base_url that is not a URL', file: CONFIG, line: 2, field: 'server.base_url', message: 'must be a valid URL' },
  { name: 'config-non-http-url', what: 'an ftp:// base_url', file: CONFIG, line: 2, field: 'server.base_url', message: 'must be an http:// or https:// URL' },
  { name: 'config-api-key-in-file', what: 'a key where the variable name goes', file: CONFIG, line: 4, field: 'server.api_key_env', message: 'must be an environment variable name' },
  { name: 'config-bad-gate', what: 'a pass rate of 99.5 instead of 0.995', file: CONFIG, line: 7, field: 'environments.0.gates.min_adversarial_pass_rate', message: 'must be at most 1' },
  { name: 'config-reserved-schema', what: 'registry.schema: pg_catalog', file: CONFIG, line: 5, field: 'registry.schema', message: 'is reserved by PostgreSQL (pg_… and information_schema): choose another, such as promptctl' },
  { name: 'config-no-environments', what: 'environments: []', file: CONFIG, line: 4, field: 'environments', message: 'needs at least 1 item' },
  { name: 'config-duplicate-environments', what: 'staging twice', file: CONFIG, line: 4, field: 'environments', message: 'environment names must be unique' },
  {
    name: 'config-previous-env-on-first',
    what: 'requires_previous_env: true on the first environment (the order was swapped)',
    file: CONFIG,
    line: 8,
    field: 'environments.0.gates.requires_previous_env',
    message: 'production is the first environment in the order, so it has no previous environment to require: list production after the environment it must follow, or remove requires_previous_env from it',
    also: [['config', '--effective'], ['deploy', 'support-answer@1.1.0', '--env', 'production', '--reason', 'r']],
  },
  // ---- unknown keys
  { name: 'unknown-key-top', what: 'mesages:', file: PROMPT, line: 8, field: 'mesages', message: 'unknown key "mesages"' },
  { name: 'unknown-key-nested', what: 'maxlength: inside a variable', file: PROMPT, line: 8, field: 'variables.0.maxlength', message: 'unknown key "maxlength"' },
  { name: 'suite-unknown-expectation', what: 'contain: instead of contains:', file: SUITE, line: 7, field: 'cases.0.expect.0.contain', message: 'unknown key "contain"' },
  { name: 'config-unknown-key', what: 'timout_ms:', file: CONFIG, line: 4, field: 'server.timout_ms', message: 'unknown key "timout_ms"', also: [['show', 'support-answer']] },
  // ---- ids and versions that do not match their paths; path traversal
  { name: 'id-mismatch', what: 'id of another prompt', file: PROMPT, line: 1, field: 'id', message: 'id "billing-answer" does not match its folder "support-answer"', also: [['show', 'support-answer@1.1.0']] },
  { name: 'version-mismatch', what: 'version 1.1.1 in 1.1.0.yaml', file: PROMPT, line: 2, field: 'version', message: 'version "1.1.1" does not match its file name "1.1.0.yaml"' },
  { name: 'path-traversal-id', what: 'id: ../../../etc/passwd', file: PROMPT, line: 1, field: 'id', message: 'id "../../../etc/passwd" does not match its folder' },
  { name: 'suite-path-traversal-prompt', what: 'prompt: ../../support-answer', file: SUITE, line: 1, field: 'prompt', message: 'must be a lowercase slug' },
  { name: 'suite-prompt-folder-mismatch', what: 'a suite filed under another prompt', file: SUITE, line: 1, field: 'prompt', message: 'prompt "billing-answer" does not match its folder' },
  { name: 'bad-prompt-folder', what: 'prompts/Support_Answer/', file: 'prompts/Support_Answer/1.0.0.yaml', line: 1, field: '', message: 'folder name "Support_Answer" is not a valid prompt id' },
  { name: 'bad-version-file-name', what: 'v1.2.0.yaml', file: 'prompts/support-answer/v1.2.0.yaml', line: 1, field: '', message: 'must be a semantic version such as 1.0.0.yaml' },
  { name: 'duplicate-version-file', what: '1.1.0.yaml and 1.1.0.yml', file: 'prompts/support-answer/1.1.0.yml', line: 1, field: '', message: 'also defined by prompts/support-answer/1.1.0.yaml' },
  // ---- resource exhaustion and encodings
  { name: 'alias-bomb', what: 'a billion laughs', file: PROMPT, line: 6, field: 'x2.0', message: 'too many alias expansions', also: [['show', 'support-answer']] },
  // A recursive schema tried with an alias inside its own anchor: a circular value, which crashed every command (exit 70).
  { name: 'alias-cycle-schema', what: 'schema: &node {properties: {child: *node}} in response_format', file: PROMPT, line: 19, field: 'response_format.json_schema.schema.properties.child', message: 'alias *node is inside the value its anchor &node names (a cycle)', also: [['show', 'support-answer@1.1.0'], ['eval', 'support-answer@1.1.0']] },
  { name: 'alias-cycle-suite', what: 'json-schema: &node {properties: {child: *node}} in a suite', file: SUITE, line: 11, field: 'cases.0.expect.1.json-schema.properties.child', message: 'alias *node is inside the value its anchor &node names (a cycle)', also: [['eval', 'support-answer@1.1.0']] },
  {
    name: 'huge-file',
    what: 'a prompt file over 1 MiB (generated)',
    generate: (root) => writeProjectFile(root, PROMPT, `${QUICKSTART_PROMPT.toString('utf8')}# ${'x'.repeat(1024 * 1024)}\n`),
    file: PROMPT,
    line: 1,
    field: '',
    message: 'the limit is 1048576 (1 MiB)',
    also: [['render', 'support-answer@1.1.0', '--var', 'question=x']],
  },
  {
    name: 'invalid-utf8-prompt',
    what: 'a Latin-1 byte in the description (generated)',
    generate: (root) => writeProjectFile(root, PROMPT, promptWithBytes([0x63, 0x61, 0x66, 0xe9, 0x20])),
    file: PROMPT,
    line: DESCRIPTION_LINE,
    field: 'description',
    message: 'invalid UTF-8 byte sequence',
    also: [['render', 'support-answer@1.1.0', '--var', 'question=x']],
  },
  {
    name: 'invalid-utf8-truncated',
    what: 'a multi-byte character cut short (generated)',
    generate: (root) => writeProjectFile(root, PROMPT, promptWithBytes([0xe6, 0x97, 0x41])),
    file: PROMPT,
    line: DESCRIPTION_LINE,
    field: 'description',
    message: 'invalid UTF-8 byte sequence',
  },
  {
    name: 'utf16-prompt',
    what: 'a prompt file saved as UTF-16 with a byte order mark, as Notepad saves "Unicode" (generated)',
    generate: (root) => writeProjectFile(root, PROMPT, Buffer.from(`\ufeff${readFileSync(path.join(root, PROMPT), 'utf8')}`, 'utf16le')),
    file: PROMPT,
    line: 1,
    field: '',
    message: 'the file looks like UTF-16 (little-endian, with a byte order mark), not UTF-8; save it as UTF-8',
    also: [['render', 'support-answer@1.1.0', '--var', 'question=x']],
  },
  {
    name: 'invalid-utf8-config',
    what: 'a stray 0xFF in the config (generated)',
    generate: (root) => writeProjectFile(root, CONFIG, Buffer.concat([Buffer.from('server:\n  base_url: http://127.0.0.1:8000/v1\n  model: sim'), Buffer.from([0xff]), Buffer.from('\nenvironments:\n  - name: a\n')])),
    file: CONFIG,
    line: 3,
    field: 'server.model',
    message: 'invalid UTF-8 byte sequence',
    also: [['list']],
  },
  {
    name: 'huge-suite',
    what: 'an eval set over 1 MiB (generated)',
    generate: (root) =>
      writeProjectFile(
        root,
        SUITE,
        `prompt: support-answer\nkind: golden\ncases:\n${Array.from({ length: 20_000 }, (_, i) => `  - id: case-${i}\n    vars: { question: "q${i}" }\n    expect: [ { contains: "x" } ]\n`).join('')}`,
      ),
    file: SUITE,
    line: 1,
    field: '',
    message: 'the limit is 1048576',
  },
  { name: 'suite-infinite-number', what: 'maximum: .inf in a json-schema', file: SUITE, line: 7, field: 'cases.0.expect.0.json-schema.maximum', message: 'numbers must be finite' },
  // ---- lint rules that are errors
  { name: 'undeclared-template-variable', what: '{{customer_name}} not declared', file: PROMPT, line: 12, field: 'messages.1.content', message: 'uses {{customer_name}}, which is not declared under variables', rule: 'template/undeclared-variable' },
  { name: 'template-syntax', what: '{{ user.name }}', file: PROMPT, line: 12, field: 'messages.1.content', message: 'templates are logic-less, only {{name}} is allowed', rule: 'template/syntax' },
  { name: 'token-budget-exceeded', what: 'token_budget: 50', file: PROMPT, line: 9, field: 'token_budget', message: 'over the budget of 50', rule: 'budget/token-budget' },
  { name: 'suite-bad-semver-range', what: 'versions: "1.x.y or newer"', file: SUITE, line: 2, field: 'versions', message: '"1.x.y or newer" is not a valid semver range', rule: 'suite/invalid-range' },
  { name: 'suite-range-matches-nothing', what: 'versions: ">=5.0.0"', file: SUITE, line: 2, field: 'versions', message: `matches none of support-answer's versions (${VERSIONS})`, rule: 'suite/range-matches-nothing' },
  { name: 'suite-duplicate-case-id', what: 'case id "refund" twice', file: SUITE, line: 13, field: 'cases.2.id', message: 'case id "refund" is already used by cases.0 (line 5): give each case its own id', rule: 'suite/duplicate-case-id' },
  { name: 'suite-undeclared-variable', what: 'a case sets customer_name', file: SUITE, line: 8, field: 'cases.0.vars.customer_name', message: `which is not declared by support-answer@${VERSIONS}`, rule: 'suite/undeclared-variable' },
  { name: 'suite-missing-variable', what: 'a case without the required question', file: SUITE, line: 7, field: 'cases.0.vars', message: `does not set required variable "question" of support-answer@${VERSIONS}`, rule: 'suite/missing-variable' },
  { name: 'suite-inject-into-undeclared', what: 'inject_into: document', file: SUITE, line: 3, field: 'inject_into', message: `inject_into "document" is not a variable of support-answer@${VERSIONS}`, rule: 'suite/undeclared-variable' },
  { name: 'suite-unknown-prompt', what: 'evalsets/ghost-prompt/', file: 'evalsets/ghost-prompt/golden.yaml', line: 1, field: 'prompt', message: 'prompt "ghost-prompt" has no versions under prompts/ghost-prompt/', rule: 'suite/unknown-prompt' },
  { name: 'suite-empty', what: 'cases: [] and no attacks', file: SUITE, line: 5, field: 'cases', message: 'the suite has no cases (and no attacks)', rule: 'suite/empty' },
  { name: 'suite-attacks-in-golden', what: 'attacks in a golden suite', file: SUITE, line: 4, field: 'attacks', message: 'kind: adversarial', rule: 'suite/attacks-need-adversarial' },
  { name: 'suite-attacks-without-inject-into', what: 'attacks without inject_into', file: SUITE, line: 3, field: 'attacks', message: 'attacks need inject_into: the variable that carries the attack text', rule: 'suite/missing-inject-into' },
  { name: 'suite-unknown-attack-set', what: 'an attack pack that does not exist', file: SUITE, line: 5, field: 'attacks.0', message: '"definitely-not-an-attack-pack" is not an attack pack or category (known: ', rule: 'suite/unknown-attack-set' },
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `<file>:<line>:<col> <field>: <...message...>` at the start of a line (indented in error output),
 * as `command` says it: lint names errors in the files it lists (`file:3:1 error field: …`); a
 * command refusing the file, and lint refusing a config it cannot load, list them without the word.
 */
function problemLine(c: BadCase, command: string): RegExp {
  const field = c.field ? `${escapeRegExp(c.field)}: ` : '';
  const rule = c.rule ? `.* \\[${escapeRegExp(c.rule)}\\]$` : '';
  const severity = command === 'lint' && c.file !== '.promptrc.yaml' ? 'error ' : '';
  return new RegExp(`^\\s*${escapeRegExp(c.file)}:${c.line}:\\d+ ${severity}${field}.*${escapeRegExp(c.message)}${rule}`, 'm');
}

function setUp(c: BadCase): string {
  const root = makeProject();
  if (c.generate) c.generate(root);
  else cpSync(path.join(FIXTURES, c.name), root, { recursive: true });
  return root;
}

describe('bad inputs: exit 2 naming file, line and field', () => {
  it('the corpus has at least 25 cases and every fixture folder is in the table', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    const names = cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const folders = readdirSync(FIXTURES).filter((f) => !f.startsWith('.')).sort();
    expect(folders).toEqual(cases.filter((c) => !c.generate).map((c) => c.name).sort());
    for (const c of cases) if (!c.generate) expect(existsSync(path.join(FIXTURES, c.name)), c.name).toBe(true);
  });

  it.concurrent.for(cases.map((c) => [c.name, c] as const))('%s', async ([, c], { expect }) => {
    const root = setUp(c);
    for (const args of [['lint'], ...(c.also ?? [])]) {
      const r = await runCliInProcess(args, { cwd: root });
      const where = `promptctl ${args.join(' ')} (${c.what})\n${r.output}`;
      expect(r.code, where).toBe(2);
      expect(r.output, where).toMatch(problemLine(c, args[0]!));
      expect(r.output, where).not.toContain('hit a bug');
    }
  });

  it('lint --json reports the same problem as data', async () => {
    const c = cases.find((x) => x.name === 'unknown-key-nested')!;
    const r = await runCliInProcess(['lint', '--json'], { cwd: setUp(c) });
    expect(r.code).toBe(2);
    const problems = JSON.parse(r.stdout).problems as Array<Record<string, unknown>>;
    expect(problems).toContainEqual(expect.objectContaining({ file: c.file, line: c.line, field: c.field, severity: 'error' }));
  });

  it('a broken config in --json mode still prints JSON with the problems', async () => {
    const c = cases.find((x) => x.name === 'config-wrong-type')!;
    const r = await runCliInProcess(['lint', '--json'], { cwd: setUp(c) });
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout);
    expect(err).toMatchObject({ error: 'BadInput', exitCode: 2 });
    expect(err.problems[0]).toMatchObject({ file: c.file, line: c.line, field: c.field });
  });

  it('a prompt whose only version file fails to load: one problem, not also "no versions" in each of its suites', async () => {
    const root = makeProject();
    rmSync(path.join(root, 'prompts/support-answer/1.0.0.yaml'));
    const file = path.join(root, 'prompts/support-answer/1.1.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: .*$/m, 'version: 1.1'));
    const r = await runCliInProcess(['lint'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('prompts/support-answer/1.1.0.yaml:3:1 error version: must be a string');
    expect(r.stdout, r.stdout).not.toMatch(/has no versions|matches none/);
  });

  it('eval with no loadable version is exit 2 naming every problem (it was exit 70), and with none at all says to create one', async () => {
    const root = makeProject();
    for (const v of ['1.0.0', '1.1.0']) {
      const file = path.join(root, `prompts/support-answer/${v}.yaml`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: .*$/m, `version: ${v.slice(0, 3)}`));
    }
    const broken = await runCliInProcess(['eval'], { cwd: root });
    expect(broken.code, broken.output).toBe(2);
    expect(broken.stderr).toContain("error: no prompt version could be loaded: 2 problems in the project's files");
    expect(broken.stderr).toContain('prompts/support-answer/1.0.0.yaml:3:1 version: must be a string');
    expect(broken.stderr).toContain('prompts/support-answer/1.1.0.yaml:3:1 version: must be a string');
    rmSync(path.join(root, 'prompts'), { recursive: true });
    rmSync(path.join(root, 'evalsets'), { recursive: true });
    const empty = await runCliInProcess(['eval'], { cwd: root });
    expect(empty.code, empty.output).toBe(2);
    expect(empty.stderr).toMatch(/^error: this project has no prompt versions yet$/m);
    expect(empty.output).not.toContain('hit a bug');
  });

  it('problems in every bad file are reported together in one lint run', async () => {
    const root = makeProject();
    for (const name of ['unknown-key-top', 'suite-duplicate-case-id', 'bad-prompt-folder']) cpSync(path.join(FIXTURES, name), root, { recursive: true });
    const r = await runCliInProcess(['lint'], { cwd: root });
    expect(r.code).toBe(2);
    for (const name of ['unknown-key-top', 'suite-duplicate-case-id', 'bad-prompt-folder']) expect(r.stdout).toMatch(problemLine(cases.find((c) => c.name === name)!, 'lint'));
  });
});
