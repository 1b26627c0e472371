import { z } from 'zod';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { optionName, optionWithValue } from '../core/option-names.js';
import { loadProjectConfig } from '../infra/project-config.js';
import { checkRegistryPath, noRegistryError, notRegistryKind } from '../infra/registry-path.js';
import type { PushOutcome, PushProgress, PushTable } from '../infra/registry/push-outcome.js';
import { pushRegistry } from '../infra/registry/push.js';
import { pushTarget } from '../infra/registry/push-target.js';
import { appContext, type AppOptions } from './context.js';
import { callback, parseOptions } from './options.js';
import { checkedProgress, type ProgressCallback } from './progress.js';

/**
 * `promptctl registry push`: copies a local SQLite registry (the project's registry.path, or
 * `from`) into a team registry on PostgreSQL. Idempotent and resumable; refusals (a diverged
 * audit log, a version or run held with other content, a local log that does not verify) are exit 1
 * and write nothing of what they name. The result's `exitCode` is 1 when the target does not
 * verify after the push.
 */

export type { PushProgress, PushTable };
export type PushResult = PushOutcome & { exitCode: number };

export const RegistryPushOptions = z.object({
  /** postgres://user@host:5432/db, without a password; default PROMPTCTL_REGISTRY_URL or registry.url. */
  to: z.string().optional(),
  /** Another local registry file to push, relative to `cwd` (default: the project's registry.path). */
  from: z.string().optional(),
  /** Copy versions, runs, samples and cached answers, but not the audit log. */
  skipEvents: z.boolean().optional(),
});
export type RegistryPushOptions = z.input<typeof RegistryPushOptions>;

/** `onProgress`: told when the push waits for another push's turn, and how far a large copy of runs has got. */
export async function registryPush(opts: RegistryPushOptions & AppOptions & { onProgress?: ProgressCallback<PushProgress> }): Promise<PushResult> {
  parseOptions('registryPush', RegistryPushOptions, opts, { onProgress: callback });
  const c = appContext(opts);
  const project = loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames });
  const target = pushTarget(project.config.registry, c.env, opts.to, c.optionNames);
  const from = opts.from === undefined ? undefined : optionWithValue(c.optionNames, 'from', opts.from);
  const source = opts.from === undefined ? checkRegistryPath(project) : path.resolve(c.cwd, opts.from);
  const wrong = opts.from === undefined ? undefined : notRegistryKind(source);
  if (wrong) throw new InputError({ message: `${from} names ${source}, ${wrong.what}`, why: wrong.why, hint: 'name a promptctl SQLite registry file, e.g. .promptctl/registry.db' });
  if (!existsSync(source)) {
    throw opts.from === undefined
      ? noRegistryError(project, source)
      : new InputError({ message: `no registry at ${source} (${optionName(c.optionNames, 'from')})`, hint: 'name a promptctl SQLite registry file, e.g. .promptctl/registry.db' });
  }
  // As eval's: a callback's failure (thrown, or its promise rejected) fails the push, never an unhandled rejection.
  const progress = checkedProgress<PushProgress>(opts.onProgress, undefined, c.signal);
  const outcome = await pushRegistry(source, target, { now: () => c.clock.date().toISOString(), skipEvents: opts.skipEvents, signing: project.config.signing, signal: c.signal, onProgress: progress.onProgress });
  await progress.settled();
  return { ...outcome, exitCode: outcome.verify.ok ? 0 : 1 };
}
