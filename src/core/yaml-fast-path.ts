import { load as loadYaml } from 'js-yaml';
import { withoutLiteralText } from './yaml-literal-text.js';
import { YAML12_CORE_SCHEMA } from './yaml-core-schema.js';

/**
 * The fast path: js-yaml reads a clean file about five times faster than the `yaml` library's
 * document model (a 280 KB suite: ~50 ms against ~250 ms), which matters for large golden sets.
 * It is taken only when it cannot differ from the hardened path: no anchors or aliases in the text
 * (so no alias expansion to limit), scalars resolved by the `yaml` library's own core-schema rules, and js-yaml's own
 * refusal of duplicate keys and multiple documents. Anything it rejects goes to the full parser,
 * which reports every problem with its position.
 */

/**
 * Constructs on which js-yaml and the `yaml` library disagree (found by the property test in
 * test/foundation/yaml-fast-path.test.ts): explicit `? key`s, empty, null or collection keys, content
 * on a document marker's line, and `#` right after a character. Files with any of them outside
 * literal text (block scalar bodies, whole-line quoted values: yaml-literal-text.ts) take the full parser.
 * The spaces after a null key are matched only after the key: `[ \t]*(null)?[ \t]*` matched the same
 * texts but tried every split of a run of spaces (a value with 100,000 spaces after a `{`: 25 s).
 */
const FAST_PATH_EXCLUDED = [
  /[&*]/, // anchors and aliases: the full parser limits their expansion
  /(^|[\n{[,])[ \t-]*\?(?=[ \t\n]|$)/, // explicit keys
  /(^|[\n{[,])[ \t-]*(?:(null|Null|NULL|~)[ \t]*)?:(?=[ \t\n,}\]]|$)/, // empty or null keys
  /(^|\n)(---|\.\.\.)(?![ \t]*(\n|$))/, // document markers with anything after them on their line
  /[\]}][ \t]*:(?=[ \t\n,}\]]|$)/, // a list or mapping used as a key
  /[{,][ \t]*(?:(null|Null|NULL|~)[ \t]*)?[,}]/, // a flow mapping entry with an empty or null key
  /[^ \t\n]#/, // a comment sign glued to text
  /(^|[ \n[{,])!/, // tags: rare in prompt files, and they change how a node (even an empty key) is read
];
/** Excluded anywhere, block scalar bodies included. */
const FAST_PATH_EXCLUDED_ANYWHERE = [
  /\t/, // tabs: YAML forbids them in indentation, and the two parsers recover differently
  /\uFEFF/, // a byte order mark: the patterns above anchor at the start of the text
];

export function fastParse(original: string): { ok: true; data: unknown } | { ok: false } {
  // A carriage return that does not end a line: the parsers disagree on where lines break.
  if (/\r(?!\n)/.test(original)) return { ok: false };
  // YAML reads CRLF as one line break; the patterns above are written for LF.
  const text = original.includes('\r') ? original.replace(/\r\n/g, '\n') : original;
  if (FAST_PATH_EXCLUDED_ANYWHERE.some((re) => re.test(text))) return { ok: false };
  // The syntax patterns do not look inside text that both parsers read literally.
  if (FAST_PATH_EXCLUDED.some((re) => re.test(text)) && FAST_PATH_EXCLUDED.some((re) => re.test(withoutLiteralText(text)))) return { ok: false };
  try {
    // An empty document is null to the `yaml` library and undefined to js-yaml: keep one answer.
    return { ok: true, data: loadYaml(text, { schema: YAML12_CORE_SCHEMA }) ?? null };
  } catch {
    return { ok: false };
  }
}

