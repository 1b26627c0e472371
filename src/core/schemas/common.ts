import { z } from 'zod';
import { ExtraBody } from './request.js';

/** Building blocks shared by the file schemas. */

/** Prompt ids and suite names: lowercase slugs, so they are safe as folder and file names. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase slug: a-z, 0-9 and single hyphens, at most 63 characters')
    // A pattern, not a refinement, so the generated JSON Schema carries it too.
  .regex(/^(?!.*--)(?!.*-$)/, 'must be a lowercase slug without doubled or trailing hyphens');

/** A variable's name: the one rule for a version's `variables[].name` and the config's `lint.untrusted_variables`. */
export const VariableName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/, 'must be an identifier such as user_question')
  // Values are maps from names (YAML, JSON, zod records), where __proto__ is no key but the
  // object's prototype: a value given for it would be dropped without a word. Any other name works.
  .regex(/^(?!__proto__$)/, '"__proto__" is reserved (a value set for it would be lost): choose another name, such as proto');

/**
 * A path in a project file, read the same on every system: `/` separates folders. On Linux and
 * macOS a backslash is part of a file name, so `.promptctl\registry.db` written on Windows would
 * name another file there (a registry nobody else sees, not git-ignored). A leading `~` is the
 * shell's home folder, which promptctl does not expand (the file is shared by everyone's checkout):
 * it would name a folder `~` inside the project.
 */
export const PortablePath = z
  .string()
  .min(1)
  .regex(/^[^\\]*$/, 'use / to separate folders, never \\: on Linux and macOS a backslash is part of a file name, so this path would name another file there (Windows reads / too)')
  .regex(/^(?!~[^/]*(\/|$))/, 'a leading ~ is not expanded to a home folder (this file is shared by every checkout): write the path relative to the project root, or an absolute one; for a folder named so, write ./~…');

/**
 * A version number as a version file is named (core/refs.ts versionOfFileName): semver 2.0.0 with
 * no leading v and no build metadata (which semver leaves out of the order).
 */
export const SEMVER_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?$/;

export const ModelSettings = z.strictObject({
  model: z.string().min(1).optional().describe('Defaults to server.model in .promptrc.yaml.'),
  // No zod defaults here: a version's `model:` block must leave unset what it does not set, so the
  // project's `defaults` apply (zod's .partial() keeps defaults); the fallbacks live in effectiveParams.
  temperature: z.number().min(0).max(2).optional().describe('Defaults to 0.'),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().min(1).max(1_000_000).optional().describe('Defaults to 256.'),
  seed: z.number().int().optional(),
  stop: z.array(z.string().min(1)).max(16).optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  extra_body: ExtraBody.optional().describe('vLLM sampling parameters sent as they are (top_k, min_p, repetition_penalty, priority, ...).'),
});
export type ModelSettings = z.infer<typeof ModelSettings>;
