/**
 * Which JSON Schema draft a schema is written in, from its root `$schema`: the engine
 * (json-schema.ts) checks each schema with an ajv instance for that draft. No `$schema` means draft
 * 2020-12. Draft-07 is what zod-to-json-schema and many SDKs emit by default, and the structured
 * output engines vLLM uses accept it, so a version's schema may keep the `$schema` its generator wrote.
 */

export type Dialect = '2020-12' | '2019-09' | 'draft-07';

interface DialectSpec {
  /** How messages name it. */
  name: string;
  /** The meta-schema id ajv registers for it (what `$schema` is set to before compiling). */
  id: string;
  /** The `$schema` values that mean it: http or https, with or without the empty fragment. */
  pattern: RegExp;
}

export const DIALECTS: Record<Dialect, DialectSpec> = {
  '2020-12': { name: 'draft 2020-12', id: 'https://json-schema.org/draft/2020-12/schema', pattern: /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/ },
  '2019-09': { name: 'draft 2019-09', id: 'https://json-schema.org/draft/2019-09/schema', pattern: /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/ },
  'draft-07': { name: 'draft-07', id: 'http://json-schema.org/draft-07/schema#', pattern: /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/ },
};

const SUPPORTED = 'use draft 2020-12 (no $schema, or https://json-schema.org/draft/2020-12/schema), draft 2019-09 (https://json-schema.org/draft/2019-09/schema) or draft-07 (http://json-schema.org/draft-07/schema#)';

export type DialectOf =
  /** `schema` is what to compile: `$schema` spelt as ajv registers it. */
  | { dialect: Dialect; schema: unknown }
  | { unsupported: string };

/** The draft a schema declares, or why it is not one the engine checks. */
export function dialectOf(schema: unknown): DialectOf {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || !('$schema' in schema)) return { dialect: '2020-12', schema };
  const declared = (schema as { $schema: unknown }).$schema;
  // Not a string: ajv's own meta-schema check says what is wrong with it.
  if (typeof declared !== 'string') return { dialect: '2020-12', schema };
  for (const [dialect, spec] of Object.entries(DIALECTS) as Array<[Dialect, DialectSpec]>) {
    if (!spec.pattern.test(declared)) continue;
    return { dialect, schema: declared === spec.id ? schema : { ...schema, $schema: spec.id } };
  }
  return { unsupported: `${draftName(declared)} is not supported ($schema "${declared}"); ${SUPPORTED}` };
}

/** `draft-04`, `draft 2021-01`, or the `$schema` itself when it names no draft of json-schema.org. */
function draftName(declared: string): string {
  const m = /json-schema\.org\/(?:(draft-\d+)|draft\/(\d{4}-\d{2}))\//.exec(declared);
  if (m?.[1]) return m[1];
  if (m?.[2]) return `draft ${m[2]}`;
  return 'this meta-schema';
}
