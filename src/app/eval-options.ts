import { z } from 'zod';
import { wholeNumber } from './options.js';

/** What `runEval` (and `eval` on the command line) takes besides `AppOptions`: the zod schema is the type. */

export const EvalOptions = z.object({
  /** Versions to evaluate: `id@version`, or `id` for its highest version; empty: the highest version of each prompt. */
  refs: z.array(z.string()).default([]),
  /** Only these suites (by name). */
  suite: z.array(z.string()).default([]),
  /** Compare with the version deployed in this environment. */
  baseline: z.string().optional(),
  repeat: wholeNumber(1, 100).optional(),
  concurrency: wholeNumber(1, 1024).optional(),
  cache: z.boolean().default(true),
  resume: z.boolean().default(false),
  filterFailing: z.boolean().default(false),
  junit: z.string().optional(),
  summary: z.string().optional(),
  /** Keep passing cases in the report (JSON, JUnit, Markdown, HTML need them; a terminal table does not). */
  keepPassingCases: z.boolean().default(true),
  /** `i/n`: record shard i of n of the cases into the shared registry; the verdict comes from `merge`. */
  shard: z.string().optional(),
  /** Judge the shards of the invocation together: the verdict, tested marks and report files. */
  merge: z.boolean().default(false),
  /** The invocation the shards share; by default the CI run's (GITHUB_RUN_ID and attempt, CI_PIPELINE_ID). */
  invocation: z.string().optional(),
  /** Only these cases: ids or globs (`refund-*`). A run that leaves cases out is partial: it never earns a tested mark. */
  case: z.array(z.string()).default([]),
  /** Only cases with one of these tags (attack cases: their category). */
  tag: z.array(z.string()).default([]),
  /** At most this many cases per suite, stratified by tag, the same ones every time. */
  sample: z.union([z.string(), z.number()]).optional(),
  /** n-sampling: a case's samples from one request with `n` where the server takes it; false (`--no-n`): one request per sample. */
  n: z.boolean().default(true),
  /** The model matrix: run every version (that pins no model) on each of these; default `server.models`. */
  model: z.array(z.string().min(1)).default([]),
  /** With `baseline`: measure latency against the deployed version, both interleaved against one server, cache bypassed. */
  measureLatency: z.boolean().default(false),
});
export type EvalOptions = z.input<typeof EvalOptions>;
