/**
 * promptctl as a library, for applications at run time. This entry loads better-sqlite3 and the
 * registry only: none of the CLI's dependencies (commander, zod, yaml, ink, react, openai), and
 * the PostgreSQL backend only when a `{ url }` reader first reads.
 *
 *   import { openRegistry } from 'promptctl';
 *   const registry = openRegistry({ path: '.promptctl/registry.db' });
 *   const prompt = await registry.getActive('support-answer', 'production');
 *
 * Every call returns a Promise (since 0.2.0), so a server-backed registry fits the same API:
 *   const team = openRegistry({ url: process.env.PROMPTCTL_REGISTRY_URL });  // PostgreSQL
 */
import { InputError } from './core/errors.js';
import { systemClock, type Clock } from './infra/clock.js';
import { loadedOnUse } from './infra/registry/loaded-on-use.js';
import { openSqliteRegistry } from './infra/registry/sqlite.js';
import { postgresTarget } from './infra/registry/target.js';
import { ReadCache, type StaleMark } from './registry-cache.js';
import { FollowedRegistryFile } from './registry-file.js';
import type { Registry } from './infra/registry/types.js';
import { checkReaderOptions } from './reader-options.js';
import { activeBundle, verifiedActiveVersion, existingRegistryFile, requireEnvironment, requireRegisteredPrompt, requireName, type ActivePrompt, type Bundle } from './registry-api.js';
import type { EvalResult, EvalStop, RunEvalOptions } from './app/eval.js';
import type { CompareResult, CompareRunOptions } from './app/compare.js';
import type { CiResult, RunCiOptions } from './app/ci.js';
import type { ReportSources } from './app/report.js';
import type { AppOptions } from './app/context.js';

export type { ActivePrompt, ActivePromptContent, Bundle, RenderedMessage } from './registry-api.js';
export type { StaleMark } from './registry-cache.js';
export type { VarValues } from './core/template.js';
export { render, UnknownEnvironmentError, UnknownPromptError, UnverifiedRecordError } from './registry-api.js';
// Every error class a script may catch (core/errors.ts loads nothing else): what the use cases below throw too.
export { PromptctlError, GateError, InputError, UnavailableError, InterruptedError, InternalError, ExitCode } from './core/errors.js';
export type { EvalResult, EvalStop, RunEvalOptions, CompareResult, CompareRunOptions, CiResult, RunCiOptions, ReportSources, AppOptions };
// What a caller types its own clock and progress callback with (`clock`, `onProgress`).
export type { Clock };
export type { ProgressEvent } from './core/schemas/report.js';
export type { ProgressCallback } from './app/progress.js';

export interface PromptRegistryReader {
  /**
   * The active version of a prompt in an environment, or undefined when none of that prompt is
   * active there. An unknown environment throws UnknownEnvironmentError (exit 2). When the
   * registry cannot be reached or used, the last good value is served with `stale: true`; with
   * none, the error is thrown (UnavailableError, exit 3).
   */
  getActive(id: string, env: string): Promise<(ActivePrompt & StaleMark) | undefined>;
  /** Every prompt active in an environment (same rules as getActive). */
  exportEnv(env: string): Promise<Bundle & StaleMark>;
  close(): Promise<void>;
}

interface ReaderOptions {
  /**
   * The environments the application may ask about (e.g. from its own config). Without it, an
   * environment is known once a deploy, rollback or override in the registry named it.
   */
  environments?: readonly string[];
  /**
   * How long a value read from the registry is served without asking again, in ms: default 30 s
   * for a PostgreSQL registry, 0 (every call reads) for a SQLite file. Either way the last good
   * value is kept to serve, marked stale, while the registry is unreachable.
   */
  cacheTtlMs?: number;
  /**
   * `date()` stamps a bundle's export time and a value's `fetchedAt`; `now()`, when given, is the
   * monotonic milliseconds the cache measures freshness with (performance.now() by default), so a
   * test can move time without waiting.
   */
  clock?: Pick<Clock, 'date'> & Partial<Pick<Clock, 'now'>>;
}

/** The default freshness of a team registry's values: a deploy reaches applications within 30 s. */
export const DEFAULT_CACHE_TTL_MS = 30_000;

/** How long a reader waits for the team registry's answer to one read (`query_timeout` in the URL wins). */
const READER_ANSWER_TIMEOUT_MS = 10_000;

/** The team registry for a reader, its backend loaded on the first read (loaded-on-use.ts). */
function serverReader(target: ReturnType<typeof postgresTarget>): Registry {
  return loadedOnUse(target.display, async () =>
    (await import('./infra/registry/postgres/registry.js')).openPostgresRegistry({
      target,
      readonly: true,
      // An application's request waits at most this for the registry, then gets the last good value (stale).
      answerTimeoutMs: READER_ANSWER_TIMEOUT_MS,
      // ... and the server ends the statement too, so no session is left waiting behind it.
      serverEndsLateStatements: true,
    }),
  );
}

/**
 * `{ path }`: a SQLite registry file, opened read-only. `{ url }`: a PostgreSQL registry
 * (postgres://user@host:5432/db, sslmode=verify-full for TLS), in `schema` (default promptctl);
 * the password comes from the URL, `password`, PGPASSWORD or ~/.pgpass, and is never shown in an
 * error. Opening stays synchronous: the connection is made (and pg loaded) on the first call.
 * `url` may be an unset environment variable's `undefined`: beside `path` it is no url; alone, an InputError saying so.
 */
export function openRegistry(opts: ({ path: string } | { url: string | undefined; schema?: string; password?: string }) & ReaderOptions): PromptRegistryReader {
  checkReaderOptions(opts);
  // No busy wait inside SQLite, which would block the application's event loop: the reader waits for a locked file on timers (registry-file.ts).
  // An undefined url beside a path is no url (`{ path, url: process.env.X }` with X unset reads the file);
  // alone, checkReaderOptions refused it.
  const url = 'url' in opts ? opts.url : undefined;
  const file = url === undefined ? new FollowedRegistryFile(existingRegistryFile((opts as { path: string }).path), (path) => openSqliteRegistry({ path, readonly: true, busyTimeoutMs: 0, library: true })) : undefined;
  const pgOpts = opts as { schema?: string; password?: string };
  const server =
    url !== undefined
      ? serverReader(postgresTarget(url, { schema: pgOpts.schema, schemaPlace: "openRegistry's schema option", password: pgOpts.password ?? (process.env.PGPASSWORD || undefined), env: process.env }))
      : undefined;
  // A file is followed by path (replaced by rename, it is reopened); a server is one connection.
  const reading = <T>(read: (registry: Registry) => Promise<T>): Promise<T> => (file ? file.read(read) : read(server!));
  const clock = opts.clock ?? systemClock;
  // Ages are measured on a monotonic clock (clock.now, performance.now by default): an NTP step back
  // of an hour must not keep a value fresh for an hour. The wall clock only stamps fetchedAt.
  const cache = new ReadCache(opts.cacheTtlMs ?? (url !== undefined ? DEFAULT_CACHE_TTL_MS : 0), () => clock.date().getTime(), opts.clock?.now ? () => opts.clock!.now!() : undefined);
  const declared = opts.environments;
  let closed = false;
  // After close() the connection is gone: a clear error rather than the driver's TypeError, and
  // never a value from the cache, as if the reader were still open.
  const whileOpen = <T>(read: () => Promise<T>): Promise<T> =>
    closed ? Promise.reject(new InputError({ message: 'the registry reader is closed', why: 'close() was called on it before this call', hint: 'close a reader only when the application is done reading, or call openRegistry again.' })) : read();
  return {
    getActive: (id, env) =>
      whileOpen(async () => {
        requireName('getActive', 'a prompt id', id);
        requireName('getActive', 'an environment name', env);
        return cache.read(JSON.stringify(['active', id, env]), () => reading(async (registry) => {
          // '' holds tested marks, never a deployment: it is no environment.
          const found = env === '' ? undefined : await verifiedActiveVersion(registry, id, env);
          // A found version proves the environment exists; only a miss (or a declared list) asks.
          if (!found || declared) await requireEnvironment(registry, env, declared);
          // Nothing active: a misspelt id must not look like "nothing deployed" (the application would fall back silently).
          if (!found) await requireRegisteredPrompt(registry, id);
          return found;
        }));
      }),
    exportEnv: (env) =>
      whileOpen(async () => {
        requireName('exportEnv', 'an environment name', env);
        return cache.read(JSON.stringify(['bundle', env]), () => reading(async (registry) => {
          // The bundle first: an environment whose only deploy record was deleted is exit 3, never "unknown".
          const bundle = await activeBundle(registry, env, clock.date());
          await requireEnvironment(registry, env, declared);
          return bundle;
        }));
      }),
    close: async () => {
      // A second close() has nothing left to close.
      if (closed) return;
      closed = true;
      await (file ?? server!).close();
    },
  };
}

/*
 * The use cases (also at 'promptctl/app'), loaded on first call so that importing this entry stays
 * light, and from the same module as 'promptctl/app' (one bundle in the build, scripts/bundle.mjs).
 * Here they word their results as the CLI does: regressions as sentences, JUnit and Markdown files
 * when `junit` or `summary` is given, and the summary appended to $GITHUB_STEP_SUMMARY when set.
 */

/**
 * The caller's options with the CLI's wordings added as defaults; anything but an options object is
 * passed on as it is, so that the use case says it takes an options object (a spread of `null`
 * would have made it `{}` and the refusal "cwd is missing").
 */
function withWords<T>(opts: T, words: object): T {
  return typeof opts === 'object' && opts !== null && !Array.isArray(opts) ? { ...words, ...opts } : opts;
}

/**
 * Whether the use case writes a Markdown summary somewhere: a file asked for, or the step summary of
 * the environment it runs in (its `env`, else the process's, as the use case reads it), which the
 * CLI appends to; so does a script in that CI step.
 */
function writesReports(opts: { junit?: string; summary?: string; html?: string; env?: Record<string, string | undefined> } | null | undefined): boolean {
  if (typeof opts !== 'object' || opts === null) return false;
  return Boolean(opts.junit || opts.summary || opts.html || (opts.env ?? process.env).GITHUB_STEP_SUMMARY);
}

/** Evaluates versions of a project's prompts (like `promptctl eval`); a run stopped by `signal` throws InterruptedError. */
export async function runEval(opts: RunEvalOptions): Promise<EvalResult> {
  const [app, { evalWords }] = await Promise.all([import('./app/index.js'), import('./render/eval-text.js')]);
  return app.runEval(withWords(opts, await evalWords(writesReports(opts))));
}

/** Two versions' verdicts and outputs case by case (like `promptctl compare`). */
export async function compare(opts: CompareRunOptions): Promise<CompareResult> {
  return (await import('./app/index.js')).compare(opts);
}

/** The pull-request gate (like `promptctl ci`): its verdict and the exit code the CLI would use. */
export async function runCi(opts: RunCiOptions): Promise<CiResult> {
  const [app, { ciBaselineWords }, ci] = await Promise.all([import('./app/index.js'), import('./render/ci-baseline-text.js'), import('./render/ci-summary.js')]);
  const formats = writesReports(opts) ? await ci.ciFormats(Boolean(opts.html)) : undefined;
  // The options are checked by runCi: words for anything but an object are never used.
  return app.runCi(withWords(opts, { wordBaseline: ciBaselineWords(typeof opts === 'object' && opts !== null ? opts : {}), formats }));
}

/** What `promptctl report` shows: a run, an invocation, or two versions compared. */
export async function reportSources(opts: { refs?: string[] } & AppOptions): Promise<ReportSources> {
  return (await import('./app/index.js')).reportSources(opts);
}
