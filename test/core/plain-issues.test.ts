import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainIssueMessage } from '../../src/core/plain-issues.js';

/** The words a problem in a user's file uses instead of zod's defaults; a schema's own message still wins. */
const said = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value, { error: plainIssueMessage });
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('plain words for problems in files', () => {
  it.each([
    ['missing', z.strictObject({ a: z.string() }), {}, 'is required'],
    ['a number where a string goes', z.string(), 1.1, 'must be a string, not a number (1.1): put it in quotes'],
    ['a boolean where a string goes', z.string(), true, 'must be a string, not a boolean (true): put it in quotes'],
    ['a string where a number goes', z.number(), 'hot', 'must be a number, not a string'],
    ['a number in quotes', z.number(), '0.9', 'must be a number, not a string ("0.9" in quotes): remove the quotes'],
    ['a whole number in quotes', z.number().int(), '200', 'must be a number, not a string ("200" in quotes): remove the quotes'],
    ['true in quotes', z.boolean(), 'true', 'must be true or false, not a string ("true" in quotes): remove the quotes'],
    ['a YAML 1.1 boolean', z.boolean(), 'no', 'must be true or false, not a string ("no"): write false (YAML 1.2 reads no as text)'],
    ['a YAML 1.1 boolean where only true goes', z.literal(true), 'Yes', 'must be true ("Yes"): write true (YAML 1.2 reads Yes as text)'],
    ['a text that is no number', z.number(), '0x1F', 'must be a number, not a string'],
    ['a fraction where a whole number goes', z.number().int(), 12.5, 'must be a whole number, not 12.5'],
    ['a list where a mapping goes', z.record(z.string(), z.string()), ['a'], 'must be a mapping, not a list'],
    ['null where a list goes', z.array(z.string()), null, 'must be a list, not null'],
    ['a mapping where true or false goes', z.boolean(), { a: 1 }, 'must be true or false, not a mapping'],
    ['an empty string', z.string().min(1), '', 'must not be empty'],
    ['a short string', z.string().min(3), 'ab', 'must be at least 3 characters long'],
    ['a long string', z.string().max(1), 'ab', 'must be at most 1 character long'],
    ['an empty list', z.array(z.string()).min(1), [], 'needs at least 1 item'],
    ['a long list', z.array(z.string()).max(2), ['a', 'b', 'c'], 'may have at most 2 items'],
    ['above an inclusive bound', z.number().max(1), 99.5, 'must be at most 1'],
    ['below an inclusive bound', z.number().min(0), -1, 'must be at least 0'],
    ['at an exclusive bound', z.number().gt(0), 0, 'must be greater than 0'],
    ['below an exclusive upper bound', z.number().lt(1), 1, 'must be less than 1'],
    ['not one of a choice', z.enum(['golden', 'adversarial']), 'gold', 'must be one of "golden", "adversarial"'],
    ['not the literal', z.literal(true), false, 'must be true'],
    ['not a URL', z.url(), 'nope', 'must be a valid URL'],
    ['not a multiple', z.number().multipleOf(5), 7, 'must be a multiple of 5'],
    ['no form of a union', z.union([z.string(), z.number()]), null, 'does not match any of the forms this field accepts'],
  ])('%s', (_, schema, value, words) => {
    expect(said(schema, value)).toEqual([words]);
  });

  it("keeps a schema's own message", () => {
    expect(said(z.string().min(1, 'say what changed and why'), '')).toEqual(['say what changed and why']);
    expect(said(z.union([z.string(), z.number()], { error: 'must be a string or number' }), null)).toEqual(['must be a string or number']);
  });
});
