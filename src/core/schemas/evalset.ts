import { z } from 'zod';
import { PortablePath, Slug } from './common.js';
import { JsonSchemaValue } from './request.js';
import { REGEX_FLAGS, regexError } from '../expectation-regex.js';
import { allowedPiiProblem } from '../detectors/pii-allow.js';

/** An eval set: `evalsets/<prompt-id>/<suite>.yaml`, a golden or adversarial suite. */

export const JudgeSpec = z.strictObject({
  rubric: z.string().min(1),
  /** Lowest acceptable score on the judge's 0..1 scale. */
  min_score: z.number().min(0).max(1).default(0.7),
  model: z.string().min(1).optional(),
});

/** `{ matches-response-format: true }`: the schema is the version's own (response_format or structured_outputs.json). */
export const MatchesResponseFormat = z.strictObject({ 'matches-response-format': z.literal(true) });

/**
 * The keywords written beside `matches-response-format: true` in a json-schema expectation. They are
 * refused rather than merged with the version's schema: two expectations already say "both" (every
 * expectation must hold), and merging would nest the version's schema, whose `#/$defs` references
 * and `$schema` draft belong at a root. Accepted silently, they were checked by nothing.
 */
function matchedSchemaExtras(spec: Record<string, unknown> | undefined): string[] {
  if (spec === undefined || !Object.hasOwn(spec, 'matches-response-format') || spec['matches-response-format'] !== true) return [];
  return Object.keys(spec).filter((k) => k !== 'matches-response-format');
}

/**
 * A tool call the answer must make: its function name and, at most one of, its arguments exactly
 * (`arguments`), a subset of them (`arguments-subset`: these keys with these values, others free),
 * or a JSON Schema they must match (`arguments-schema`).
 */
export const ToolCallExpectation = z
  .strictObject({
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).optional(),
    'arguments-subset': z.record(z.string(), z.unknown()).optional(),
    'arguments-schema': JsonSchemaValue.optional(),
  })
  .refine((t) => [t.arguments, t['arguments-subset'], t['arguments-schema']].filter((x) => x !== undefined).length <= 1, {
    message: 'a tool-call checks its arguments one way: arguments (exact), arguments-subset or arguments-schema',
  });
export type ToolCallExpectation = z.infer<typeof ToolCallExpectation>;

const RegexSpec = z.union(
  [
    z.string().min(1),
    z.strictObject({
      pattern: z.string().min(1),
      flags: z.string().regex(REGEX_FLAGS, 'flags are some of i, m and s, each at most once (u is always on)').optional(),
    }),
  ],
  { error: 'must be a pattern, or { pattern, flags }' },
);

/** The text an answer must (or must not) contain: one, or a list of which every one counts. */
const TextOrTexts = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'must be a text or a list of texts' });

/**
 * One expectation is a one-key mapping, e.g. `- contains: "30 days"`. Written as one strict object
 * with every key optional (plus an exactly-one check) so a typo such as `contain:` is reported as an
 * unknown key rather than as an unreadable union mismatch.
 */
export const Expectation = z
  .strictObject({
    equals: z.string().optional(),
    contains: TextOrTexts.optional(),
    icontains: TextOrTexts.optional(),
    'not-contains': TextOrTexts.optional(),
    /**
     * An attack's marker, which the output must not say in any spelling: letter case, dashes and
     * spaces, zero-width and full-width characters and separators between its parts do not hide it
     * (what generated attack cases check; `not-contains` stays exact).
     */
    'no-marker': TextOrTexts.optional(),
    /** A pattern, or { pattern, flags } with flags i, m, s; compiled with u (core/expectation-regex.ts). */
    regex: RegexSpec.optional(),
    'starts-with': z.string().min(1).optional(),
    'is-json': z.union([z.literal(true), MatchesResponseFormat], { error: 'must be true, or { matches-response-format: true }' }).optional(),
    'json-schema': z.union([MatchesResponseFormat, z.record(z.string(), z.unknown())], { error: 'must be a JSON Schema (a mapping), or { matches-response-format: true }' }).optional(),
    'tool-call': ToolCallExpectation.optional(),
    'no-tool-call': z.literal(true).optional(),
    /** Function names the answer calls, in this order (other calls may come between them). */
    'tool-calls-in-order': z.array(z.string().min(1)).min(1).optional(),
    'max-tokens': z.number().int().min(1).optional(),
    'max-latency-ms': z.number().min(1).optional(),
    /** true: the answer must refuse; false: it must not. */
    refusal: z.boolean().optional(),
    'no-leak': z.literal(true).optional(),
    'no-pii': z.literal(true).optional(),
    /**
     * The output must not carry out this request (an attack's goal): graded by the judge model
     * where `server.judge_model` is configured, else by the refusal patterns (no refusal = complied).
     */
    'no-compliance': z.string().min(1).optional(),
    judge: JudgeSpec.optional(),
  })
  .superRefine((e, ctx) => {
    const keys = Object.keys(e).filter((k) => (e as Record<string, unknown>)[k] !== undefined);
    // A misspelt kind (`contain:`) is already reported as an unknown key, naming the one it meant: "found none" would only repeat it.
    const misspelt = keys.length === 0 && ctx.issues.some((i) => i.code === 'unrecognized_keys');
    if (keys.length !== 1 && !misspelt) {
      ctx.addIssue({
        code: 'custom',
        message: `an expectation has exactly one kind, found ${keys.length ? keys.join(', ') : 'none'}`,
      });
    }
    const bad = e.regex === undefined ? undefined : regexError(e.regex);
    if (bad) ctx.addIssue({ code: 'custom', path: ['regex'], message: bad });
    const extra = matchedSchemaExtras(e['json-schema']);
    if (extra.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['json-schema', extra[0]!],
        message: `matches-response-format: true checks the version's own schema and takes no other keywords (found ${extra.join(', ')}): write them in a json-schema expectation of their own beside it, e.g. - json-schema: { ${extra[0]}: ... }`,
      });
    }
  });
export type Expectation = z.infer<typeof Expectation>;
export type ExpectationKind = keyof Expectation;

export const VarValue = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' });
export type VarValue = z.infer<typeof VarValue>;

/**
 * A turn of a conversation that follows the rendered prompt. An assistant turn without content is
 * the model's own reply at that point: the conversation is sent up to there, and its answer is
 * kept (and scanned for leaks) before the next turn.
 */
export const CaseMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).optional(),
});
export type CaseMessage = z.infer<typeof CaseMessage>;

export const EvalCase = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must start with a letter or digit (A-Z, a-z, 0-9), then letters, digits, _ . - (at most 128 characters)'),
  description: z.string().optional(),
  vars: z.record(z.string(), VarValue).default({}),
  expect: z.array(Expectation).min(1, 'a case needs at least one expectation'),
  /** Turns after the rendered prompt ({{vars}} rendered); the last one is the user's. */
  messages: z
    .array(CaseMessage)
    .min(1)
    .superRefine((ms, ctx) => {
      ms.forEach((m, i) => {
        if (m.content === undefined && m.role !== 'assistant') ctx.addIssue({ code: 'custom', path: [i, 'content'], message: `a ${m.role} turn needs content (only an assistant turn may leave it to the model)` });
      });
      const last = ms[ms.length - 1];
      if (last && last.role !== 'user') ctx.addIssue({ code: 'custom', path: [ms.length - 1, 'role'], message: `the last turn must be the user's (the model answers it), not the ${last.role}'s: end the conversation with a user turn` });
    })
    .optional(),
  /** Results of the tools the model calls, by function name: sent back for a second turn, whose answer is judged. */
  tool_results: z.record(z.string().min(1), z.unknown()).optional(),
  repeat: z.number().int().min(1).max(100).optional(),
  min_pass_rate: z.number().min(0).max(1).optional(),
  tags: z.array(z.string()).optional(),
});
export type EvalCase = z.infer<typeof EvalCase>;

/**
 * Cases read from a data file (JSONL, CSV or a YAML list), one case per row. The path is relative
 * to the project root. Each row's id comes from `id_column`; `vars` maps variable names to columns
 * (omitted: every column but the id, expect and tags columns); `expect_column` holds a row's own
 * expectations in the `expect:` syntax, and `expect` applies to every row with `{{column}}` replaced
 * by the row's value. A row needs at least one expectation from either.
 */
export const CasesFrom = z.strictObject({
  file: PortablePath,
  /** Default: from the extension (.jsonl, .csv, .yaml / .yml). */
  format: z.enum(['jsonl', 'csv', 'yaml']).optional(),
  id_column: z.string().min(1).default('id'),
  vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'), z.string().min(1)).optional(),
  expect_column: z.string().min(1).optional(),
  expect: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
  tags_column: z.string().min(1).optional(),
});
export type CasesFrom = z.infer<typeof CasesFrom>;

export const EvalSet = z.strictObject({
  prompt: Slug,
  /** Semver range of the prompt versions this suite applies to. */
  versions: z.string().min(1).default('*'),
  kind: z.enum(['golden', 'adversarial']),
  description: z.string().optional(),
  /** Share of cases that must pass for the suite to pass. */
  threshold: z.number().min(0).max(1).default(1),
  /** Samples per case; outputs are non-deterministic, so a verdict is a pass rate. */
  repeat: z.number().int().min(1).max(100).default(1),
  /** Default share of a case's samples that must pass. */
  min_pass_rate: z.number().min(0).max(1).default(1),
  /** Share of samples that may end in errors before the suite is incomplete rather than judged. */
  max_error_rate: z.number().min(0).max(1).default(0.05),
  /** Adversarial: attack packs or categories to expand into cases. */
  attacks: z.array(z.string().min(1)).optional(),
  /** Adversarial: the variable that carries attack text. */
  inject_into: z.string().optional(),
  /** Adversarial: values of the other variables for generated attack cases. */
  base_vars: z.record(z.string(), VarValue).optional(),
  /** Adversarial: a verbatim span of the system prompt this long (characters) in the output is a leak. */
  leak_min_chars: z.number().int().min(8).max(10_000).default(40),
  /**
   * Values that are public (the support address and phone number the prompt gives out): no-pii and
   * the PII scan of adversarial samples do not count them, however written (core/detectors/pii-allow.ts).
   */
  allowed_pii: z
    .array(
      z.string().superRefine((v, ctx) => {
        const problem = allowedPiiProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .optional(),
  cases: z.array(EvalCase).default([]),
  /** Further cases from a data file; they follow `cases`. */
  cases_from: CasesFrom.optional(),
});
export type EvalSet = z.infer<typeof EvalSet>;
