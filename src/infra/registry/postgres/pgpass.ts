import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * libpq's password file, read as libpq reads it: PGPASSFILE, else ~/.pgpass; one
 * `host:port:database:username:password` per line, `*` matching anything, `\:` and `\\` escaped;
 * the first matching line wins; a file that group or others may read is ignored. Read here (from
 * the environment promptctl was given) rather than by pg, whose own fallback is deprecated.
 */

type Env = Record<string, string | undefined>;

export function pgpassPassword(env: Env, url: URL): string | undefined {
  const file = env.PGPASSFILE || (env.HOME ? path.join(env.HOME, '.pgpass') : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    const mode = statSync(file).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const user = decodeURIComponent(url.username) || env.PGUSER || os.userInfo().username;
  const want = [url.hostname || env.PGHOST || 'localhost', url.port || env.PGPORT || '5432', decodeURIComponent(url.pathname.slice(1)) || env.PGDATABASE || user, user];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    if (want.every((value, i) => fields[i] === '*' || fields[i] === value)) return fields.slice(4).join(':');
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
