import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * A file the loader refuses still has its JSON schemas compiled (core/lint/refused-file-schemas.ts):
 * one run of lint lists an unknown extra_body key and an invalid tool schema in the same file, where
 * the schema was shown only after the first fix. A schema at a field the file's problems already
 * name is not reported again.
 */

afterAll(() => cleanupTempDirs());

const PROMPT = 'prompts/support-answer/1.1.0.yaml';
const SUITE = 'evalsets/support-answer/extra.yaml';

function problemsOf(files: Record<string, string>): string[] {
  const dir = makeProject({ prefix: 'promptctl-refused-' });
  for (const [rel, content] of Object.entries(files)) writeProjectFile(dir, rel, content);
  return loadProject(dir)
    .problems.map((p) => `${p.file}:${p.line} ${p.field}${p.rule ? ` [${p.rule}]` : ''}: ${p.message}`)
    .sort();
}

const base = readFileSync(path.join(makeProject({ prefix: 'promptctl-refused-' }), PROMPT), 'utf8');
/** The quickstart's 1.1.0 with `model:` gaining `extra` and `tail` appended. */
const prompt = (extra: string, tail: string) => `${base.replace(/^model:\n/m, `model:\n${extra}`)}${tail}`;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const BAD_KEY = '  extra_body: { top_kk: 3 }\n';
const TOOL = (parameters: string) => `tools:\n  - type: function\n    function:\n      name: f\n      parameters: ${parameters}\n`;
const RESPONSE = (schema: string) => `response_format:\n  type: json_schema\n  json_schema:\n    name: a\n    schema: ${schema}\n`;

describe('the schemas of a refused file are checked too', () => {
  it.each<{ name: string; text: string; want: Array<[needle: string, field: string, message: RegExp]> }>([
    {
      name: 'a bad extra_body key and an invalid tool parameters schema',
      text: prompt(BAD_KEY, TOOL('{ type: object, required: city }')),
      want: [
        ['top_kk', 'model.extra_body.top_kk', /"top_kk" is not a vLLM sampling parameter/],
        ['parameters:', 'tools.0.function.parameters [schema/invalid]', /^the JSON schema is invalid \(draft 2020-12\): .*required must be array/],
      ],
    },
    {
      name: 'a bad extra_body key and a response_format schema of type objekt',
      text: prompt(BAD_KEY, RESPONSE('{ type: objekt }')),
      want: [
        ['top_kk', 'model.extra_body.top_kk', /"top_kk"/],
        ['schema: {', 'response_format.json_schema.schema [schema/invalid]', /^the JSON schema is invalid \(draft 2020-12\): .*type must be equal to one of the allowed values/],
      ],
    },
    {
      name: 'an id that does not match its folder and an invalid structured_outputs.json',
      text: `${prompt('', 'structured_outputs:\n  json: { type: object, minimum: x }\n')}`.replace(/^id: .*$/m, 'id: other'),
      want: [
        ['id: other', 'id', /does not match its folder/],
        ['json: {', 'structured_outputs.json [schema/invalid]', /minimum/],
      ],
    },
    {
      // zod already says what is wrong at the schema's own field: nothing more is said there.
      name: 'a schema that is not one: said once, by the file\'s schema',
      text: prompt(BAD_KEY, TOOL('5')),
      want: [
        ['top_kk', 'model.extra_body.top_kk', /"top_kk"/],
        ['parameters:', 'tools.0.function.parameters', /^must be a JSON Schema/],
      ],
    },
    {
      name: 'valid schemas in a refused file add nothing',
      text: prompt(BAD_KEY, `${TOOL('{ type: object, required: [city] }')}${RESPONSE('{ $schema: "http://json-schema.org/draft-07/schema#", type: object }')}`),
      want: [['top_kk', 'model.extra_body.top_kk', /"top_kk"/]],
    },
  ])('$name', ({ text, want }) => {
    const got = problemsOf({ [PROMPT]: text });
    expect(got).toHaveLength(want.length);
    for (const [needle, field, message] of want) {
      const line = got.find((g) => g.startsWith(`${PROMPT}:${lineOf(text, needle)} ${field}: `));
      expect(line, `${field}\n${got.join('\n')}`).toBeDefined();
      expect(line!.slice(line!.indexOf(`${field}: `) + field.length + 2)).toMatch(message);
    }
  });

  it('a suite with an unknown expectation key still has its invalid json-schema listed', () => {
    const suite = [
      'prompt: support-answer',
      'kind: golden',
      'cases:',
      '  - id: one',
      '    vars: { question: q }',
      '    expect: [{ contain: x }]',
      '  - id: two',
      '    vars: { question: q }',
      '    expect:',
      '      - json-schema: { type: objectx }',
      '      - tool-call: { name: f, arguments-schema: { type: object, required: 5 } }',
      '      - json-schema: { matches-response-format: true }',
      '',
    ].join('\n');
    const got = problemsOf({ [SUITE]: suite });
    expect(got.filter((g) => g.includes('cases.0.expect.0'))).toHaveLength(1);
    expect(got.filter((g) => g.includes('[schema/invalid]'))).toEqual([
      expect.stringMatching(/^evalsets\/support-answer\/extra.yaml:10 cases.1.expect.0.json-schema \[schema\/invalid\]: the JSON schema is invalid/),
      expect.stringMatching(/^evalsets\/support-answer\/extra.yaml:11 cases.1.expect.1.tool-call.arguments-schema \[schema\/invalid\]: the JSON schema is invalid/),
    ]);
    expect(got).toHaveLength(3);
  });
});
