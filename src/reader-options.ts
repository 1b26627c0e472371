import { InputError } from './core/errors.js';
import { clockFault } from './core/clock-returns.js';
import { closestName } from './core/suggest.js';
import { notRegistryKind } from './infra/registry-kind.js';

/**
 * `openRegistry`'s options checked by hand (the library entry loads no zod): an application's
 * mistake is an InputError naming the option, never a raw TypeError, an I/O error or an option
 * silently ignored (a misspelt `cacheTtl` would leave every read uncached).
 */

const KNOWN = ['path', 'url', 'schema', 'password', 'environments', 'cacheTtlMs', 'clock'];

function refuse(problem: string, hint: string): never {
  throw new InputError({ message: `openRegistry: ${problem}`, hint });
}

const ONE = "pass { path } (the project's SQLite registry file) or { url } (a PostgreSQL registry)";
const WHICH = `${ONE}, not both`;

export function checkReaderOptions(opts: unknown): void {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) refuse('its options must be an object', WHICH);
  const o = opts as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KNOWN.includes(k));
  if (unknown.length) {
    const named = unknown.map((k) => {
      const near = closestName(k, KNOWN);
      return `"${k}"${near ? ` (did you mean "${near}"?)` : ''}`;
    });
    refuse(`unknown option${unknown.length === 1 ? '' : 's'} ${named.join(', ')}`, `the options are ${KNOWN.join(', ')}`);
  }
  const text = (k: string) => o[k] === undefined || (typeof o[k] === 'string' && o[k] !== '');
  // `url: process.env.X` with X unset: name the unset value, not a missing option.
  if (o.path === undefined && 'url' in o && o.url === undefined) refuse('url is undefined (an environment variable such as PROMPTCTL_REGISTRY_URL left unset?)', `set it to the registry's postgres:// URL, or ${ONE}`);
  if (o.path === undefined && o.url === undefined) refuse('neither path nor url given', ONE);
  if (o.path !== undefined && o.url !== undefined) refuse('both path and url given', WHICH);
  for (const k of ['path', 'url', 'schema', 'password']) if (!text(k)) refuse(`${k} must be a non-empty string`, k === 'path' || k === 'url' ? ONE : `${k} goes with url: a non-empty string, or leave it out`);
  if (o.path !== undefined && (o.schema !== undefined || o.password !== undefined)) refuse('schema and password go with url, not path', WHICH);
  const ttl = o.cacheTtlMs;
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isFinite(ttl) && ttl >= 0)) refuse('cacheTtlMs must be a number of milliseconds, 0 or more', 'for example cacheTtlMs: 30000 (30 s); 0 reads the registry on every call');
  const envs = o.environments;
  if (envs !== undefined && !(Array.isArray(envs) && envs.every((e) => typeof e === 'string' && e !== ''))) refuse('environments must be an array of environment names', "for example environments: ['staging', 'production']");
  const clock = o.clock as { date?: unknown; now?: unknown } | undefined;
  if (clock !== undefined && (typeof clock !== 'object' || clock === null || typeof clock.date !== 'function')) refuse('clock must be an object with a date() method', 'for example clock: { date: () => new Date(), now: () => performance.now() }');
  if (clock?.now !== undefined && typeof clock.now !== 'function') refuse('clock.now must be a function returning monotonic milliseconds', 'for example clock: { date: () => new Date(), now: () => performance.now() }, or leave now out');
  // Called once here: a date() that is no valid Date would fail later, after a read, losing its value.
  const fault = clock ? clockFault(clock as { date: () => unknown; now?: () => unknown }) : undefined;
  if (fault) {
    const must = fault.method === 'date' ? 'clock.date() must return a valid Date' : 'clock.now() must return a finite number of monotonic milliseconds';
    refuse(`${must} (this one ${fault.gave.startsWith('threw') ? fault.gave : `returned ${fault.gave}`})`, 'for example clock: { date: () => new Date(), now: () => performance.now() }');
  }
  if (typeof o.path === 'string') {
    const wrong = notRegistryKind(o.path);
    if (wrong) throw new InputError({ message: `openRegistry: path ${o.path} is ${wrong.kind === 'yaml' ? 'a YAML file' : wrong.what.replace(/^which is /, '')}`, why: READER_WHY[wrong.kind], hint: PATH_HINT });
  }
}

/** In the library's terms: it reads no .promptrc.yaml, and is read-only. */
const READER_WHY = {
  yaml: "the registry is a SQLite database file; YAML files are a project's config, prompt versions and suites",
  folder: 'the registry is one file, not a folder',
  special: 'the registry is a regular SQLite database file; a device such as /dev/null holds no registry',
  data: 'the registry is a SQLite database file; this one holds data of another kind (a CSV, JSON or text file)',
  loop: 'the link, or one it leads to, points back to itself: no file can be reached through it',
  dangling: 'the link points to a file that does not exist (a volume that is not mounted, or a registry that was moved)',
} as const;

const PATH_HINT = "pass the path of the project's registry file (.promptctl/registry.db in the project's folder by default, unless its config names another)";
