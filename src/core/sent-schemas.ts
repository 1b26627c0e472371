import { canonicalJson, sha256Hex } from './canonical.js';

/**
 * The JSON Schemas a version sends (response_format's json_schema, structured_outputs.json, each
 * tool's parameters) reach the model with their keys in the order written: vLLM's grammar backends
 * and OpenAI's structured outputs generate an object's keys in its `properties` order. So inside
 * them key order is content: the version's hash, its registered content and a sample's cache key
 * keep it (canonicalJson's `keepOrder`), where everything else is hashed with sorted keys.
 *
 * Registries written before 0.2.0 hashed and stored these schemas with sorted keys too: a version
 * registered then is known by the hash of its `sortedForm` (infra/registered-form.ts).
 */

/** The one-line note on a version registered before 0.2.0 (show's, and a comment atop `show --released`). */
export const SCHEMA_ORDER_UNRECORDED = 'registered before promptctl 0.2.0, which kept the keys of the schemas a version sends sorted: the key order it was tested with is not recorded (shown sorted in the registry); a new version records it';

/** Whether `path`, from a version's data or a request's top level, is one of the schemas it sends. */
export function isSentSchemaPath(path: ReadonlyArray<string | number>): boolean {
  switch (path[0]) {
    case 'response_format':
      return path.length === 3 && path[1] === 'json_schema' && path[2] === 'schema';
    case 'structured_outputs':
      return path.length === 2 && path[1] === 'json';
    case 'tools':
      return path.length === 4 && typeof path[1] === 'number' && path[2] === 'function' && path[3] === 'parameters';
    default:
      return false;
  }
}

/**
 * Content with a sent schema is hashed after this line, so its hash never equals the hash a
 * registry before 0.2.0 gave any content (the plain SHA-256 of the all-sorted JSON): a version
 * registered then is told from one registered since by its hash alone, even where the two texts
 * are the same (a schema whose keys happen to be in sorted order).
 */
const ORDER_KEPT = 'promptctl version content, sent schemas in their key order\n';

/** The hashes registered content may have: the plain SHA-256 of its text, or (sent schemas in their order) the one after ORDER_KEPT. */
export function registeredHashesOf(content: string): [plain: string, orderKept: string] {
  return [sha256Hex(content), sha256Hex(ORDER_KEPT + content)];
}

/**
 * A version's content as the registry keeps it: canonical JSON (its sent schemas in their own key
 * order) and hash, and with a sent schema the hash registries before 0.2.0 gave it (every key sorted).
 */
export interface VersionContent {
  canonical: string;
  hash: string;
  sortedHash?: string;
}

export function versionContentForms(data: unknown): VersionContent {
  // One walk: the writer asks about each object's path, so it says whether any was a sent schema.
  // With none, every key was sorted: the text is the plain canonical JSON.
  let sent = false;
  const canonical = canonicalJson(data, (path) => {
    const hit = isSentSchemaPath(path);
    sent ||= hit;
    return hit;
  });
  if (!sent) return { canonical, hash: sha256Hex(canonical) };
  return { canonical, hash: sha256Hex(ORDER_KEPT + canonical), sortedHash: sha256Hex(canonicalJson(data)) };
}

/**
 * Whether `path`, in a request key's inputs, is a value the request carries as written: a sent
 * schema under `params` (the request's top level), or one tool's result under `toolResults`, which
 * goes back to the model as its JSON text in the case's key order (infra/eval/exchange.ts). The
 * order of the tool names is not sent (each call is answered by its name), so it stays sorted.
 */
function sentAsWritten(path: ReadonlyArray<string | number>): boolean {
  if (path[0] === 'toolResults') return path.length === 2;
  return path[0] === 'params' && isSentSchemaPath(path.slice(1));
}

/**
 * Canonical JSON of a request's inputs for a key (a sample's cache key, a run's inputs key): what
 * the server gets in its written order keeps that order (`sentAsWritten`), so another order is
 * another key.
 */
export function requestKeyJson(value: { params: unknown } & Record<string, unknown>): string {
  return canonicalJson(value, sentAsWritten);
}
