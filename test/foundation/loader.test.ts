import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError, formatProblem, type Problem } from '../../src/core/errors.js';
import { PromptVersion } from '../../src/core/schemas/prompt.js';
import { MAX_FILE_BYTES } from '../../src/core/yaml-source.js';
import { validate } from '../../src/core/schema-problems.js';
import { decodeUtf8, parseYamlText } from '../../src/infra/yaml-text.js';
import { findProjectRoot, loadConfig, loadProject } from '../../src/infra/project.js';
import { requireValid, resolveVersion, versionsOf } from '../../src/infra/project-query.js';
import { cleanupTempDirs, makeProject, makeTempDir, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';

afterAll(cleanupTempDirs);

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

describe('decodeUtf8', () => {
  const rows: Array<{ name: string; input: Uint8Array; text?: string; problem?: { line: number; col: number; field?: string; message: string } }> = [
    { name: 'ASCII', input: utf8('a: 1\n'), text: 'a: 1\n' },
    { name: 'multi-byte characters', input: utf8('a: é日😀\n'), text: 'a: é日😀\n' },
    { name: 'a byte order mark is dropped', input: bytes([0xef, 0xbb, 0xbf], 'a: 1'), text: 'a: 1' },
    { name: 'empty', input: new Uint8Array(), text: '' },
    { name: 'a stray 0xFF', input: bytes('a: 1\nb: x', [0xff]), problem: { line: 2, col: 5, field: 'b', message: 'invalid UTF-8' } },
    { name: 'after multi-byte characters, column in bytes', input: bytes('a: é日\nb: 😀x', [0xc0, 0x80]), problem: { line: 2, col: 9, field: 'b', message: 'invalid UTF-8' } },
    { name: 'a truncated sequence points at its lead byte', input: bytes('a: x\nb: y', [0xe6, 0x97], 'z'), problem: { line: 2, col: 5, field: 'b', message: 'invalid UTF-8' } },
    { name: 'a truncated last character', input: bytes('a: ok\nb: ', [0xe6, 0x97]), problem: { line: 2, col: 4, message: 'invalid UTF-8' } },
    { name: 'a lone continuation byte', input: bytes('a: x', [0x80]), problem: { line: 1, col: 5, field: 'a', message: 'invalid UTF-8' } },
    { name: 'an encoded surrogate', input: bytes('a: ', [0xed, 0xa0, 0x80]), problem: { line: 1, col: 4, message: 'invalid UTF-8' } },
    { name: 'Latin-1 text', input: bytes('description: caf', [0xe9], '\n'), problem: { line: 1, col: 17, field: 'description', message: 'save the file as UTF-8' } },
    // UTF-16 (Notepad's and Excel's "Unicode"): told as UTF-16 at 1:1, not as a bad byte somewhere later.
    { name: 'UTF-16LE with a byte order mark', input: Uint8Array.from(Buffer.from('\ufeffdescription: café\n', 'utf16le')), problem: { line: 1, col: 1, message: 'the file looks like UTF-16 (little-endian, with a byte order mark), not UTF-8; save it as UTF-8' } },
    { name: 'UTF-16BE with a byte order mark', input: Uint8Array.from(Buffer.from('\ufeffa: 1\n', 'utf16le').swap16()), problem: { line: 1, col: 1, message: 'the file looks like UTF-16 (big-endian, with a byte order mark), not UTF-8; save it as UTF-8' } },
    { name: 'UTF-16LE without a byte order mark (its ASCII decodes as UTF-8)', input: Uint8Array.from(Buffer.from(`id: x\nversion: 1.0.0\ndescription: ${'a'.repeat(56)}é\n`, 'utf16le')), problem: { line: 1, col: 1, message: 'the file looks like UTF-16 (little-endian), not UTF-8; save it as UTF-8' } },
    { name: 'UTF-16BE without a byte order mark', input: Uint8Array.from(Buffer.from('a: 1\nb: 2\n', 'utf16le').swap16()), problem: { line: 1, col: 1, message: 'the file looks like UTF-16 (big-endian), not UTF-8; save it as UTF-8' } },
    { name: 'one byte over the limit', input: new Uint8Array(MAX_FILE_BYTES + 1).fill(0x61), problem: { line: 1, col: 1, message: 'the limit is 1048576' } },
  ];
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const r = decodeUtf8(row.input, 'f.yaml');
    if (row.text !== undefined) {
      expect(r.problems).toEqual([]);
      expect(r.text).toBe(row.text);
      return;
    }
    expect(r.text).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0]!;
    expect(p).toMatchObject({ file: 'f.yaml', line: row.problem!.line, col: row.problem!.col, severity: 'error' });
    if (row.problem!.field !== undefined) expect(p.field).toBe(row.problem!.field);
    expect(p.message).toContain(row.problem!.message);
  });

  it('accepts exactly the limit', () => {
    expect(decodeUtf8(new Uint8Array(MAX_FILE_BYTES).fill(0x61), 'f').problems).toEqual([]);
  });
});

describe('parseYamlText', () => {
  const rows: Array<{ name: string; text: string; data?: unknown; problem?: { line: number; field: string; message: string } }> = [
    { name: 'a mapping', text: 'a: 1\nb: [x, y]\n', data: { a: 1, b: ['x', 'y'] } },
    { name: 'a version stays a string', text: 'version: 1.2.3\n', data: { version: '1.2.3' } },
    { name: 'a small alias is fine', text: 'a: &x [1]\nb: *x\n', data: { a: [1], b: [1] } },
    { name: 'empty text', text: '', data: null },
    { name: 'a scalar document', text: 'just text', data: 'just text' },
    { name: 'duplicate top-level key', text: 'a: 1\nb: 2\na: 3\n', problem: { line: 3, field: 'a', message: 'duplicate key' } },
    { name: 'duplicate nested key', text: 'm:\n  x: 1\n  x: 2\n', problem: { line: 3, field: 'm.x', message: 'duplicate key' } },
    { name: 'duplicate key inside a list item', text: 'l:\n  - a: 1\n    a: 2\n', problem: { line: 3, field: 'l.0.a', message: 'duplicate key' } },
    { name: 'reserved character', text: 'a: 1\nb: @x\n', problem: { line: 2, field: 'b', message: 'YAML syntax' } },
    { name: 'tab indentation', text: 'a:\n\tb: 1\n', problem: { line: 2, field: '', message: 'YAML syntax' } },
    // The library's words about indents do not name the tab an editor shows as spaces: said once per line.
    { name: 'a tab in a block scalar', text: 'a: |\n    one\n\ttwo\n', problem: { line: 3, field: 'a', message: 'YAML syntax: Block scalar lines must not be less indented than their first line (the line is indented with a tab: YAML indents with spaces only)' } },
    { name: 'unterminated flow sequence', text: 'a: [1, 2\nb: 3\n', problem: { line: 2, field: 'b', message: 'YAML syntax' } },
    { name: 'unclosed quote', text: 'a: "x\nb: 2\n', problem: { line: 3, field: '', message: 'Missing closing' } },
    // The library's advice (`please use YAML.parseAllDocuments()`) is not the file author's: the marker to remove is.
    { name: 'two documents', text: 'a: 1\n---\nb: 2\n', problem: { line: 2, field: '', message: 'more than one YAML document: a file holds one, so remove the `---` at line 2 (a second version or suite goes in a file of its own)' } },
    { name: 'a document end and a second document', text: 'a: 1\n...\n---\nb: 2\n', problem: { line: 3, field: '', message: 'remove the `...` and `---` at lines 2 and 3 (a second' } },
    { name: 'a document end, then more', text: 'a: 1\n...\nb: 2\n', problem: { line: 3, field: '', message: 'remove the `...` at line 2 (it ends the document before the text from line 3 on)' } },
    { name: 'invalid escape', text: 'a: 1\nb: "\\q"\n', problem: { line: 2, field: 'b', message: 'escape' } },
    // The parser joins the value and the next line into a key "1.1.0 description" under version: no such field.
    { name: 'a key indented under a scalar value', text: 'id: x\nversion: 1.1.0\n  description: [unclosed\n', problem: { line: 2, field: 'version', message: 'YAML syntax' } },
    // An alias inside the node its anchor names would be a circular object, which every later walk recursed on for ever (exit 70).
    {
      name: 'an alias inside its own anchor (a recursive schema)',
      text: 'a: 1\nschema: &node\n  type: object\n  properties:\n    child: *node\n',
      problem: { line: 5, field: 'schema.properties.child', message: 'alias *node is inside the value its anchor &node names (a cycle): a YAML value cannot contain itself; for a recursive JSON schema, refer to the schema with `$ref` (e.g. `$ref: "#"`) instead' },
    },
    { name: 'an alias inside its anchor, two levels down in flow style', text: 'x: &a { b: &b { c: [1, *a] } }\n', problem: { line: 1, field: 'x.b.c.1', message: 'alias *a is inside the value its anchor &a names (a cycle)' } },
    { name: 'an anchor named again around an alias of the same name: the alias is inside the new one', text: 'a: &x [1]\nb: &x [2, { c: *x }]\n', problem: { line: 2, field: 'b.1.c', message: 'alias *x is inside' } },
    { name: 'an alias to an earlier anchor of the name, then the name anchored again: no cycle', text: 'a: &x [1]\nb: *x\nc: [*x, &x [3]]\nd: *x\n', data: { a: [1], b: [1], c: [[1], [3]], d: [3] } },
    {
      name: 'alias bomb',
      text: ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n'),
      problem: { line: 2, field: 'b.0', message: 'too many alias expansions' },
    },
  ];
  it('names a tab in the indentation once per line, however many problems the line has', () => {
    const r = parseYamlText('messages:\n  - content: |\n      one\n\t- two: x\n', 'f.yaml');
    expect(r.problems.length).toBeGreaterThan(1);
    expect(r.problems.filter((p) => p.message.includes('indented with a tab')).map((p) => p.line)).toEqual([4]);
  });

  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const r = parseYamlText(row.text, 'f.yaml');
    if (!row.problem) {
      expect(r.problems).toEqual([]);
      expect(r.data).toEqual(row.data);
      return;
    }
    expect(r.data).toBeUndefined();
    const p = r.problems[0]!;
    expect(p.file).toBe('f.yaml');
    expect(p.line).toBe(row.problem.line);
    expect(p.field).toBe(row.problem.field);
    expect(p.message).toContain(row.problem.message);
  });

  it('locate points at the key of a path, or at the deepest part that exists', () => {
    const r = parseYamlText('a: 1\nm:\n  x: 1\n  list:\n    - one\n    - two: 2\n', 'f');
    expect(r.locate(['a'])).toEqual({ line: 1, col: 1 });
    expect(r.locate(['m', 'x'])).toEqual({ line: 3, col: 3 });
    expect(r.locate(['m', 'list', 1])).toEqual({ line: 6, col: 7 });
    expect(r.locate(['m', 'list', 1, 'two'])).toEqual({ line: 6, col: 7 });
    expect(r.locate(['m', 'missing'])).toEqual({ line: 2, col: 1 });
    expect(r.locate(['nope'])).toEqual({ line: 1, col: 1 });
    expect(r.locate([])).toEqual({ line: 1, col: 1 });
  });
});

describe('validate', () => {
  const schema = z.strictObject({ name: z.string(), n: z.number().int(), items: z.array(z.strictObject({ k: z.string() })).default([]), max: z.number().int().max(1000).optional() });
  const rows: Array<{ name: string; text: string; problems: Array<[line: number, field: string, message: string]> }> = [
    { name: 'valid', text: 'name: x\nn: 1\n', problems: [] },
    { name: 'wrong type', text: 'name: x\nn: one\n', problems: [[2, 'n', 'must be a number, not a string']] },
    { name: 'missing key points at the parent', text: 'n: 1\n', problems: [[1, 'name', 'is required']] },
    { name: 'unknown key is named', text: 'name: x\nn: 1\nnmae: y\n', problems: [[3, 'nmae', 'unknown key "nmae"']] },
    { name: 'nested unknown key', text: 'name: x\nn: 1\nitems:\n  - k: a\n  - k: b\n    v: c\n', problems: [[6, 'items.1.v', 'unknown key "v"']] },
    { name: 'of two upper bounds broken, the tighter one alone', text: 'name: x\nn: 1\nmax: 99999999999999999999\n', problems: [[3, 'max', 'must be at most 1000']] },
    { name: 'several problems at once', text: 'name: 1\nn: 1.5\n', problems: [[1, 'name', 'must be a string, not a number (1): put it in quotes'], [2, 'n', 'must be a whole number, not 1.5']] },
  ];
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const parsed = parseYamlText(row.text, 'f.yaml');
    const r = validate(schema, parsed, 'f.yaml');
    expect(r.problems.map((p) => [p.line, p.field])).toEqual(row.problems.map(([l, f]) => [l, f]));
    row.problems.forEach(([, , m], i) => expect(r.problems[i]!.message).toContain(m));
    if (!row.problems.length) expect(r.value).toMatchObject({ name: 'x', n: 1, items: [] });
  });

  it('formats as file:line:col field: message [rule]', () => {
    const p: Problem = { file: 'prompts/a/1.0.0.yaml', line: 3, col: 5, field: 'model.temperature', message: 'too hot', severity: 'error', rule: 'x/y' };
    expect(formatProblem(p)).toBe('prompts/a/1.0.0.yaml:3:5 model.temperature: too hot [x/y]');
    expect(formatProblem({ ...p, severity: 'warning', rule: undefined })).toBe('prompts/a/1.0.0.yaml:3:5 warning model.temperature: too hot');
    expect(formatProblem({ ...p, field: '' })).toBe('prompts/a/1.0.0.yaml:3:5 too hot [x/y]');
  });

  it('validates a real prompt file with its defaults', () => {
    const parsed = parseYamlText(readProjectFile(makeProject(), 'prompts/support-answer/1.0.0.yaml'), 'p');
    expect(validate(PromptVersion, parsed, 'p').value?.variables[0]).toMatchObject({ name: 'question', untrusted: true });
  });
});

describe('project loader', () => {
  it('loads the quickstart with no problems', () => {
    const root = makeProject();
    const project = loadProject(root);
    expect(project.problems).toEqual([]);
    expect(project.root).toBe(root);
    expect(project.prompts.map((p) => `${p.id}@${p.version}`).sort()).toEqual(['support-answer@1.0.0', 'support-answer@1.1.0']);
    expect(project.suites.map((s) => s.name).sort()).toEqual(['adversarial', 'golden']);
    for (const p of project.prompts) expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(project.config.server.model).toBe('sim-model');
  });

  it('finds the root upwards from a subfolder, as git finds .git', () => {
    const root = makeProject();
    const deep = path.join(root, 'prompts', 'support-answer', 'deeper');
    mkdirSync(deep, { recursive: true });
    expect(findProjectRoot(deep)).toBe(root);
    expect(loadProject(deep).root).toBe(root);
  });

  it('throws InputError when there is no project', () => {
    const dir = makeTempDir();
    expect(() => findProjectRoot(dir)).toThrow(InputError);
    try {
      loadProject(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).exitCode).toBe(2);
      expect((e as InputError).hint).toContain('promptctl init');
    }
  });

  it('throws InputError naming the config field when the config is invalid', () => {
    const root = makeProject();
    writeProjectFile(root, '.promptrc.yaml', 'server:\n  base_url: http://x/v1\n  model: m\n  concurrency: many\nenvironments:\n  - name: a\n');
    let error: unknown;
    try {
      loadProject(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: '.promptrc.yaml', line: 4, col: 3, field: 'server.concurrency' });
    expect(loadConfig(root).problems).toHaveLength(1);
  });

  const promptPath = 'prompts/support-answer/1.1.0.yaml';
  const rows: Array<{ name: string; files: Record<string, string>; problem: { file: string; line: number; field: string; message: string } }> = [
    {
      name: 'wrong type in a prompt',
      files: { [promptPath]: 'id: support-answer\nversion: 1.1.0\ndescription: d\nauthor: a\nmodel:\n  temperature: hot\nmessages:\n  - role: user\n    content: hi\n' },
      problem: { file: promptPath, line: 6, field: 'model.temperature', message: 'must be a number, not a string' },
    },
    {
      name: 'id that does not match the folder',
      files: { [promptPath]: 'version: 1.1.0\nid: ../../etc\ndescription: d\nauthor: a\nmessages:\n  - role: user\n    content: hi\n' },
      problem: { file: promptPath, line: 2, field: 'id', message: 'does not match its folder "support-answer"' },
    },
    {
      name: 'version that does not match the file name',
      files: { [promptPath]: 'id: support-answer\nversion: 1.1.1\ndescription: d\nauthor: a\nmessages:\n  - role: user\n    content: hi\n' },
      problem: { file: promptPath, line: 2, field: 'version', message: 'does not match its file name "1.1.0.yaml"' },
    },
    {
      name: 'file name that is not a version',
      files: { 'prompts/support-answer/latest.yaml': 'id: support-answer\n' },
      problem: { file: 'prompts/support-answer/latest.yaml', line: 1, field: '', message: 'must be a semantic version' },
    },
    {
      name: 'folder that is not a prompt id',
      files: { 'prompts/Bad_Id/1.0.0.yaml': 'id: Bad_Id\n' },
      problem: { file: 'prompts/Bad_Id/1.0.0.yaml', line: 1, field: '', message: 'not a valid prompt id' },
    },
    {
      name: 'two files for one version',
      files: { 'prompts/support-answer/1.0.0.yml': 'id: support-answer\n' },
      problem: { file: 'prompts/support-answer/1.0.0.yml', line: 1, field: '', message: 'also defined by prompts/support-answer/1.0.0.yaml' },
    },
    {
      name: 'two files for one suite',
      files: { 'evalsets/support-answer/golden.yml': 'prompt: support-answer\n' },
      problem: { file: 'evalsets/support-answer/golden.yml', line: 1, field: '', message: 'also defined by evalsets/support-answer/golden.yaml' },
    },
    {
      name: 'suite whose prompt does not match its folder',
      files: { 'evalsets/support-answer/x.yaml': 'kind: golden\nprompt: other\ncases: []\n' },
      problem: { file: 'evalsets/support-answer/x.yaml', line: 2, field: 'prompt', message: 'does not match its folder' },
    },
    {
      name: 'suite file name that is not a slug',
      files: { 'evalsets/support-answer/Golden_Set.yaml': 'prompt: support-answer\n' },
      problem: { file: 'evalsets/support-answer/Golden_Set.yaml', line: 1, field: '', message: 'must be a lowercase slug' },
    },
    {
      name: 'a list instead of a mapping',
      files: { 'evalsets/support-answer/x.yaml': '- a\n- b\n' },
      problem: { file: 'evalsets/support-answer/x.yaml', line: 1, field: '', message: 'must be a YAML mapping' },
    },
    {
      name: 'an empty file',
      files: { 'evalsets/support-answer/x.yaml': '' },
      problem: { file: 'evalsets/support-answer/x.yaml', line: 1, field: '', message: 'must be a YAML mapping' },
    },
    {
      name: 'an infinite number (no JSON form, no content hash)',
      files: { 'evalsets/support-answer/x.yaml': 'prompt: support-answer\nkind: golden\ncases:\n  - id: a\n    vars: { question: q }\n    expect:\n      - json-schema: { maximum: .inf }\n' },
      problem: { file: 'evalsets/support-answer/x.yaml', line: 7, field: 'cases.0.expect.0.json-schema.maximum', message: 'numbers must be finite' },
    },
    {
      name: 'a number too large to hold, read as infinity: said so, not blamed on .inf or .nan',
      files: { 'evalsets/support-answer/x.yaml': 'prompt: support-answer\nkind: golden\nrepeat: 1e400\ncases:\n  - id: a\n    vars: { question: q }\n    expect:\n      - contains: x\n' },
      problem: { file: 'evalsets/support-answer/x.yaml', line: 3, field: 'repeat', message: 'a number too large to hold (such as 1e400)' },
    },
  ];
  it.each(rows.map((r) => [r.name, r] as const))('collects: %s', (_name, row) => {
    const root = makeProject();
    for (const [rel, text] of Object.entries(row.files)) writeProjectFile(root, rel, text);
    const project = loadProject(root);
    expect(project.problems).toHaveLength(1);
    expect(project.problems[0]).toMatchObject({ file: row.problem.file, line: row.problem.line, field: row.problem.field, severity: 'error' });
    expect(project.problems[0]!.message).toContain(row.problem.message);
    expect(() => requireValid(project)).toThrow(InputError);
    expect(() => requireValid(project, ['prompts/support-answer/1.0.0.yaml'])).not.toThrow();
  });

  it('ignores files that are not YAML, and reports a YAML file outside a prompt folder (never read)', () => {
    const root = makeProject();
    writeProjectFile(root, 'prompts/support-answer/README.md', '# notes');
    writeProjectFile(root, 'prompts/support-answer/notes/README.md', '# more notes');
    writeProjectFile(root, 'prompts/stray.yaml', 'not: in a folder');
    expect(loadProject(root).problems.map((p) => `${p.file} ${p.rule}`)).toEqual(['prompts/stray.yaml project/layout']);
  });

  it('a broken higher version stops show from answering with an older one', () => {
    const root = makeProject();
    writeProjectFile(root, 'prompts/support-answer/2.0.0.yaml', 'id: support-answer\nversion: 2.0.0\n');
    const project = loadProject(root);
    expect(versionsOf(project, 'support-answer').map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
    expect(() => resolveVersion(project, { id: 'support-answer' })).toThrow(InputError);
    expect(resolveVersion(project, { id: 'support-answer', version: '1.0.0' }).version).toBe('1.0.0');
  });

  it('a broken lower version does not stop show', () => {
    const root = makeProject();
    writeProjectFile(root, 'prompts/support-answer/0.9.0.yaml', 'id: support-answer\n');
    expect(resolveVersion(loadProject(root), { id: 'support-answer' }).version).toBe('1.1.0');
  });

  it('works without prompts/ and evalsets/', () => {
    const root = makeProject();
    removeProjectFile(root, 'prompts');
    removeProjectFile(root, 'evalsets');
    const project = loadProject(root);
    expect(project.prompts).toEqual([]);
    expect(project.suites).toEqual([]);
  });
});
