import { InputError, UnavailableError } from '../core/errors.js';
import { requireSignedChange } from './accountability.js';
import { didYouMean } from '../core/suggest.js';
import { listPromptFolders } from '../infra/project-config.js';
import type { Project } from '../infra/project.js';
import type { PrivilegeJob, Registry } from '../infra/registry/types.js';

/**
 * Names a user passes that must exist: a name that does not is bad input (exit 2), not a state to
 * refuse (exit 1).
 */

export function requireEnv(project: Pick<Project, 'config'>, env: string) {
  const found = project.config.environments.find((e) => e.name === env);
  if (!found) {
    const names = project.config.environments.map((e) => e.name);
    throw new InputError({ message: `"${env}" is not an environment`, hint: `${didYouMean(env, names)}environments in .promptrc.yaml: ${names.join(', ')}` });
  }
  return found;
}

/**
 * Opens the registry for a command that only reads the record (`status --env`, `history --env`):
 * an environment taken out of .promptrc.yaml still has its deployments there, and they can still
 * be read. A name neither the config nor the registry knows (or with no registry at all) is a typo.
 */
export async function openRecordFor(project: Pick<Project, 'config'>, env: string | undefined, open: () => Registry): Promise<Registry> {
  if (env === undefined || project.config.environments.some((e) => e.name === env)) return open();
  let registry: Registry;
  try {
    registry = open();
  } catch {
    return requireEnv(project, env) as never;
  }
  try {
    if ((await registry.listEnvironments()).includes(env)) return registry;
    requireEnv(project, env);
  } catch (e) {
    await registry.close();
    throw e;
  }
  return registry;
}

/**
 * A prompt id neither the files nor the registry know does not exist. The registry counts too: a
 * prompt whose files were deleted can still be active somewhere and be rolled back.
 */
export async function requirePrompt(project: Pick<Project, 'prompts' | 'root'>, registry: Pick<Registry, 'listVersions' | 'listEvents' | 'listPromptIds'>, id: string): Promise<void> {
  // A project loaded for one prompt holds only its files: the folders name the others, for the hint.
  await requireKnownPrompt(project.prompts.map((p) => p.id), registry, id, () => listPromptFolders(project.root));
}

/** `requirePrompt` for use cases that only list the prompt folders (`fileIds`) instead of loading them. */
export async function requireKnownPrompt(fileIds: string[], registry: Pick<Registry, 'listVersions' | 'listEvents' | 'listPromptIds'>, id: string, otherIds: () => string[] = () => []): Promise<void> {
  if (fileIds.includes(id) || (await registry.listVersions(id)).length > 0 || (await registry.listEvents({ promptId: id, limit: 1 })).length > 0) return;
  const known = [...new Set([...fileIds, ...otherIds(), ...(await registry.listPromptIds())])].sort();
  throw new InputError({ message: `prompt "${id}" does not exist`, hint: `${didYouMean(id, known)}\`promptctl list\` shows the prompts; \`promptctl status\` shows what is deployed.` });
}

/**
 * What `eval` checks before it writes anything (a version, an event, a run): on a signed log the
 * tested (or untested) event it ends with could not be written unsigned (exit 2), and the
 * registry role must be allowed to record runs (exit 3). A shard writes no event.
 */
export async function refuseBeforeWriting(registry: Registry, o: { sign: unknown; shard: boolean; signingSince: number | undefined }): Promise<void> {
  if (!o.shard) await requireSignedChange(registry, o.sign, 'tested', o.signingSince);
  await requirePrivileges(registry, 'eval');
}

/** What each job records, and whose role is for it: the words of a refusal (`requirePrivileges`). */
const JOBS: Record<PrivilegeJob, { records: string; role: string }> = {
  eval: { records: 'records runs, samples and cached answers', role: "the evaluator role's credentials (CI's)" },
  deploy: { records: 'appends a deploy event to the audit log, after reading the runs its gates judge', role: "the deployer role's credentials (a release manager's)" },
  rollback: { records: 'appends a rollback event to the audit log', role: "the deployer role's credentials (a release manager's)" },
};

/**
 * A command run with a registry role that may not do its job (`eval` with a release manager's or
 * an application's role; `deploy`, `promote` or `rollback` with an application's): refused before
 * anything is written (exit 3), naming what the role lacks and whose role the job needs, not
 * part-way through with the first table it touched ("while reading eval runs").
 */
export async function requirePrivileges(registry: Pick<Registry, 'missingPrivileges' | 'path'>, job: PrivilegeJob, command: string = job): Promise<void> {
  const missing = await registry.missingPrivileges(job);
  if (!missing.length) return;
  const { records, role } = JOBS[job];
  throw new UnavailableError({
    message: `the PostgreSQL role of the registry at ${registry.path} is not allowed to do this (${command})`,
    why: `${command} ${records}, and this role lacks ${missing.join(', ')}: nothing was ${job === 'eval' ? 'sent or written' : 'written'}`,
    hint: `run ${command} with ${role}; \`promptctl registry roles\` prints the SQL of the reader, evaluator and deployer roles`,
  });
}
