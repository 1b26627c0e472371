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

  it('validating against a refused schema throws SchemaRejected', () => {
    expect(() => engine.validate({ type: 'objekt' }, {})).toThrow(SchemaRejected);
  });
});
