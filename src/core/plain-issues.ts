import type { z } from 'zod';
import { isDecimalNumber } from './decimal-number.js';
import { ownValue } from './own-key.js';

/**
 * The words a problem in a user's file uses, in place of zod's defaults ("Too small: expected
 * string to have >=1 characters" becomes "must not be empty"). Passed per parse (`safeParse(data,
 * { error: plainIssueMessage })`), so a message a schema sets itself still wins; anything not
 * listed keeps zod's text.
 */
export function plainIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'int' && typeof issue.input === 'number') return `must be a whole number, not ${issue.input}`;
      // YAML reads an unquoted 1.10 as the number 1.1, and yes as true: quoting keeps the text.
      if (issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')) {
        return `must be a string, not ${valueWords(issue.input)}: put it in quotes`;
      }
      return `must be ${typeWords(String(issue.expected))}, not ${valueWords(issue.input)}${quotedAdvice(String(issue.expected), issue.input)}`;
    case 'too_small':
      return boundWords('small', issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return boundWords('big', issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_value':
      // `no-pii: yes` (a literal true): the same advice as for a boolean.
      return (issue.values.length === 1 ? `must be ${shown(issue.values[0])}` : `must be one of ${issue.values.map(shown).join(', ')}`) + (issue.values.every((v) => typeof v === 'boolean') ? quotedAdvice('boolean', issue.input) : '');
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `must match the pattern ${String(issue.pattern)}` : `must be a valid ${FORMAT_WORDS[issue.format] ?? issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'does not match any of the forms this field accepts';
    default:
      return undefined;
  }
}

/**
 * What to write where a number or true/false is written as text: `max_tokens: "200"` (quoted, or a
 * JSONL "200") needs its quotes removed, and `yes`/`no`/`on`/`off` are text in YAML 1.2, which
 * promptctl reads (YAML 1.1 read them as true and false). Said with the text, so the fix is plain.
 */
function quotedAdvice(expected: string, input: unknown): string {
  if (typeof input !== 'string') return '';
  const text = input.trim();
  if ((expected === 'number' || expected === 'int') && isDecimalNumber(text)) return ` ("${text}" in quotes): remove the quotes`;
  if (expected !== 'boolean') return '';
  if (text === 'true' || text === 'false') return ` ("${text}" in quotes): remove the quotes`;
  const said = ownValue(YAML11_BOOLEANS, text.toLowerCase());
  return said === undefined ? '' : ` ("${text}"): write ${said} (YAML 1.2 reads ${text} as text)`;
}

const YAML11_BOOLEANS: Record<string, string> = { yes: 'true', no: 'false', on: 'true', off: 'false', y: 'true', n: 'false' };

const FORMAT_WORDS: Record<string, string> = { url: 'URL', email: 'email address', uuid: 'UUID', datetime: 'date and time (ISO 8601)' };

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

function typeWords(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

function valueWords(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return `a boolean (${value})`;
  return `a ${typeof value}`;
}

function shown(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

function boundWords(side: 'small' | 'big', origin: string, bound: number, inclusive: boolean): string | undefined {
  const least = side === 'small';
  if (origin === 'string') {
    if (least && bound === 1) return 'must not be empty';
    return `must be ${least ? 'at least' : 'at most'} ${bound} character${bound === 1 ? '' : 's'} long`;
  }
  if (origin === 'array' || origin === 'set') {
    return least ? `needs at least ${bound} item${bound === 1 ? '' : 's'}` : `may have at most ${bound} item${bound === 1 ? '' : 's'}`;
  }
  if (origin === 'number' || origin === 'int' || origin === 'bigint') {
    if (inclusive) return `must be ${least ? 'at least' : 'at most'} ${bound}`;
    return `must be ${least ? 'greater' : 'less'} than ${bound}`;
  }
  return undefined;
}
