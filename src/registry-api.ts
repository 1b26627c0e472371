import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from './core/errors.js';
import { parseRegisteredContent } from './core/registered-content.js';
import { renderMessages, type VarValues } from './core/template.js';
import { closestName } from './core/suggest.js';
import { contentShapeProblems } from './content-shape.js';
import { servedOf, type ServedModel } from './core/deployed-model.js';
import { activeDeployment } from './infra/deployments.js';
import { requireDeployedRow, requireIntactContent } from './infra/registry/content-check.js';
import { requireNothingDeleted, requireVerifiedEvents, requireWholeRecord, type VerifyServedOptions } from './infra/registry/shown-events.js';
import type { AuditEvent, Registry, VersionRecord } from './infra/registry/types.js';
import type { ResponseFormat, StructuredOutputs, ToolChoice, ToolDefinition } from './core/schemas/request.js';

export { UnverifiedRecordError } from './infra/registry/shown-events.js';

/**
 * What applications read at run time: the active version of a prompt in an environment, served
 * from the registered (immutable, tested) content. Loads none of the CLI's dependencies.
 */

export interface ActivePromptContent {
  id?: string;
  version?: string;
  description?: string;
  author?: string;
  /** Only what the version itself sets: the served model and request settings are `ActivePrompt.served`. */
  model?: Record<string, unknown>;
  /** `untrusted`: values come from end users, documents or tools (the injection lint rules watch them). */
  variables?: Array<{ name: string; type?: string; required?: boolean; max_length?: number; untrusted?: boolean; description?: string }>;
  token_budget?: number;
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>;
  /** What a version that declares them sends with its messages (README "Structured outputs, tools and conversations"). */
  response_format?: ResponseFormat;
  structured_outputs?: StructuredOutputs;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
}

export interface ActivePrompt {
  id: string;
  version: string;
  env: string;
  contentHash: string;
  deployedAt: string;
  deployedBy: string;
  content: ActivePromptContent;
  /**
   * The model and request settings the deploy recorded (deploys since the model matrix): what to
   * send `content` with. Absent for a version deployed before: use `content.model` and your defaults.
   */
  served?: ServedModel;
}

/**
 * An environment the application asked about must exist: one it declared (`environments`), or,
 * when it declared none, one that some deploy, rollback or override in the registry named. A
 * misspelt or never-used environment is this error (exit 2), never `undefined`, which means "no
 * version of this prompt is active in that (known) environment".
 */
export class UnknownEnvironmentError extends InputError {
  // InputError's own name would hide which refusal this is (an application's log, a stack trace).
  override name = 'UnknownEnvironmentError';
  constructor(
    readonly environment: string,
    readonly known: string[],
    declared: boolean,
  ) {
    super({
      message: `unknown environment "${environment}"`,
      why: declared
        ? `the application declared the environments ${known.join(', ') || '(none)'}`
        : `no deploy, rollback or override in the registry ever named it; the registry knows ${known.join(', ') || 'no environment yet'}`,
      hint: declared
        ? 'check the environment name, or add it to `environments` in openRegistry'
        : 'check the environment name; to read an environment nothing was deployed to yet, declare it: openRegistry({ ..., environments: [...] })',
    });
  }
}

/**
 * A prompt id the registry has never registered (no version of it was ever evaluated, deployed or
 * pushed): a misspelt id. It is this error (exit 2), never `undefined`, which means "nothing of
 * this (known) prompt is active in that environment", the answer an application falls back on.
 */
export class UnknownPromptError extends InputError {
  override name = 'UnknownPromptError';
  constructor(
    readonly promptId: string,
    readonly known: string[],
  ) {
    const near = closestName(promptId, known);
    super({
      message: `unknown prompt "${promptId}"${near ? ` (did you mean "${near}"?)` : ''}`,
      why: `the registry has never registered a version of it; it knows ${known.length ? known.join(', ') : 'no prompt yet'}`,
      hint: "check the prompt id (the folder its versions live in, prompts/<id>/); a prompt appears once a version of it is evaluated or deployed",
    });
  }
}

/** Refuses an id the registry has never registered; a registered one with nothing active is `undefined` to the caller. */
export async function requireRegisteredPrompt(registry: Registry, id: string): Promise<void> {
  const known = await registry.listPromptIds();
  if (!known.includes(id)) throw new UnknownPromptError(id, known);
}

/**
 * The reader's arguments come from application code, often from an environment variable: one left
 * unset is `undefined`, which must never read as "any environment" (the prompt's newest event, a
 * developer's draft included). Said as what to pass instead.
 */
export function requireName(call: string, what: 'a prompt id' | 'an environment name', value: unknown): asserts value is string {
  // '' is a string: as an environment, it is one the registry never names (UnknownEnvironmentError).
  if (typeof value === 'string' && (value !== '' || what === 'an environment name')) return;
  throw new InputError({
    message: `${call} needs ${what}, got ${value === '' ? 'an empty string' : value === null ? 'null' : typeof value === 'string' ? 'a string' : typeof value}`,
    why: what === 'an environment name' ? 'without one there is no "active" version: each environment has its own.' : 'the prompt id names the folder its versions live in (prompts/<id>/).',
    hint: what === 'an environment name' ? 'pass the environment the application runs in; when it comes from a variable (process.env.APP_ENV), check that the variable is set.' : "pass the prompt's id, e.g. getActive('support-answer', 'production').",
  });
}

export async function requireEnvironment(registry: Registry, env: string, declared?: readonly string[]): Promise<void> {
  if (declared) {
    if (declared.includes(env)) return;
    throw new UnknownEnvironmentError(env, [...declared], true);
  }
  // '' is where tested marks live, not an environment.
  if (env !== '' && (await registry.listEvents({ env, limit: 1 })).length) return;
  const known = [...new Set((await registry.listEvents({ environments: true })).map((e) => e.env))].sort();
  throw new UnknownEnvironmentError(env, known, false);
}

/**
 * `openRegistry({ path })` reads an existing registry: a path with nothing at it is the caller's
 * mistake (exit 2, as the CLI's readers refuse a missing registry.path), said in the library's
 * terms. SQLite's own refusal would hint at a folder to create and a config the library never reads.
 */
export function existingRegistryFile(file: string): string {
  if (existsSync(file)) return file;
  throw new InputError({
    message: `no registry at ${file}`,
    why: `openRegistry({ path }) opens an existing registry file, read-only, and nothing is at ${resolve(file)} (a relative path is taken from the process's working folder)`,
    hint: "pass the path of the project's registry file (.promptctl/registry.db in the project's folder by default, unless its config names another); `promptctl eval` or `promptctl deploy` creates it.",
  });
}

/**
 * The active version of `id` in `env` and the deploy event that made it so, which the caller checks
 * (verifiedActiveVersion, activeBundle) unless the row it names is missing or does not match: an
 * event edited to name another version is a forged record (UnverifiedRecordError), not a deleted
 * row. The caller checks the environment (`get`, `export`: .promptrc.yaml; the library: requireEnvironment).
 */
async function activeWithEvent(registry: Registry, id: string, env: string, verify: VerifyServedOptions): Promise<{ prompt: ActivePrompt; event: AuditEvent } | undefined> {
  const last = await activeDeployment(registry, id, env);
  const active = last?.version;
  if (!last || !active) return undefined;
  let record: VersionRecord;
  // Re-hashed on every read: an edited, swapped or deleted row is exit 3, never served.
  try {
    record = requireIntactContent(requireDeployedRow(await registry.getVersion(id, active), { ...last, version: active }), last);
  } catch (err) {
    await requireVerifiedEvents(registry, [last], verify);
    throw err;
  }
  const served = servedOf(last.detail);
  const prompt: ActivePrompt = {
    id,
    version: active,
    env,
    contentHash: record.contentHash,
    deployedAt: last.at,
    deployedBy: last.actor,
    content: parseRegisteredContent<ActivePromptContent>(record),
    ...(served ? { served } : {}),
  };
  return { prompt, event: last };
}

/**
 * The library's read and `get`'s: a deploy event that does not verify against the chain around it
 * (its own hash, its successor's link, the chain head) is never served as if sound. The read fails
 * as unavailable (exit 3), so the library's reader serves its last good value marked stale, or
 * throws when it has none. The check is one small read (chainAround). `get` also passes the
 * project's signing config, which the library never reads.
 */
export async function verifiedActiveVersion(registry: Registry, id: string, env: string, verify: VerifyServedOptions = {}): Promise<ActivePrompt | undefined> {
  const found = await activeWithEvent(registry, id, env, verify);
  await requireWholeRecord(registry, found ? [found.event] : [], `${id} in ${env}`, verify);
  return found?.prompt;
}

export interface Bundle {
  env: string;
  exportedAt: string;
  prompts: Record<string, ActivePrompt>;
}

/** Every prompt active in `env`; a deploy event behind it that does not verify, or a log that lost events while a prompt is left out, refuses the bundle (exit 3), as verifiedActiveVersion. */
export async function activeBundle(registry: Registry, env: string, now: Date, verify: VerifyServedOptions = {}): Promise<Bundle> {
  const prompts: Record<string, ActivePrompt> = {};
  const events: AuditEvent[] = [];
  const absent: string[] = [];
  for (const id of await registry.listPromptIds()) {
    const a = await activeWithEvent(registry, id, env, verify);
    if (!a) {
      absent.push(id);
      continue;
    }
    prompts[id] = a.prompt;
    events.push(a.event);
  }
  await requireVerifiedEvents(registry, events, verify);
  // A prompt left out must be one never deployed there, not one whose deploy record was deleted.
  if (absent.length || !events.length) await requireNothingDeleted(registry, `${absent.length > 3 ? `${absent.length} prompts` : absent.join(', ') || 'any prompt'} in ${env}`, verify);
  return { env, exportedAt: now.toISOString(), prompts };
}

/**
 * The defaults of a declared variable, as the prompt schema (core/schemas/prompt.ts, zod) applies
 * them when a version file is loaded: registered content keeps the file as written, and this entry
 * loads no zod. test/app/library-render.test.ts checks they agree.
 */
export const VARIABLE_DEFAULTS = { type: 'string', required: true } as const;

export type RenderedMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/**
 * The messages to send for `prompt` (an active version, or its content) with `vars`, with the
 * CLI's typed checks (core/template.ts): a missing required variable, an undeclared one, a value
 * of the wrong type or over max_length, a template error: InputError (exit 2) listing every
 * problem, never an empty string in the prompt.
 */
export function render(prompt: ActivePrompt | ActivePromptContent | undefined, vars: VarValues): RenderedMessage[] {
  const content = contentOf(prompt);
  const ref = 'id' in prompt! && prompt.id ? `${prompt.id}@${prompt.version}` : 'the prompt';
  const malformed = contentShapeProblems(content);
  if (malformed.length) {
    const problems = malformed.map((message) => ({ file: ref, line: 1, col: 1, field: message.split(' ')[0]!, message, severity: 'error' as const }));
    throw new InputError({ message: `cannot render ${ref}: ${malformed[0]}${malformed.length > 1 ? ` (and ${malformed.length - 1} more)` : ''}`, problems, hint: 'render takes an active version as getActive returns it, or its content as `promptctl get --json` or `export` writes it: { messages: [{ role, content }], variables?: [{ name, type?, required?, max_length? }] }' });
  }
  if (vars !== undefined && (typeof vars !== 'object' || vars === null || Array.isArray(vars))) {
    throw new InputError({ message: `render takes the variables as an object of names to values, not ${vars === null ? 'null' : Array.isArray(vars) ? 'an array' : typeof vars}`, hint: "e.g. render(prompt, { question: 'How do I reset my password?' })" });
  }
  const variables = (content.variables ?? []).map((v) => ({ ...VARIABLE_DEFAULTS, ...v })) as Parameters<typeof renderMessages>[0]['variables'];
  const rendered = renderMessages({ messages: content.messages, variables }, vars ?? {});
  if (rendered.problems.length === 0) return rendered.messages;
  throw new InputError({
    message: `cannot render ${ref}`,
    problems: rendered.problems.map((p) => ({ file: ref, line: 1, col: 1, field: p.variable ? `variables.${p.variable}` : 'messages', message: p.message, severity: 'error' as const })),
    hint: 'pass every required variable, each declared and of its declared type',
  });
}

/** The content to render; getActive answers undefined when nothing of the prompt is active, and render(await getActive(...)) lands here. */
function contentOf(prompt: ActivePrompt | ActivePromptContent | undefined): ActivePromptContent {
  const content: unknown = typeof prompt === 'object' && prompt !== null && 'content' in prompt && typeof prompt.content === 'object' ? prompt.content : prompt;
  if (typeof content === 'object' && content !== null && Array.isArray((content as ActivePromptContent).messages)) return content as ActivePromptContent;
  throw new InputError({
    message: prompt === undefined ? 'render was given no prompt (undefined)' : 'render was given no prompt: it takes an active version or its content, with messages',
    why: prompt === undefined ? 'getActive answers undefined when no version of the prompt is active in that environment' : undefined,
    hint: 'check what getActive returned before rendering: deploy a version to that environment (promptctl deploy <id>@<version> --env <env>), or fall back to a prompt of your own.',
  });
}
