import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { mustBe } from '../../src/app/options.js';

/** A refused size is worded by what was measured: numbers as numbers, texts by characters, lists by items. */

const words = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues.map((i) => mustBe(i));

describe('mustBe words a bound by what zod measured', () => {
  it.each([
    { what: 'an integer past the safe range (--limit 99999999999999999999)', schema: z.coerce.number().int().min(1), value: '99999999999999999999', words: 'must be at most 9007199254740991' },
    { what: 'an integer below its minimum', schema: z.coerce.number().int().min(1), value: '0', words: 'must be at least 1' },
    { what: 'a number above an exclusive maximum', schema: z.number().lt(5), value: 7, words: 'must be less than 5' },
    { what: 'a bigint above its maximum', schema: z.bigint().max(10n), value: 11n, words: 'must be at most 10' },
    { what: 'an empty text', schema: z.string().min(1), value: '', words: 'must have at least 1 character(s)' },
    { what: 'a long list', schema: z.array(z.number()).max(1), value: [1, 2], words: 'must have at most 1 item(s)' },
    { what: 'a large set', schema: z.set(z.number()).max(1), value: new Set([1, 2]), words: 'must have at most 1 item(s)' },
  ])('$what: $words', ({ schema, value, words: expected }) => {
    expect(words(schema, value)).toEqual([expected]);
  });
});
