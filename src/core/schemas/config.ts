import { z } from 'zod';
import { NOT_A_SCHEMA_NAME, NOT_RESERVED_SCHEMA_NAME, PG_SCHEMA_NAME, RESERVED_SCHEMA_NAME } from '../pg-schema-name.js';
import { previousEnvironment } from '../environments.js';
import { ModelSettings, PortablePath, Slug, VariableName } from './common.js';
import { NO_PASSWORD, NO_STRAY_AT, NOT_POSTGRES_URL, PASSWORD_IN_URL, STRAY_AT_IN_URL, POSTGRES_URL, SUPPORTED_SSL_MODE, UNSUPPORTED_SSL_MODE } from '../pg-url.js';
import { ServerUrl } from './server-url.js';
import { SigningConfig } from './signing-config.js';

/** `.promptrc.yaml`: the server, model defaults, the registry path, and the ordered environments (its signing keys in signing-config.ts). */

/** The PostgreSQL schema of a team registry (core/pg-schema-name.ts holds the rule; both patterns also go to the JSON Schema). */
const PgSchemaName = z
  .string()
  .regex(PG_SCHEMA_NAME, NOT_A_SCHEMA_NAME)
  .regex(NOT_RESERVED_SCHEMA_NAME, RESERVED_SCHEMA_NAME);

export const RetryPolicy = z
  .strictObject({
    max_attempts: z.number().int().min(1).max(20).default(4),
    base_delay_ms: z.number().int().min(0).max(60_000).default(250),
    max_delay_ms: z.number().int().min(0).max(300_000).default(8_000),
  })
  .describe('Retries for transient errors only (429, 5xx, timeouts, connection resets).');
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const ServerConfig = z.strictObject({
  base_url: z
    .union([ServerUrl, z.array(ServerUrl).min(1)])
    .describe('The vLLM OpenAI-compatible base URL (ending in /v1), or a list of replicas.'),
  model: z.string().min(1).describe('The model name the server serves (vLLM --served-model-name).'),
  models: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('The model matrix: eval runs every version on each of these (served names, LoRA adapters included), one run and one tested mark per model. A version that pins model.model runs on its pin only.'),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as VLLM_API_KEY')
    .optional()
    .describe('Name of the environment variable holding the API key. The key itself never goes in this file.'),
  timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
  concurrency: z.number().int().min(1).max(1024).default(8),
  retries: RetryPolicy.default({ max_attempts: 4, base_delay_ms: 250, max_delay_ms: 8_000 }),
  circuit_breaker: z
    .strictObject({
      consecutive_failures: z.number().int().min(1).default(8),
    })
    .default({ consecutive_failures: 8 })
    .describe('Stop the run cleanly after this many requests in a row failed for good (connection failures or 5xx, after retries).'),
  judge_model: z.string().min(1).optional().describe('Model for judge expectations; defaults to `model`. Set here, it also grades `refusal` and `no-compliance` (compliance attacks); unset, those use refusal patterns.'),
});
export type ServerConfig = z.infer<typeof ServerConfig>;

export const GatePolicy = z.strictObject({
  requires_tested: z.boolean().default(true),
  requires_previous_env: z
    .boolean()
    .default(false)
    .describe('The version must have been deployed to the environment before this one in the order. Not on the first environment, which has none before it.'),
  min_golden_pass_rate: z.number().min(0).max(1).optional(),
  min_adversarial_pass_rate: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .optional()
    .describe(
      'Injection resistance a version needs: a finished adversarial run of the current suite content at this pass rate or more. Defaults to 0.995 in the last environment of the order (production) and to none elsewhere; null turns it off.',
    ),
  max_pii_leaks: z.number().int().min(0).default(0),
  max_system_prompt_leaks: z.number().int().min(0).default(0),
  // Below 1, as the paired check requires (core/stats/regression-verdict.ts): a drop of the whole
  // pass rate is the most a version can lose, so 1 could never be exceeded and would read as a limit.
  max_pass_rate_drop: z
    .number()
    .min(0)
    .lt(1, 'must be less than 1: it is the largest drop allowed, as a fraction of the pass rate (0.05 = 5 points), and no drop can exceed 1; the regression check has no off switch, so the loosest limit is 0.99 (99 points)')
    .default(0.05)
    .describe('Largest allowed drop in the true pass rate against the deployed version, e.g. 0.05 = 5 points, less than 1 (judged on paired cases, see regression_method).'),
  regression_method: z
    .enum(['paired', 'point'])
    .default('paired')
    .describe('paired: the candidate and the deployed version are compared case by case, and a drop is a regression only when its confidence bound exceeds the limit (pass, regression or inconclusive). point: the observed drop alone decides, as before 0.2.'),
  confidence: z.number().min(0.5).max(0.999).default(0.95).describe('Confidence of the paired regression check: a regression is declared when the one-sided lower bound of the true drop at this level exceeds the limit.'),
  on_inconclusive: z
    .enum(['block', 'warn'])
    .optional()
    .describe('Whether an inconclusive regression check (a drop beyond the limit that the suite is too small to tell from chance) blocks. Default: block in the last environment of the order, warn elsewhere.'),
  max_p95_latency_increase_ms: z.number().min(0).default(200),
  allow_override: z.boolean().default(true),
  require_reason: z.boolean().default(false).describe('Deploys and rollbacks here always need --reason.'),
  unattended: z
    .strictObject({
      require_reason: z.boolean().default(false),
      require_actor: z.boolean().default(false),
    })
    // `unattended:` with every sub-key commented out is null in YAML: read it as the defaults.
    .nullish()
    .transform((v) => v ?? { require_reason: false, require_actor: false })
    .describe(
      'Without a terminal (CI, scripts), deploys and rollbacks here need --reason and/or a named actor (--actor, PROMPTCTL_ACTOR, or the CI user).',
    ),
});
export type GatePolicy = z.infer<typeof GatePolicy>;

export const EnvironmentConfig = z.strictObject({
  // The message says the whole rule: "lowercase" alone left `prod_eu`, `1prod` or a 33-character name unexplained.
  name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lowercase letters, digits and -, starting with a letter, at most 32 characters (such as staging or prod-eu)'),
  gates: GatePolicy.default(GatePolicy.parse({})),
  model: z
    .string()
    .min(1)
    .optional()
    .describe("The model this environment's next deploy serves (a served name or LoRA adapter). Editing it changes nothing served until a gated deploy; status shows the pending change and ci gates it. A version's own model.model still wins."),
});
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;

/** Issue 5's production policy: injection resistance >= 99.5% unless the config says otherwise. */
export const PRODUCTION_MIN_ADVERSARIAL_PASS_RATE = 0.995;

/**
 * The last environment in the order is where users meet the prompt, so it gets the adversarial
 * minimum by default; earlier ones (development, staging) get none unless they set one, since
 * development often runs versions no adversarial suite has seen. `null` means "no minimum here".
 */
function withProductionDefaults<E extends { gates: { min_adversarial_pass_rate?: number | null } }>(envs: E[]) {
  return envs.map((env, i) => {
    const set = env.gates.min_adversarial_pass_rate;
    const min = set === undefined && i === envs.length - 1 ? PRODUCTION_MIN_ADVERSARIAL_PASS_RATE : (set ?? undefined);
    return { ...env, gates: { ...env.gates, min_adversarial_pass_rate: min } };
  });
}

/**
 * `requires_previous_env: true` on the first environment of the order: there is no previous one, so
 * the gate could never apply it, and a deploy there would pass a rule the file says holds. Only an
 * explicit `true` can be here (the default is false everywhere), so reordering never turns a default
 * into an error. Which environment has a previous one is `previousEnvironment`'s rule.
 */
function previousEnvOnFirst(envs: ReadonlyArray<{ name: string; gates: { requires_previous_env: boolean } }>, ctx: z.RefinementCtx): void {
  const order = envs.map((e) => e.name);
  envs.forEach((env, i) => {
    if (!env.gates.requires_previous_env || previousEnvironment(order, env.name) !== null) return;
    ctx.addIssue({
      code: 'custom',
      path: [i, 'gates', 'requires_previous_env'],
      message: `${env.name} is the first environment in the order, so it has no previous environment to require: list ${env.name} after the environment it must follow, or remove requires_previous_env from it`,
    });
  });
}

export const LintConfig = z.strictObject({
  /** Variables whose values come from end users or retrieved text: injection-risk rules watch them. */
  untrusted_variables: z
    .array(VariableName)
    .default([])
    // Named at the second one: a list that names a variable twice is a slip (a paste, a merge), and the rules would read it once.
    .superRefine((names, ctx) => {
      names.forEach((n, i) => {
        const first = names.indexOf(n);
        if (first !== i) ctx.addIssue({ code: 'custom', path: [i], message: `"${n}" is already listed (lint.untrusted_variables.${first}): list each variable once` });
      });
    }),
});

/** A PostgreSQL URL for a committed file (core/pg-url.ts): a password belongs in the environment, never here. */
const RegistryUrl = z.string().regex(POSTGRES_URL, NOT_POSTGRES_URL).regex(NO_PASSWORD, PASSWORD_IN_URL).regex(NO_STRAY_AT, STRAY_AT_IN_URL).regex(SUPPORTED_SSL_MODE, UNSUPPORTED_SSL_MODE);

/** Where the SQLite registry is when the config names none (and where `init` writes it). */
export const DEFAULT_REGISTRY_PATH = '.promptctl/registry.db';

export const RegistryConfig = z
  .strictObject({
    path: PortablePath.default(DEFAULT_REGISTRY_PATH).describe('The SQLite registry file (the default backend), relative to the project root.'),
    url: RegistryUrl.optional().describe(
      'A team registry on PostgreSQL, e.g. postgres://promptctl@db:5432/prompts (sslmode=verify-full for TLS). PROMPTCTL_REGISTRY_URL in the environment wins over it.',
    ),
    schema: PgSchemaName.default('promptctl')
      .describe('The PostgreSQL schema that holds the registry.'),
    password_env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as PROMPTCTL_DB_PASSWORD')
      .optional()
      .describe('Name of the environment variable holding the PostgreSQL password (PGPASSWORD is read too). The password itself never goes in this file.'),
  })
  .describe('Where the registry lives: a SQLite file (path, the default) or a PostgreSQL database (url).');
export type RegistryConfig = z.infer<typeof RegistryConfig>;

/** A suite named as `promptctl power` takes it, `<prompt-id>/<suite>`: both parts slugs, as folder and file names are. */
const SuiteName = z
  .string()
  .refine((s) => {
    const parts = s.split('/');
    return parts.length === 2 && parts.every((p) => Slug.safeParse(p).success);
  }, 'must name a suite as <prompt-id>/<suite>, such as support-answer/golden (each part a lowercase slug)');

/** The project's config file, at the project root. */
export const CONFIG_FILE = '.promptrc.yaml';

export const PromptrcConfig = z.strictObject({
  server: ServerConfig,
  defaults: ModelSettings.partial().default({}).describe('Model settings every prompt version inherits.'),
  registry: RegistryConfig.default({ path: DEFAULT_REGISTRY_PATH, schema: 'promptctl' }),
  environments: z
    .array(EnvironmentConfig)
    .min(1)
    .refine((envs) => new Set(envs.map((e) => e.name)).size === envs.length, 'environment names must be unique')
    .superRefine(previousEnvOnFirst)
    .transform(withProductionDefaults),
  lint: LintConfig.default({ untrusted_variables: [] }),
  signing: SigningConfig.default({ evaluator: [], deployer: [] }),
  retired_suites: z
    .array(SuiteName)
    .default([])
    .describe(
      'Suites retired deliberately, as <prompt-id>/<suite>: only a suite listed here may be missing from the project. A suite file deleted without it stops eval, deploy, promote and ci, and a run or tested mark the registry holds of it still counts; listed, its file may go and its runs no longer count. Reviewed in git like the rest of this file.',
    ),
});
export type PromptrcConfig = z.infer<typeof PromptrcConfig>;
