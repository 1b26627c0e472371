import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../src/core/yaml-fast-path.js';
import { runs } from '../support/property-seed.js';

/**
 * The fast path's null-key patterns take a run of spaces in one way: `[ \t]*(null)?[ \t]*` tried
 * every split of it, so a prompt whose text has 100,000 spaces after a `{` or `,` held every
 * command for half a minute. The former patterns are the oracle: the fast path takes the same
 * files. The size test asserts only that such a file is read (never a wall-clock bound).
 */

const OLD_EMPTY_KEY = /(^|[\n{[,])[ \t-]*(null|Null|NULL|~)?[ \t]*:(?=[ \t\n,}\]]|$)/;
const OLD_FLOW_KEY = /[{,][ \t]*(null|Null|NULL|~)?[ \t]*[,}]/;
const NEW_EMPTY_KEY = /(^|[\n{[,])[ \t-]*(?:(null|Null|NULL|~)[ \t]*)?:(?=[ \t\n,}\]]|$)/;
const NEW_FLOW_KEY = /[{,][ \t]*(?:(null|Null|NULL|~)[ \t]*)?[,}]/;

describe('yaml fast path: null-key patterns linear in a run of spaces', () => {
  it('the patterns in yaml-fast-path.ts are the linear ones', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../src/core/yaml-fast-path.ts', import.meta.url), 'utf8');
    expect(source).toContain(NEW_EMPTY_KEY.source);
    expect(source).toContain(NEW_FLOW_KEY.source);
  });

  it('match exactly the texts the former patterns matched', () => {
    const TOKENS = [' ', '  ', '\t', '-', '\n', '{', '}', '[', ']', ',', ':', 'null', 'Null', 'NULL', '~', 'nul', 'a', 'x:'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((p) => p.join('')), (t) => {
        expect(NEW_EMPTY_KEY.test(t)).toBe(OLD_EMPTY_KEY.test(t));
        expect(NEW_FLOW_KEY.test(t)).toBe(OLD_FLOW_KEY.test(t));
      }),
      { numRuns: runs(5000) },
    );
  });

  it('reads a file whose value has 100,000 spaces after a brace and a comma', () => {
    const spaces = ' '.repeat(100_000);
    const text = `id: slow\ncontent: "Hi {{${spaces}x, ${spaces}y"\n`;
    expect(fastParse(text)).toEqual({ ok: true, data: { id: 'slow', content: `Hi {{${spaces}x, ${spaces}y` } });
  });
});
