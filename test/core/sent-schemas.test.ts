import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/core/canonical.js';
import { samplesOf } from '../../src/core/eval/samples.js';
import { isSentSchemaPath, registeredHashesOf, versionContentForms } from '../../src/core/sent-schemas.js';

/**
 * A schema a version sends keeps its key order in the version's hash, its registered content and a
 * sample's cache key (grammar backends generate keys in that order); everything else stays sorted.
 */

const schema = (props: string[]) => ({ properties: Object.fromEntries(props.map((p) => [p, { type: 'string' }])), type: 'object' });

describe('isSentSchemaPath', () => {
  it.each([
    [['response_format', 'json_schema', 'schema'], true],
    [['structured_outputs', 'json'], true],
    [['tools', 0, 'function', 'parameters'], true],
    [['tools', 3, 'function', 'parameters'], true],
    [['response_format', 'json_schema'], false],
    [['response_format', 'json_schema', 'schema', 'properties'], false],
    [['structured_outputs'], false],
    [['tools', 0, 'function'], false],
    [['tools', '0', 'function', 'parameters'], false],
    [['model', 'extra_body'], false],
    [[], false],
  ] as const)('%j → %s', (path, expected) => {
    expect(isSentSchemaPath(path)).toBe(expected);
  });
});

describe('canonicalJson keepOrder', () => {
  it('writes the kept subtree in its own order, all of it, and sorts the rest', () => {
    const value = { z: 1, response_format: { type: 'json_schema', json_schema: { schema: { type: 'object', properties: { b: { z: 1, a: 2 }, a: {} } }, name: 'n' } }, a: { y: 1, x: 2 } };
    expect(canonicalJson(value, isSentSchemaPath)).toBe('{"a":{"x":2,"y":1},"response_format":{"json_schema":{"name":"n","schema":{"type":"object","properties":{"b":{"z":1,"a":2},"a":{}}}},"type":"json_schema"},"z":1}');
    expect(canonicalJson(value)).toBe('{"a":{"x":2,"y":1},"response_format":{"json_schema":{"name":"n","schema":{"properties":{"a":{},"b":{"a":2,"z":1}},"type":"object"}},"type":"json_schema"},"z":1}');
  });
});

describe('versionContentForms', () => {
  const version = (props: string[], at: 'response_format' | 'structured_outputs' | 'tools') =>
    at === 'response_format'
      ? { id: 'p', response_format: { type: 'json_schema', json_schema: { name: 'n', schema: schema(props) } } }
      : at === 'structured_outputs'
        ? { id: 'p', structured_outputs: { json: schema(props) } }
        : { id: 'p', tools: [{ type: 'function', function: { name: 'f', parameters: schema(props) } }] };

  it.each(['response_format', 'structured_outputs', 'tools'] as const)('%s: another order is another hash, and the sorted form is the hash registries before 0.2.0 gave both', (at) => {
    const a = versionContentForms(version(['to', 'body'], at));
    const b = versionContentForms(version(['body', 'to'], at));
    expect(a.hash).not.toBe(b.hash);
    expect(a.sortedHash).toBe(b.sortedHash);
    expect(a.sortedHash).toBe(sha256Hex(canonicalJson(version(['to', 'body'], at))));
    // Even in sorted order, content with a sent schema is never hashed as before: told apart from a pre-0.2.0 registration by its hash.
    expect(b.canonical).toBe(canonicalJson(version(['body', 'to'], at)));
    expect(b.hash).not.toBe(b.sortedHash);
    expect(registeredHashesOf(a.canonical)).toEqual([sha256Hex(a.canonical), a.hash]);
  });

  it('hashes a version without a sent schema as before', () => {
    const data = { id: 'p', messages: [{ role: 'user', content: 'x' }], structured_outputs: { choice: ['a', 'b'] } };
    expect(versionContentForms(data)).toEqual({ canonical: canonicalJson(data), hash: sha256Hex(canonicalJson(data)) });
  });
});

describe('a sample cache key', () => {
  it('follows the order of the properties sent', () => {
    const key = (props: string[]) => {
      const run = { params: { model: 'm', temperature: 0, response_format: { type: 'json_schema', json_schema: { name: 'n', schema: schema(props) } } }, prompt: { messages: [{ role: 'user', content: 'hi' }], variables: [] }, baseVars: {}, cases: [{ id: 'c', vars: {}, repeat: 1, expectations: [] }] };
      return [...samplesOf(run as never)][0]!.cacheKey;
    };
    expect(key(['to', 'body'])).not.toBe(key(['body', 'to']));
    expect(key(['to', 'body'])).toBe(key(['to', 'body']));
  });
});
