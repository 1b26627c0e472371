/**
 * promptctl as a library, for applications at run time. This entry loads better-sqlite3 and the
 * registry only: none of the CLI's dependencies (commander, zod, yaml, ink, react, openai).
 *
 *   import { openRegistry } from 'promptctl';
 *   const registry = openRegistry({ path: '.promptctl/registry.db' });
 *   const prompt = await registry.getActive('support-answer', 'production');
 *
 * Every call returns a Promise (since 0.2.0), so a server-backed registry fits the same API:
 *   const team = openRegistry({ url: process.env.PROMPTCTL_REGISTRY_URL! });  // PostgreSQL
 */
import { openPostgresRegistry } from './infra/registry/postgres/registry.js';
import { openSqliteRegistry } from './infra/registry/sqlite.js';
import { postgresTarget } from './infra/registry/target.js';
import { activeBundle, activeVersion, type ActivePrompt, type Bundle } from './registry-api.js';
import type { EvalResult, RunEvalOptions } from './app/eval.js';
import type { CompareResult, CompareRunOptions } from './app/compare.js';
import type { CiResult, RunCiOptions } from './app/ci.js';
import type { ReportSources } from './app/report.js';
import type { AppOptions } from './app/context.js';

export type { ActivePrompt, ActivePromptContent, Bundle } from './registry-api.js';
export type { EvalResult, RunEvalOptions, CompareResult, CompareRunOptions, CiResult, RunCiOptions, ReportSources, AppOptions };

export interface PromptRegistryReader {
  /** The active version of a prompt in an environment, or undefined when none is deployed there. */
  getActive(id: string, env: string): Promise<ActivePrompt | undefined>;
  /** Every prompt active in an environment. */
  exportEnv(env: string): Promise<Bundle>;
  close(): Promise<void>;
}

/**
 * `{ path }`: a SQLite registry file, opened read-only. `{ url }`: a PostgreSQL registry
 * (postgres://user@host:5432/db, sslmode=verify-full for TLS), in `schema` (default promptctl);
 * the password comes from the URL, `password`, PGPASSWORD or ~/.pgpass, and is never shown in an
 * error. Opening stays synchronous: the connection is made (and pg loaded) on the first call.
 */
export function openRegistry(opts: { path: string } | { url: string; schema?: string; password?: string }): PromptRegistryReader {
  const registry =
    'url' in opts
      ? openPostgresRegistry({
          target: postgresTarget(opts.url, { schema: opts.schema, password: opts.password ?? (process.env.PGPASSWORD || undefined), env: process.env }),
          readonly: true,
        })
      : openSqliteRegistry({ path: opts.path, readonly: true });
  return {
    getActive: (id, env) => activeVersion(registry, id, env),
    exportEnv: (env) => activeBundle(registry, env, new Date()),
    close: () => registry.close(),
  };
}

/*
 * The use cases (also at 'promptctl/app'), loaded on first call so that importing this entry stays
 * light. Here they word their results as the CLI does: regressions as sentences, and JUnit and
 * Markdown files when `junit` or `summary` is given.
 */

/** Evaluates versions of a project's prompts (like `promptctl eval`); a run stopped by `signal` throws InterruptedError. */
export async function runEval(opts: RunEvalOptions): Promise<EvalResult> {
  const [app, { evalWords }] = await Promise.all([import('./app/eval.js'), import('./render/eval-text.js')]);
  return app.runEval({ ...(await evalWords(Boolean(opts.junit || opts.summary))), ...opts });
}

/** Two versions' verdicts and outputs case by case (like `promptctl compare`). */
export async function compare(opts: CompareRunOptions): Promise<CompareResult> {
  return (await import('./app/compare.js')).compare(opts);
}

/** The pull-request gate (like `promptctl ci`): its verdict and the exit code the CLI would use. */
export async function runCi(opts: RunCiOptions): Promise<CiResult> {
  const [app, { evalWords }, ci] = await Promise.all([import('./app/ci.js'), import('./render/eval-text.js'), import('./render/ci-summary.js')]);
  const { wordBaseline } = await evalWords(false);
  const formats = opts.junit || opts.summary ? { markdown: ci.ciMarkdown, junit: ci.ciJUnit } : undefined;
  return app.runCi({ wordBaseline, formats, ...opts });
}

/** What `promptctl report` shows: a run, an invocation, or two versions compared. */
export async function reportSources(opts: { refs?: string[] } & AppOptions): Promise<ReportSources> {
  return (await import('./app/report.js')).reportSources(opts);
}
