import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { closestName } from '../core/suggest.js';
import { clockFault } from '../core/clock-returns.js';
import type { Clock } from '../infra/clock.js';

/**
 * The one check of what a script hands a use case. Every use case's own options are a zod object,
 * which on its own strips keys it does not know: a misspelt `dryrun` would be dropped and the
 * deploy would be real. So a key that is neither the use case's, nor one of the options every use
 * case takes (`AppOptions`), nor one of its callbacks is refused, and every value the schema
 * refuses becomes the same `InputError` (exit 2) naming the option, never a raw `ZodError`.
 */

/**
 * Marks a `z.custom` check that refuses a value for its type (a callback that is no function): its
 * refusal names the type given ("…, not a string"), as zod's own type checks do. Every other check
 * refuses a value of the right type, so its refusal names no type ("must be an http:// or https://
 * URL", never "…, not a string", which would say a string was refused for being one).
 */
const TYPE_CHECK = { params: { typeCheck: true } } as const;

/** A callback option (`onProgress`, `wordBaseline`, ...), when given: checked to be a function, nothing more. */
export const callback = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function', ...TYPE_CHECK }).optional();
/** An object option the CLI passes (`reportFormats`, `formats`, `report`), when given. */
export const objectOption = z.custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'must be an object', ...TYPE_CHECK }).optional();

/**
 * A count: a number from a script, or the digits the command line passes. `z.coerce.number()` read
 * `--repeat 0x3` as 3 and `--concurrency 1e1` as 10; a count is written in digits or refused.
 */
export function wholeNumber(min: number, max?: number) {
  const bounded = max === undefined ? z.number().int().min(min) : z.number().int().min(min).max(max);
  // A check, not z.union: the union's refusal of `true` or `[3]` would read "Invalid input".
  return z
    .custom<number | string>((v) => typeof v === 'number' || typeof v === 'string', { message: 'must be a number', ...TYPE_CHECK })
    .superRefine((v, ctx) => {
      if (typeof v === 'string' && !/^-?\d+$/.test(v)) ctx.addIssue({ code: 'custom', message: 'must be a whole number written in digits' });
    })
    .transform(Number)
    .pipe(bounded);
}

/** The own options of a use case that takes only `AppOptions`. */
export const NoOptions = z.object({});

/** `AppOptions` (context.ts) as a schema: what every use case takes besides its own options. */
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

const AppOptionsSchema = z.object({
  cwd: z.string().min(1),
  // Not z.record: process.env is no plain object, and zod's records take only plain ones.
  env: z
    .custom<object>(isObject, { message: 'must be an object of environment variables (strings), such as process.env', ...TYPE_CHECK })
    .superRefine((v, ctx) => {
      // Each refused variable named (`env.PORT must be a string, not 8080`), not the object as a whole.
      for (const [name, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'string') ctx.addIssue({ code: 'custom', path: [name], message: 'must be a string (an environment variable)' });
    })
    .optional(),
  clock: z
    .custom<object>(isObject, { message: 'must be a Clock: an object with date(), now() and after(ms, fn)', ...TYPE_CHECK })
    .superRefine((v, ctx) => {
      const members = v as Record<string, unknown>;
      for (const f of ['date', 'now', 'after']) if (typeof members[f] !== 'function') ctx.addIssue({ code: 'custom', path: [f], message: 'must be a function (a Clock has date(), now() and after(ms, fn))' });
      if (typeof members.date !== 'function' || typeof members.now !== 'function') return;
      // Called once here: a Date that is no Date would fail later as a TypeError or RangeError.
      const fault = clockFault(v as Pick<Clock, 'date' | 'now'>);
      if (fault) ctx.addIssue({ code: 'custom', message: `must be a Clock whose ${fault.method === 'date' ? 'date() returns a valid Date' : 'now() returns a finite number of milliseconds'} (this one's ${fault.method}() ${fault.gave.startsWith('threw') ? fault.gave : `returned ${fault.gave}`})` });
    })
    .optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'must be an AbortSignal', ...TYPE_CHECK }).optional(),
  optionNames: z.enum(['keys', 'flags']).optional(),
});

const COMMON_KEYS = Object.keys(AppOptionsSchema.shape);

/**
 * Checks `opts` for the use case `useCase` and returns its own options parsed (defaults filled).
 * `callbacks` are the options its TypeScript type adds beside the schema (functions and objects
 * the caller supplies), each with the schema that checks it.
 */
export function parseOptions<S extends z.ZodObject>(useCase: string, schema: S, opts: unknown, callbacks: z.ZodRawShape = {}): z.output<S> {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new InputError({
      message: `${useCase} takes an options object, not ${described(opts)}`,
      hint: `call it as ${useCase}({ cwd: process.cwd(), ... }).`,
    });
  }
  const own = Object.keys(schema.shape);
  const known = [...own, ...Object.keys(callbacks), ...COMMON_KEYS];
  const unknown = Object.keys(opts).filter((key) => !known.includes(key));
  const problems = unknown.map((key) => `unknown option "${key}"`);
  const suggestions: string[] = [];
  for (const key of unknown) {
    const close = closestName(key, known);
    if (close !== undefined) suggestions.push(`did you mean ${close} (for "${key}")?`);
  }
  const common = AppOptionsSchema.extend(callbacks).safeParse(opts);
  if (!common.success) problems.push(...common.error.issues.map((i) => issueText(i, opts)));
  const parsed = schema.safeParse(opts);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => issueText(i, opts)));
  if (!problems.length && parsed.success) return parsed.data;
  if (common.error?.issues.some((i) => i.path[0] === 'cwd')) suggestions.unshift('cwd is the folder to work in (the project is found upwards from it), e.g. process.cwd().');
  throw new InputError({
    message: `${useCase}: ${problems.join('; ')}`,
    why: unknown.length ? `an option ${useCase} does not know would be ignored, so a misspelt one would silently change what it does` : undefined,
    hint: `${suggestions.length ? `${suggestions.join(' ')} ` : ''}${useCase} takes ${own.length ? `${own.join(', ')}, plus ` : ''}${[...Object.keys(callbacks), ...COMMON_KEYS].join(', ')}.`,
    // The CLI names its flags from the schema's own refusal (cli-option-errors.ts).
    cause: parsed.error,
  });
}

/** One refused value in plain words: which option, what it must be, what it was. */
function issueText(issue: z.core.$ZodIssue, opts: object): string {
  const option = pathText(issue.path);
  const value = valueAt(opts, issue.path);
  if (value === undefined) return `${option} is missing: it ${mustBe(issue)}`;
  // The value's type only where the type is what is wrong: "must be the version as it is recorded,
  // 1.0.0, not a string" would say a string was refused for being one. A value that may be shown
  // (a number, true or false, null, an empty text) is named whatever was wrong with it, but never a
  // variable of `env`, where secrets live: its type alone.
  const typeWrong = issue.code === 'invalid_type' || (issue.code === 'custom' && issue.params?.['typeCheck'] === true);
  const shown = value === null || value === '' || (typeof value !== 'string' && typeof value !== 'object');
  if (!typeWrong && !shown) return `${option} ${mustBe(issue)}`;
  return `${option} ${mustBe(issue)}, not ${issue.path[0] === 'env' && issue.path.length > 1 ? typeOf(value) : described(value)}`;
}

/**
 * What a refused value must be (`must be at least 1`), in the words a script's options get: for a
 * CLI flag too, whose value the user just typed (and which is never echoed: it may hold a secret).
 */
export function mustBe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${expectedText(issue.expected)}`;
    case 'too_small':
      return bound(issue.origin, issue.inclusive ? 'at least' : 'more than', issue.minimum);
    case 'too_big':
      return bound(issue.origin, issue.inclusive ? 'at most' : 'less than', issue.maximum);
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message.startsWith('must ') ? issue.message : `is invalid (${issue.message})`;
  }
}

/**
 * A size limit in words, by what zod measured: a number's value (zod says `int` for `.int()`'s
 * safe-integer bound and `bigint` for bigints, so "at most 9007199254740991", never "characters"),
 * an array's or a set's items, else a text's characters.
 */
function bound(origin: string, relation: string, limit: number | bigint): string {
  if (origin === 'number' || origin === 'int' || origin === 'bigint') return `must be ${relation} ${limit}`;
  return `must have ${relation} ${limit} ${origin === 'array' || origin === 'set' ? 'item(s)' : 'character(s)'}`;
}

const EXPECTED: Record<string, string> = { array: 'an array', object: 'an object', record: 'an object', int: 'a whole number', boolean: 'true or false', function: 'a function' };
const expectedText = (expected: string) => EXPECTED[expected] ?? `a ${expected}`;

/** `refs[0]`, `values.question`: the option as a script writes it. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('') || 'the options';
}

function valueAt(opts: object, path: readonly PropertyKey[]): unknown {
  let v: unknown = opts;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** A value's type in words, never the value: `a number`, `true or false`. */
function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'boolean') return 'true or false';
  return /^[aeiou]/.test(typeof v) ? `an ${typeof v}` : `a ${typeof v}`;
}

/** A value as a sentence names it: `the string "x"`, `0`, `null`, `an array`. */
function described(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  // Never the text itself: an option may hold a secret (a URL with a password, a key).
  if (typeof v === 'string') return v === '' ? 'an empty string' : 'a string';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
