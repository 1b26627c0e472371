import type { PgTarget } from './pg-target.js';
import { ignoredFileNote, passwordPlaces } from './password-places.js';
import { DEFAULT_ROLE_PREFIX, roleNames } from './roles.js';
import { roleIn } from './url-parts.js';

/**
 * The hints of faults.ts that depend on who met the fault: the CLI's password sources, and for the
 * library's reader (FaultContext.library, the one rule: connection.ts) what an application does.
 */

/**
 * Where the CLI takes a registry password from, naming the variable `registry.password_env` names
 * (never its value). A password that was given and rejected is named by where it came from, the
 * first of those sources, which hides the others: giving it again elsewhere would change nothing.
 */
export function passwordHint(ctx: Pick<PgTarget, 'passwordEnv' | 'passwordFile' | 'urlEnvUnread'>, rejectedFrom: string | undefined): string {
  const user = 'and check the user name in the URL';
  if (rejectedFrom) {
    const order = 'the URL\'s password wins, then registry.password_env\'s variable, PGPASSWORD, and the password file';
    return `the password taken from ${rejectedFrom} was rejected: correct it there (${order}), ${user}`;
  }
  const named = ctx.passwordEnv;
  const inPlaces = passwordPlaces(ctx);
  const ignored = ignoredFileNote(ctx);
  if (!named) return `${ignored}give the password in the environment: ${inPlaces} (or name a variable of your own in registry.password_env); ${user}`;
  if (!named.set) return `${ignored}set ${named.name} (registry.password_env names it, and it is not set here) to the password, or give it in ${inPlaces}; ${user}`;
  const wins = ctx.urlEnvUnread ? '' : '; a password in PROMPTCTL_REGISTRY_URL wins over it';
  return `${ignored}check the password in ${named.name} (registry.password_env names it${wins}); ${user}`;
}

/**
 * What follows a fix, for whoever met the fault: a person runs the command again; an application
 * has no command, and its reader asks again by itself (the failed connection is not kept).
 */
export function afterTheFix(library: boolean | undefined): string {
  return library ? "the application's reader tries again by itself on a later read" : 'then run this command again';
}

/** An application's login role that may not read: it needs the reader role, granted by the schema owner. */
export function readerGrantHint(where: string): string {
  const reader = roleNames(DEFAULT_ROLE_PREFIX).reader;
  return `grant the application's login role the reader role: GRANT ${reader} TO "${roleIn(where)}", as whoever ran the SQL \`promptctl registry roles\` prints, which creates ${reader} (another name if it was given --prefix); ${afterTheFix(true)}`;
}

/**
 * How to go on after the connection was lost (or could not be made again) mid-command: the one
 * sentence for every command, since the fault does not know which ran. An application's reader
 * has nothing to resume: it serves its last good value meanwhile and asks again by itself.
 */
export function goOnHint(library: boolean | undefined): string {
  if (library) return "the application's reader serves its last good value (marked stale) meanwhile and asks again by itself after a back-off";
  return 'then go on where the command stopped: an `eval` with `promptctl eval --resume` (it sends only the samples not recorded), a `registry push` by pushing again (it copies only what is missing), a `registry migrate` by running it again (it applies only the steps not recorded); for a deploy or rollback, `promptctl history` shows whether it was recorded before running it again';
}
