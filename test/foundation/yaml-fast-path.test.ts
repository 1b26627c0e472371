import fc from 'fast-check';
import { runs } from '../support/property-seed.js';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { fastParseForTests } from '../../src/core/yaml-source.js';
import { parseYamlText } from '../../src/infra/yaml-text.js';

/**
 * parseYamlText reads clean files with js-yaml and everything else with the `yaml` library. The
 * fast path must never accept what the hardened path would reject, nor read different data.
 */

function fullParse(text: string): { ok: boolean; data?: unknown } {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: false, logLevel: 'silent' });
  if (doc.errors.length) return { ok: false };
  return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
}

const fastAccepts = fastParseForTests;

function isMapping(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Tokens that have made the two parsers disagree before, mixed with ordinary YAML punctuation.
const TOKENS = ['a', 'b', ':', ' ', '  ', '\n', '- ', '"', "'", '{', '}', '[', ']', ',', '#', '1', '0x1', '.5', 'true', 'null', '~', '|', '>', '\t', 'key', '?', '%', '@', '`', '!!str ', '!', '!x ', '---', '...', '\\', 'é', '|-', '>+', '\r\n', '\r', '0o7', '0b1', '1e3', '.inf', '+1', '1_0', 'yes', '<<', '\u00a0', '\ufeff', '\u2028'];
const yamlish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(''));

/** Inputs on which the fast path once disagreed with the hardened parser. */
const FOUND_BEFORE = ['a:  !!str :', '!  :', '0b1:', 'a: 1_000', 'a: 0o7', '?\r\n', '~:\r\n', '\r\r\nkey:', '\rbb :', '\ufeff?', 'a[:\r', '{.5}\r'];

function expectAgreement(text: string): void {
  const fast = fastAccepts(text);
  // Files must be mappings; a bare scalar or list is refused whichever parser read it.
  if (!fast.ok || !isMapping(fast.data)) return;
  const full = fullParse(text);
  expect(full.ok, `js-yaml accepted what yaml rejects: ${JSON.stringify(text)}`).toBe(true);
  expect(JSON.stringify(full.data), JSON.stringify(text)).toEqual(JSON.stringify(fast.data));
}

const values = fc.jsonValue({ maxDepth: 3 });

describe('the YAML fast path agrees with the hardened parser', () => {
  it.each(FOUND_BEFORE)('on %j, found by this property before', (text) => {
    expectAgreement(text);
  });

  it('on random YAML-like text: whatever js-yaml accepts, `yaml` accepts with the same data', () => {
    fc.assert(fc.property(yamlish, expectAgreement), { numRuns: runs(30000) });
  });

  it('on real documents: both read the same data', () => {
    fc.assert(
      fc.property(values, (value) => {
        const text = stringify(value);
        const fast = fastAccepts(text);
        if (!fast.ok) return;
        // JSON text: -0 and 0 are one number to a content hash.
        expect(JSON.stringify(fullParse(text).data)).toEqual(JSON.stringify(fast.data));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('parseYamlText falls back to positioned problems for duplicate keys and syntax errors', () => {
    expect(parseYamlText('a: 1\na: 2\n', 'f.yaml').problems[0]?.message).toMatch(/duplicate key/);
    expect(parseYamlText('a: [1,\n', 'f.yaml').problems[0]?.line).toBeGreaterThan(0);
    expect(parseYamlText('a: 1\n---\nb: 2\n', 'f.yaml').problems.length).toBeGreaterThan(0);
  });
});
