import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { runs } from '../support/property-seed.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { lintProject } from '../../src/app/lint.js';
import { isPromptctlError, type Problem } from '../../src/core/errors.js';
import { renderMessages } from '../../src/core/template.js';
import { decodeUtf8, parseYamlText } from '../../src/infra/yaml-text.js';
import { loadProject, type Project } from '../../src/infra/project.js';
import { QUICKSTART, cleanupTempDirs, makeProject, runCliAsync, writeProjectFile } from '../support/cli.js';

/**
 * Property: whatever bytes or YAML land in a prompt file, an eval set or .promptrc.yaml, the loader
 * only ever reports typed problems (or throws a PromptctlError for an unusable config), never
 * crashes; lint returns well-formed problems; and a file that does not load is always named by at
 * least one problem (no file silently disappears).
 */

afterAll(cleanupTempDirs);

const PROMPT = 'prompts/support-answer/1.1.0.yaml';
const SUITE = 'evalsets/support-answer/golden.yaml';
const CONFIG = '.promptrc.yaml';
const TARGETS = [PROMPT, SUITE, CONFIG] as const;
type Target = (typeof TARGETS)[number];

const quick = (rel: string) => readFileSync(path.join(QUICKSTART, rel), 'utf8');
const ORIGINAL: Record<Target, string> = { [PROMPT]: quick(PROMPT), [SUITE]: quick(SUITE), [CONFIG]: quick(CONFIG) };
const ORIGINAL_DATA: Record<Target, unknown> = { [PROMPT]: parse(ORIGINAL[PROMPT]), [SUITE]: parse(ORIGINAL[SUITE]), [CONFIG]: parse(ORIGINAL[CONFIG]) };

// ---- arbitraries ------------------------------------------------------------------------------

const yamlTokens = fc.constantFrom(
  'id: ', 'version: ', 'prompt: ', 'kind: ', 'cases:', 'messages:', 'variables:', 'server:', 'environments:',
  '- ', '  ', '    ', '\n', '\t', ': ', '? ', ',', '{', '}', '[', ']', '"', "'", '|', '|-', '>', '#', '---', '...',
  '&a ', '*a', '&b [*a, *a, *a]', '<<: *a', '!!binary ', '!!set ', '!!omap ', '!!timestamp ', '!!int ', '!foo ', '%YAML 1.2\n', '%TAG ! tag:x,2000:\n',
  '.inf', '-.inf', '.nan', '~', 'null', 'true', 'no', '0x1F', '1e309', '1.0.0', '1.1', '-1', '2', '0.5',
  'role: system', 'role: user', 'content: ', '{{question}}', '{{ x.y }}', '\\{{', '}}', 'name: question', 'untrusted: true',
  'base_url: http://x/v1', 'model: m', '- name: staging', 'expect:', '- contains: x', 'regex: "("', 'versions: ">=1"', '\u0000', '\ufeff', 'é', '😀', '\r\n',
);

/** YAML-ish text: keywords and punctuation glued together, with some free text. */
const yamlish = fc
  .array(fc.oneof({ weight: 4, arbitrary: yamlTokens }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), { maxLength: 60 })
  .map((parts) => parts.join(''));

/** Valid YAML of any shape (what a confused user might write). */
const anyYaml = fc.anything({ maxDepth: 4, withNullPrototype: false }).map((v) => {
  try {
    return stringify(v) ?? '';
  } catch {
    return String(v);
  }
});

/** A path inside a value, to replace with something else. */
function paths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function setAt(value: unknown, at: Array<string | number>, replacement: unknown): unknown {
  if (!at.length) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = at;
  copy[head as string] = setAt(copy[head as string], rest, replacement);
  return copy;
}

const replacement = fc.oneof(
  fc.constantFrom(null, '', 0, -1, 1.5, true, [], {}, 'x', '../../etc/passwd', '{{nope}}', '1.x.y', Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid file with one field somewhere replaced by something else, or with an extra key. */
function mutated(target: Target): fc.Arbitrary<string> {
  const base = ORIGINAL_DATA[target];
  const all = paths(base);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...all), replacement).map(([at, r]) => stringify(setAt(base, at, r))),
    fc.tuple(fc.constantFrom(...all), fc.string({ maxLength: 10 }), replacement).map(([at, key, r]) => {
      const parent = at.length ? at : [];
      return stringify(setAt(base, [...parent, key || 'k'], r));
    }),
  );
}

const contentFor = (target: Target): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    yamlish.map((s) => new TextEncoder().encode(s)),
    anyYaml.map((s) => new TextEncoder().encode(s)),
    mutated(target).map((s) => new TextEncoder().encode(s)),
    // valid text with random bytes spliced in
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at, junk]) => {
      const text = new TextEncoder().encode(ORIGINAL[target]);
      const i = at % (text.length + 1);
      return Uint8Array.from([...text.subarray(0, i), ...junk, ...text.subarray(i)]);
    }),
  );

// ---- checks -----------------------------------------------------------------------------------

function checkProblem(p: Problem): void {
  expect(typeof p.file).toBe('string');
  expect(p.file.length).toBeGreaterThan(0);
  expect(Number.isInteger(p.line) && p.line >= 1).toBe(true);
  expect(Number.isInteger(p.col) && p.col >= 1).toBe(true);
  expect(typeof p.field).toBe('string');
  expect(typeof p.message).toBe('string');
  expect(p.message.length).toBeGreaterThan(0);
  expect(['error', 'warning']).toContain(p.severity);
}

/** Loads and lints; returns what happened, failing the property on anything but typed errors. */
function loadAndLint(root: string, target: Target): void {
  let project: Project;
  try {
    project = loadProject(root);
  } catch (e) {
    if (!isPromptctlError(e)) throw e;
    expect(e.exitCode).toBe(2);
    // only an unusable config stops the loader, and it names the config
    expect(target).toBe(CONFIG);
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      checkProblem(p);
      expect(p.file).toBe(CONFIG);
    }
    return;
  }
  const outcome = lintProject(project, { strict: false, knownAttackSets: ['override', 'pii-exfil'] });
  expect(Array.isArray(outcome.problems)).toBe(true);
  for (const p of outcome.problems) checkProblem(p);
  expect(outcome.errors).toBe(outcome.problems.filter((p) => p.severity === 'error').length);
  const loaded = [...project.prompts.map((p) => p.file), ...project.suites.map((s) => s.file)];
  if (target !== CONFIG && !loaded.includes(target)) {
    expect(outcome.problems.some((p) => p.file === target && p.severity === 'error')).toBe(true);
  }
  for (const p of project.prompts) {
    // rendering never throws either: it returns problems or messages
    const r = renderMessages(p.data, { question: 'q' });
    expect(Array.isArray(r.problems)).toBe(true);
  }
}

const RUNS = 100;

describe('the loader never crashes', () => {
  it.each(TARGETS.map((t) => [t] as const))('random content in %s', (target) => {
    const root = makeProject();
    fc.assert(
      fc.property(contentFor(target), (bytes) => {
        writeProjectFile(root, target, bytes);
        loadAndLint(root, target);
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it('parseYamlText returns problems, never throws, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 }), anyYaml), (text) => {
        const r = parseYamlText(text, 'f.yaml');
        for (const p of r.problems) checkProblem(p);
        if (r.problems.length) expect(r.data).toBeUndefined();
        expect(r.locate(['a', 0, 'b'])).toMatchObject({ line: expect.any(Number), col: expect.any(Number) });
      }),
      { numRuns: runs(500) },
    );
  });

  it('decodeUtf8 gives text or one positioned problem for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = decodeUtf8(bytes, 'f.yaml');
        if (r.text === undefined) {
          expect(r.problems).toHaveLength(1);
          checkProblem(r.problems[0]!);
        } else {
          expect(r.problems).toEqual([]);
        }
      }),
      { numRuns: runs(500) },
    );
  });

  it('the invalid-UTF-8 position is the first bad byte', () => {
    const valid = fc.array(fc.constantFrom('a', ' ', '\n', 'é', '日', '😀', ':'), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(valid, valid, fc.constantFrom([0xff], [0xc3, 0x41], [0x80], [0xed, 0xa0, 0x80], [0xf8]), (before, after, bad) => {
        const bytes = Uint8Array.from([...new TextEncoder().encode(before), ...bad, ...new TextEncoder().encode(after)]);
        const [p] = decodeUtf8(bytes, 'f').problems;
        const lines = before.split('\n');
        expect(p).toMatchObject({ line: lines.length, col: new TextEncoder().encode(lines[lines.length - 1]).length + 1 });
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('the binary never crashes (exit 0 or 2, never 70)', () => {
  it('lint on random prompt, suite and config files', async () => {
    const root = makeProject();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TARGETS).chain((t) => fc.tuple(fc.constant(t), contentFor(t))), async ([target, bytes]) => {
        writeProjectFile(root, PROMPT, ORIGINAL[PROMPT]);
        writeProjectFile(root, SUITE, ORIGINAL[SUITE]);
        writeProjectFile(root, CONFIG, ORIGINAL[CONFIG]);
        writeProjectFile(root, target, bytes);
        const r = await runCliAsync(['lint'], { cwd: root });
        expect(r.stderr).not.toContain('hit a bug');
        expect([0, 2]).toContain(r.code);
        if (r.code === 2) expect(r.output).toMatch(/^\s*[^\s:]+:\d+:\d+ /m);
      }),
      { numRuns: runs(10) },
    );
  });
});
