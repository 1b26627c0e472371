import { InputError } from '../../core/errors.js';
import { optionName, optionWithValue, type OptionNames } from '../../core/option-names.js';
import type { RegistryConfig } from '../../core/schemas/config.js';
import { ignoredFileNote, passwordPlaces, type PasswordSources } from './postgres/password-places.js';
import type { PgTarget } from './postgres/pg-target.js';
import { passwordFile } from './postgres/pgpass.js';
import { configPassword, postgresTarget, registryTarget, type Env } from './target.js';

/** The places a --to connection reads its password from, named as a refused login names them (password-places.ts). */
function toSources(env: Env): PasswordSources {
  const file = passwordFile(env);
  return { urlEnvUnread: true, ...(file ? { passwordFile: file } : {}) };
}

function toPlaces(config: RegistryConfig, sources: PasswordSources): string {
  return passwordPlaces(sources, config.password_env ? [`${config.password_env} (registry.password_env names it)`] : []);
}

/**
 * Where to push: `--to` (`to` in a script; no password in it: a command line shows in the process
 * list and the shell's history, a script's options in its source and logs; the password comes from
 * the environment as for every registry URL), else the team registry the project is configured with
 * (PROMPTCTL_REGISTRY_URL, then registry.url). `names`: how the caller named its options.
 */
export function pushTarget(config: RegistryConfig, env: Env, to: string | undefined, names: OptionNames): PgTarget {
  const toOption = optionName(names, 'to');
  if (to === undefined) {
    const configured = registryTarget(config, env, (p) => p);
    if (configured.backend === 'postgres') return configured.pg;
    throw new InputError({
      message: 'registry push needs a PostgreSQL registry to push to',
      hint: `name it with ${optionWithValue(names, 'to', 'postgres://user@host:5432/db')} (the password in ${toPlaces(config, toSources(env))}), or set PROMPTCTL_REGISTRY_URL`,
    });
  }
  let withPassword = false;
  try {
    const url = new URL(to);
    withPassword = Boolean(url.password) || url.searchParams.has('password');
  } catch {
    // postgresTarget says what is wrong with it.
  }
  if (withPassword) {
    const sources = toSources(env);
    throw new InputError({
      message: `${toOption} must not contain a password`,
      why: names === 'flags' ? 'a command line shows in the process list and the shell history' : "a script's options show in its source, its logs and the errors that name them",
      hint: `${ignoredFileNote(sources)}give the password in the environment (${toPlaces(config, sources)}), or omit ${toOption} and set PROMPTCTL_REGISTRY_URL`,
    });
  }
  return postgresTarget(to, { schema: config.schema, ...configPassword(config, env), env, source: toOption, urlEnvUnread: true });
}
