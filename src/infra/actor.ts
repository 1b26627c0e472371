import { execFile, execFileSync } from 'node:child_process';
import os from 'node:os';
import { describeControlChar, findInvisibleChar, hasControlChars } from '../core/control-chars.js';
import { InputError } from '../core/errors.js';
import { byCodeUnits } from '../core/order.js';
import { optionName, type OptionNames } from '../core/option-names.js';
import { recalled, remembered, rememberLater } from './git-memo.js';

/**
 * Who is acting, for the audit log: --actor, else PROMPTCTL_ACTOR, else the CI's user, else the
 * git user email, else the OS user. `named` says whether someone named the actor deliberately
 * (the first three), which unattended production changes may require. `source` says where the
 * name came from, so a refused value can be traced to the option or variable that set it.
 */
export function resolveActor(cwd: string, env: Record<string, string | undefined>, explicit?: string): { actor: string; named: boolean; source: string } {
  const named = namedActor(env, explicit);
  if (named) return named;
  const email = remembered(emailKey(cwd, env), () => {
    try {
      return execFileSync('git', GIT_EMAIL, { ...gitOptions(cwd, env), stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // Not a git checkout, or git has no user configured: fall back to the OS user.
      return '';
    }
  });
  return guessedActor(env, email);
}

/**
 * `resolveActor` without blocking: git runs while the caller works (an eval starts it first and
 * needs the name only when it records), so the lookup costs no time on the way to the first request.
 */
export async function resolveActorAsync(cwd: string, env: Record<string, string | undefined>, explicit?: string): Promise<{ actor: string; named: boolean; source: string }> {
  const named = namedActor(env, explicit);
  if (named) return named;
  const key = emailKey(cwd, env);
  const keep = rememberLater();
  // A blocking lookup earlier in the command answered already; else one lookup however many wait for it.
  const email = recalled<string>(key) ?? await remembered([...key, 'pending'], () => new Promise<string>((resolve) => {
    execFile('git', GIT_EMAIL, gitOptions(cwd, env), (error, stdout) => {
      const found = error ? '' : String(stdout).trim();
      // Kept for a blocking lookup later in the command.
      keep(key, found);
      resolve(found);
    });
  }));
  return guessedActor(env, email);
}

const GIT_EMAIL = ['config', 'user.email'];

/** The git email is asked once per command (git-memo.ts), for this folder and this environment (GIT_CONFIG_GLOBAL, HOME). */
const emailKey = (cwd: string, env: Record<string, string | undefined>): string[] => ['user.email', cwd, JSON.stringify(Object.entries(env).sort(([a], [b]) => byCodeUnits(a, b)))];

// git sees the command's environment (e.g. GIT_CONFIG_GLOBAL), not whatever process runs the command.
const gitOptions = (cwd: string, env: Record<string, string | undefined>) => ({ cwd, env, encoding: 'utf8' as const, timeout: 2000 });

/** The git user's email when there is one, else the OS user. */
function guessedActor(env: Record<string, string | undefined>, email: string): { actor: string; named: boolean; source: string } {
  if (email) return { actor: email, named: false, source: 'git config user.email' };
  try {
    const user = env.USER ?? env.USERNAME;
    return user ? { actor: user, named: false, source: env.USER ? 'USER' : 'USERNAME' } : { actor: os.userInfo().username, named: false, source: 'the OS user' };
  } catch {
    return { actor: 'unknown', named: false, source: 'nothing' };
  }
}

/** The deliberately named actor (the first three sources above), without spawning git: a dry run checks the policy with it. */
export function namedActor(env: Record<string, string | undefined>, explicit?: string): { actor: string; named: true; source: string } | undefined {
  const candidates: Array<[string, string | undefined]> = [
    [ACTOR_OPTION, explicit],
    ['PROMPTCTL_ACTOR', env.PROMPTCTL_ACTOR],
    ['GITHUB_ACTOR', env.GITHUB_ACTOR],
    ['GITLAB_USER_EMAIL', env.GITLAB_USER_EMAIL],
    ['GITLAB_USER_LOGIN', env.GITLAB_USER_LOGIN],
  ];
  const found = candidates.find(([, v]) => v?.trim());
  return found ? { actor: found[1]!.trim(), named: true, source: found[0] } : undefined;
}

/** The `source` of an actor the caller named with the use case's `actor` option (as opposed to a variable or git). */
const ACTOR_OPTION = 'actor';

/**
 * Throws when a value bound for the audit log holds a control character (see core/control-chars),
 * or when the `actor` option was given empty: `--actor "$WHO"` with WHO unset names nobody, and
 * falling back to PROMPTCTL_ACTOR or git would record someone the command line did not name. An
 * empty PROMPTCTL_ACTOR (or CI user variable) stays unset, as a shell exports it so by accident.
 * `source` is the option (`reason`, `actor`: named as the caller wrote it, `names`) or the variable
 * or lookup the value came from (`PROMPTCTL_ACTOR`, `git config user.email`).
 */
export function requirePrintable(value: string | undefined, source: string, names: OptionNames): void {
  if (value === undefined) return;
  const option = source === 'reason' || source === ACTOR_OPTION;
  const shown = option ? optionName(names, source) : source;
  if (source === ACTOR_OPTION && !value.trim()) {
    const flags = names === 'flags';
    throw new InputError({
      message: `${shown} is ${value ? 'only whitespace' : 'empty'}`,
      why: `an ${shown} that names nobody${flags ? ' (often --actor "$VAR" with the variable unset)' : ''} would fall back to PROMPTCTL_ACTOR, the CI user or git, and the audit log would record someone the ${flags ? 'command' : 'caller'} did not name.`,
      hint: flags
        ? 'pass --actor you@example.com, or leave --actor out to record PROMPTCTL_ACTOR, the CI user, the git email or the OS user.'
        : 'pass actor: "you@example.com", or leave actor out to record PROMPTCTL_ACTOR, the CI user, the git email or the OS user.',
    });
  }
  const hint = option ? `pass ${shown} as a single line of plain text.` : `set ${source} to a single line of plain text, or pass ${optionName(names, ACTOR_OPTION)}.`;
  if (hasControlChars(value)) {
    throw new InputError({
      message: `${shown} contains a control character: ${describeControlChar(value)}`,
      why: 'the audit log is printed one event per line; newlines and terminal escapes in it could forge or hide events.',
      hint,
    });
  }
  const invisible = findInvisibleChar(value);
  if (invisible) {
    throw new InputError({
      message: `${shown} contains an invisible or direction-changing character: ${invisible}`,
      why: 'the audit log is read by people: a zero-width character makes one actor print as another, and a direction override prints text backwards.',
      hint,
    });
  }
  const max = source === 'reason' ? MAX_REASON : MAX_ACTOR;
  if ([...value].length > max) {
    throw new InputError({
      message: `${shown} is ${[...value].length.toLocaleString('en-US')} characters long; at most ${max.toLocaleString('en-US')} are allowed`,
      why: 'every event is printed on one line by history, status and audit verify.',
      hint: source === 'reason' ? 'say why in a sentence or two, and link to the details (a ticket, a pull request).' : hint,
    });
  }
}

/** The longest actor and reason an event records (characters). */
const MAX_ACTOR = 200;
const MAX_REASON = 2000;
