import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LibpqIdentity } from './libpq-env.js';

/**
 * libpq's password file, read as libpq reads it: PGPASSFILE, else ~/.pgpass; one
 * `host:port:database:username:password` per line, `*` matching anything, `\:` and `\\` escaped;
 * the first matching line wins; a file that group or others may read is ignored. Read here (from
 * the environment promptctl was given) rather than by pg, whose own fallback is deprecated and
 * reads process.env. `to` is the connection's user, host, port and database, as libpq-env.ts resolves them.
 */

type Env = Record<string, string | undefined>;

/**
 * The password file libpq reads, as a hint names it (`~/.pgpass`, or the PGPASSFILE set), and its
 * mode when it is ignored because group or others may read it: libpq warns of that, so a refused
 * login says it rather than naming the file as if it had been read.
 */
export interface PasswordFile {
  path: string;
  name: string;
  ignoredMode?: string;
}

export function passwordFile(env: Env): PasswordFile | undefined {
  const file = env.PGPASSFILE || (env.HOME ? path.join(env.HOME, '.pgpass') : undefined);
  if (!file) return undefined;
  const name = env.PGPASSFILE ? `the password file PGPASSFILE names (${file})` : '~/.pgpass';
  try {
    const mode = statSync(file).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) return { path: file, name, ignoredMode: (mode & 0o777).toString(8) };
  } catch {
    // Not there (or not readable): nothing read, nothing ignored.
  }
  return { path: file, name };
}

export function pgpassPassword(file: PasswordFile | undefined, to: LibpqIdentity): string | undefined {
  if (!file || file.ignoredMode !== undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch {
    return undefined;
  }
  // A socket folder (`?host=/var/run/postgresql`) is also `localhost` in the file, as libpq reads
  // its default socket folder, and as promptctl matched the URL's host name before it resolved the
  // socket: a `localhost:5432:db:user:pw` line keeps serving the README's socket URL.
  const hosts = to.host.startsWith('/') ? [to.host, 'localhost'] : [to.host];
  const rest = [to.port, to.database, to.user];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    const hostMatches = fields[0] === '*' || hosts.includes(fields[0]!);
    if (hostMatches && rest.every((value, i) => fields[i + 1] === '*' || fields[i + 1] === value)) return fields.slice(4).join(':');
  }
  return undefined;
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) field += line[++i]!;
    else if (ch === ':') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}
