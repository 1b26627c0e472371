import { describe, expect, it } from 'vitest';
import { SchemaRejected, type JsonSchema } from '../../src/core/scoring/json-schema.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

const engine = lazySchemaEngine()();
const validateJsonSchema = (schema: JsonSchema, value: unknown) => engine.validate(schema, value);

const order: JsonSchema = {
  type: 'object',
  required: ['id', 'items'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^ORD-\\d+$' },
    status: { enum: ['open', 'shipped'] },
    total: { type: 'number', minimum: 0, exclusiveMaximum: 10000 },
    items: { type: 'array', minItems: 1, items: { $ref: '#/$defs/item' } },
    note: { type: ['string', 'null'], maxLength: 5 },
    kind: { const: 'order' },
  },
  $defs: { item: { type: 'object', required: ['sku'], properties: { sku: { type: 'string', minLength: 3 }, qty: { type: 'integer' } } } },
};

const valid = { id: 'ORD-1', items: [{ sku: 'abc', qty: 2 }], status: 'open', total: 5, note: null, kind: 'order' };

describe('the JSON Schema engine (ajv, draft 2020-12)', () => {
  it('accepts a valid instance', () => expect(validateJsonSchema(order, valid)).toEqual([]));

  it.each<[string, unknown, string]>([
    ['wrong root type', [], '$: expected object, got array'],
    ['missing required', { id: 'ORD-1' }, '$: missing required property "items"'],
    ['extra property', { ...valid, extra: 1 }, '$: unexpected property "extra"'],
    ['pattern', { ...valid, id: 'X-1' }, '$.id: must match /^ORD-\\d+$/, got "X-1"'],
    ['enum', { ...valid, status: 'lost' }, '$.status: must be one of ["open","shipped"], got "lost"'],
    ['minimum', { ...valid, total: -1 }, '$.total: must be >= 0, got -1'],
    ['exclusiveMaximum', { ...valid, total: 10000 }, '$.total: must be < 10000, got 10000'],
    ['minItems', { ...valid, items: [] }, '$.items: must have at least 1 items, got 0'],
    ['$ref + minLength', { ...valid, items: [{ sku: 'ab' }] }, '$.items[0].sku: must be at least 3 characters, got 2'],
    ['integer', { ...valid, items: [{ sku: 'abc', qty: 1.5 }] }, '$.items[0].qty: expected integer, got number'],
    ['maxLength', { ...valid, note: 'too long' }, '$.note: must be at most 5 characters, got 8'],
    // JSON.parse reads 1e999 as Infinity: not "expected number, got number".
    ['a number too large to hold', { ...valid, total: Infinity }, '$.total: expected number, got a number too large to hold (read as Infinity)'],
    ['const', { ...valid, kind: 'refund' }, '$.kind: must be "order", got "refund"'],
  ])('reports %s', (_label, value, message) => {
    const errors = validateJsonSchema(order, value).map((e) => `${e.path}: ${e.message}`);
    expect(errors).toContain(message);
  });

  it.each<[JsonSchema, unknown, boolean]>([
    [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, 3, true],
    [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, null, false],
    [{ oneOf: [{ type: 'integer' }, { type: 'number' }] }, 1, false],
    [{ oneOf: [{ type: 'integer' }, { type: 'string' }] }, 1, true],
    [{ allOf: [{ minimum: 1 }, { maximum: 3 }] }, 2, true],
    [{ not: { type: 'null' } }, null, false],
    [{ type: 'array', uniqueItems: true }, [1, { a: 1 }, { a: 1 }], false],
    [{ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'number' } }, ['a', 1, 2], true],
    [{ multipleOf: 0.1 }, 0.3, true],
    [{ patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }, { 'x-a': 'ok' }, true],
    [true, 'anything', true],
    [false, 'anything', false],
  ])('%j on %j → %s', (schema, value, ok) => expect(validateJsonSchema(schema, value).length === 0).toBe(ok));

  it.each<[JsonSchema, unknown, boolean]>([
    [{ if: { properties: { kind: { const: 'a' } } }, then: { required: ['a'] } }, { kind: 'a' }, false],
    [{ type: 'object', dependentRequired: { a: ['b'] } }, { a: 1 }, false],
    [{ $defs: { n: { type: 'integer' } }, type: 'array', items: { $ref: '#/$defs/n' } }, [1, 2], true],
    [{ type: 'string', format: 'email' }, 'not an email', true],
  ])('draft 2020-12 keywords: %j on %j → %s', (schema, value, ok) => expect(validateJsonSchema(schema, value).length === 0).toBe(ok));

  it.each<[string, unknown, RegExp]>([
    ['an unknown keyword', { type: 'object', propertees: {} }, /unknown keyword: "propertees"/],
    ['a wrong keyword value', { type: 'objekt' }, /type/],
    ['an unresolvable $ref', { $ref: '#/$defs/missing' }, /can't resolve reference/],
    ['not a schema at all', 'object', /object or a boolean/],
  ])('refuses %s', (_label, schema, message) => {
    const problems = engine.schemaProblems(schema as JsonSchema);
    expect(problems.join('; ')).toMatch(message);
  });

  // pydantic v2 writes OpenAPI's `discriminator` beside the oneOf of every discriminated union.
  const pydanticUnion: JsonSchema = {
    type: 'object',
    required: ['pet'],
    properties: { pet: { oneOf: [{ $ref: '#/$defs/Cat' }, { $ref: '#/$defs/Dog' }], discriminator: { propertyName: 'kind', mapping: { cat: '#/$defs/Cat', dog: '#/$defs/Dog' } } } },
    $defs: {
      Cat: { type: 'object', required: ['kind'], properties: { kind: { const: 'cat' } } },
      Dog: { type: 'object', required: ['kind'], properties: { kind: { const: 'dog' } } },
    },
  };
  it.each<[string, 'known' | boolean, JsonSchema]>([
    ['a version sends it (formats as annotations)', false, pydanticUnion],
    ['matches-response-format reads it (known formats)', 'known', pydanticUnion],
    ['a json-schema expectation holds it (formats asserted)', true, pydanticUnion],
    ['under draft-07', false, { ...(pydanticUnion as object), $schema: 'http://json-schema.org/draft-07/schema#', definitions: (pydanticUnion as { $defs: unknown }).$defs, $defs: undefined, properties: { pet: { oneOf: [{ $ref: '#/definitions/Cat' }, { $ref: '#/definitions/Dog' }], discriminator: { propertyName: 'kind' } } } }],
  ])('`discriminator` is an annotation when %s: the schema compiles and oneOf alone decides', (_label, formats, schema) => {
    const clean = JSON.parse(JSON.stringify(schema)) as JsonSchema;
    expect(engine.refusal(clean, formats)).toBeNull();
    expect(engine.validate(clean, { pet: { kind: 'dog' } }, 10, formats)).toEqual([]);
    expect(engine.validate(clean, { pet: { kind: 'cow' } }, 10, formats).map((e) => e.path)).toContain('$.pet');
  });

  it.each<[string, unknown, string]>([
    ['a string', 'kind', 'data must be object'],
    ['no propertyName', { mapping: { cat: '#/$defs/Cat' } }, "data must have required property 'propertyName'"],
    ['a mapping to a number', { propertyName: 'kind', mapping: { cat: 1 } }, 'data/mapping/cat must be string'],
  ])('a discriminator that is not one (%s) is refused', (_label, discriminator, message) => {
    expect(engine.refusal({ oneOf: [{ type: 'object' }], discriminator } as JsonSchema)).toBe(`the JSON schema is invalid (draft 2020-12): keyword "discriminator" value is invalid at path "#": ${message}`);
  });

  it('validating against a refused schema throws SchemaRejected', () => {
    expect(() => engine.validate({ type: 'objekt' }, {})).toThrow(SchemaRejected);
  });
});

describe('the draft a schema declares in $schema', () => {
  const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
  // zod-to-json-schema's default output: draft-07, definitions, and a tuple as an `items` array.
  const zodOutput: JsonSchema = {
    $schema: DRAFT_07,
    type: 'object',
    required: ['id', 'pair'],
    additionalProperties: false,
    properties: { id: { $ref: '#/definitions/id' }, pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false } },
    definitions: { id: { type: 'string', minLength: 2 } },
  };

  it('draft-07 compiles and checks with draft-07 rules (tuple items, definitions)', () => {
    expect(engine.refusal(zodOutput)).toBeNull();
    expect(validateJsonSchema(zodOutput, { id: 'ab', pair: ['a', 1] })).toEqual([]);
    expect(validateJsonSchema(zodOutput, { id: 'ab', pair: ['a', 'b'] }).map((e) => `${e.path}: ${e.message}`)).toEqual(['$.pair[1]: expected number, got string']);
    expect(validateJsonSchema(zodOutput, { id: 'a', pair: ['a', 1, 2] }).map((e) => e.path)).toEqual(['$.id', '$.pair']);
  });

  it.each<[string, string]>([
    ['draft-07 without the fragment', 'http://json-schema.org/draft-07/schema'],
    ['draft-07 over https', 'https://json-schema.org/draft-07/schema#'],
    ['draft 2019-09', 'https://json-schema.org/draft/2019-09/schema'],
    ['draft 2020-12 named', 'https://json-schema.org/draft/2020-12/schema'],
  ])('%s compiles', (_label, $schema) => {
    const schema: JsonSchema = { $schema, type: 'object', required: ['a'], properties: { a: { type: 'integer' } } };
    expect(engine.refusal(schema)).toBeNull();
    expect(validateJsonSchema(schema, { a: 'x' }).map((e) => `${e.path}: ${e.message}`)).toEqual(['$.a: expected integer, got string']);
  });

  it('a draft-07 schema is checked by draft-07 rules: a 2020-12 keyword is unknown there', () => {
    expect(engine.refusal({ $schema: DRAFT_07, type: 'array', prefixItems: [{ type: 'string' }] })).toMatch(/^the JSON schema is invalid \(draft-07\): unknown keyword: "prefixItems"/);
  });

  it.each<[string, string, RegExp]>([
    ['draft-04', 'http://json-schema.org/draft-04/schema#', /^draft-04 is not supported \(\$schema "http:\/\/json-schema.org\/draft-04\/schema#"\); use draft 2020-12 .*draft 2019-09 .* or draft-07/],
    ['a draft not yet known', 'https://json-schema.org/draft/2030-01/schema', /^draft 2030-01 is not supported/],
    ['another meta-schema', 'https://example.com/my-dialect', /^this meta-schema is not supported \(\$schema "https:\/\/example.com\/my-dialect"\); use draft 2020-12/],
  ])('%s is not supported, and says which drafts are, instead of calling the schema invalid', (_label, $schema, message) => {
    const schema: JsonSchema = { $schema, type: 'object' };
    expect(engine.refusal(schema)).toMatch(message);
    expect(engine.refusal(schema)).not.toMatch(/invalid/);
    expect(() => engine.validate(schema, {})).toThrow(message);
  });
});
