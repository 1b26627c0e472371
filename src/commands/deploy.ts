import { z } from 'zod';
import { GateError, InputError } from '../core/errors.js';
import { decideOverride, type GateCheck, type OverrideRefusal } from '../core/gates.js';
import { parsePromptRef } from '../core/refs.js';
import { evaluateDeployGates } from '../infra/gate-facts.js';
import { loadProject, type Project } from '../infra/project.js';
import { requireSoundFiles } from '../infra/sound-files.js';
import { resolveVersion } from '../infra/project-query.js';
import { openProjectRegistry, versionRecordOf } from '../infra/project-registry.js';
import type { AuditEvent, Registry } from '../infra/registry/types.js';
import { checkJson, checkLine, checkMessage, overrideRefusalText } from '../render/gate-text.js';
import { ACCOUNTABILITY_NOTE, accountableActor, dryRunAccountability, isAccountabilityCheck } from './accountability.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl deploy <id>@<version> --env <env>`: a gated deploy, recorded in the audit log. */

export const DeployOptions = z.object({
  ref: z.string(),
  env: z.string(),
  reason: z.string().optional(),
  actor: z.string().optional(),
  dryRun: z.boolean().default(false),
  force: z.boolean().default(false),
});
export type DeployOptions = z.infer<typeof DeployOptions>;

export interface DeployOutcome {
  promptId: string;
  version: string;
  env: string;
  allowed: boolean;
  override: boolean;
  dryRun: boolean;
  previousVersion: string | null;
  checks: GateCheck[];
  event?: AuditEvent;
  /** Why `--force --reason` cannot (or need not yet) push a refusal through. */
  refusal?: OverrideRefusal;
}

export function requireEnv(project: Pick<Project, 'config'>, env: string) {
  const found = project.config.environments.find((e) => e.name === env);
  if (!found) {
    throw new InputError({ message: `"${env}" is not an environment`, hint: `environments in .promptrc.yaml: ${project.config.environments.map((e) => e.name).join(', ')}` });
  }
  return found;
}

/**
 * A prompt id neither the files nor the registry know is a name that does not exist (exit 2), not
 * a state to refuse (exit 1). The registry counts too: a prompt whose files were deleted can still
 * be active somewhere and be rolled back.
 */
export async function requirePrompt(project: Pick<Project, 'prompts'>, registry: Pick<Registry, 'listVersions' | 'listEvents'>, id: string): Promise<void> {
  await requireKnownPrompt(project.prompts.map((p) => p.id), registry, id);
}

/** `requirePrompt` for commands that only list the prompt folders (`fileIds`) instead of loading them. */
export async function requireKnownPrompt(fileIds: string[], registry: Pick<Registry, 'listVersions' | 'listEvents'>, id: string): Promise<void> {
  if (fileIds.includes(id) || (await registry.listVersions(id)).length > 0 || (await registry.listEvents({ promptId: id, limit: 1 })).length > 0) return;
  throw new InputError({ message: `prompt "${id}" does not exist`, hint: '`promptctl list` shows the prompts; `promptctl status` shows what is deployed.' });
}

/** Shared by `deploy` and `promote`: the same gates, the same refusal, the same event. */
export async function deployVersion(ctx: CommandContext, project: Project, opts: DeployOptions): Promise<DeployOutcome> {
  const envConfig = requireEnv(project, opts.env);
  if (opts.force && !opts.reason?.trim()) {
    throw new InputError({ message: '--force needs --reason "..."', why: 'an override skips gates, so the audit log must say why.', hint: 'add --reason "why this cannot wait for the gates"' });
  }
  const who = { actor: opts.actor, reason: opts.reason, verb: 'deploying to' };
  const actor = accountableActor(ctx, envConfig, { ...who, dryRun: opts.dryRun });
  // The real deploy stops on these before any gate (exit 2); a dry run lists them with the gates.
  const accountability = opts.dryRun ? dryRunAccountability(ctx, envConfig, who) : [];
  const v = resolveVersion(project, parsePromptRef(opts.ref, { requireVersion: true }));
  // A suite that failed to load would be missing from the gates' facts: refuse rather than judge without it.
  requireSoundFiles(project, [v.id], { versions: [v] });
  const registry = openProjectRegistry(project, { readonly: opts.dryRun });
  try {
    // Read, decide and append in one write transaction: concurrent deploys see each other's events.
    const decide = async (tx: Registry): Promise<DeployOutcome> => {
      const known = await tx.getVersion(v.id, v.version);
      if (!known && !opts.dryRun) await tx.registerVersion(versionRecordOf(v));
      const edited = Boolean(known && known.contentHash !== v.hash);
      // A dry run writes nothing, but must judge the version as the real deploy will: registered.
      const gate = await evaluateDeployGates(tx, project, v, opts.env, edited, { willRegister: !known && opts.dryRun });
      const verdict = decideOverride(gate.decision, { force: opts.force, reason: opts.reason, policy: envConfig.gates });
      const outcome: DeployOutcome = {
        promptId: v.id,
        version: v.version,
        env: opts.env,
        allowed: verdict.allowed && accountability.length === 0,
        override: verdict.override,
        dryRun: opts.dryRun,
        previousVersion: gate.previousVersion,
        checks: [...accountability, ...gate.decision.checks],
        refusal: verdict.refusal,
      };
      if (!verdict.allowed || opts.dryRun || gate.input.alreadyActive) return outcome;
      outcome.event = await tx.appendEvent({
        env: opts.env,
        promptId: v.id,
        version: v.version,
        previousVersion: gate.previousVersion,
        action: verdict.override ? 'override' : 'deploy',
        actor,
        reason: opts.reason?.trim() || null,
        detail: verdict.override ? { skipped: gate.decision.failures.map(checkMessage) } : undefined,
      });
      return outcome;
    };
    return await (opts.dryRun ? decide(registry) : registry.transaction(decide));
  } finally {
    await registry.close();
  }
}

/**
 * The refusal note: how to force it through, in the words of the command that was run (promote
 * has no --force and names the deploy command instead).
 */
export function refusalNote(o: DeployOutcome, force?: string): string | undefined {
  return o.refusal ? overrideRefusalText(o.refusal, force) : undefined;
}

/** The outcome as `--json` prints it: checks with their ids and sentences, the refusal as a note. */
export function deployJson(o: DeployOutcome, force?: string) {
  const { checks, refusal: _refusal, event, ...rest } = o;
  const note = refusalNote(o, force);
  return { ...rest, checks: checks.map(checkJson), ...(note !== undefined ? { note } : {}), ...(event ? { event } : {}) };
}

export function deployText(o: DeployOutcome, force?: string): string[] {
  const ref = `${o.promptId}@${o.version}`;
  const alreadyActive = o.previousVersion === o.version;
  const head = o.dryRun
    ? alreadyActive && o.allowed
      ? `dry run: ${ref} is already active in ${o.env}: a deploy would change nothing (no event)`
      : `dry run: ${ref} to ${o.env} would be ${o.allowed ? (o.override ? 'deployed as an override' : 'deployed') : 'refused'}`
    : o.event
      ? `${o.override ? 'overrode gates and deployed' : 'deployed'} ${ref} to ${o.env} (was ${o.previousVersion ?? 'nothing'}; event #${o.event.seq})`
      : `${ref} is already active in ${o.env}: nothing to do`;
  // A dry run lists every reason, including why a refusal could or could not be overridden.
  const refused = refusalNote(o, force);
  const note = [...(refused && (o.allowed || o.dryRun) ? [refused] : []), ...(o.dryRun && o.checks.some((c) => !c.ok && isAccountabilityCheck(c)) ? [ACCOUNTABILITY_NOTE] : [])];
  return [head, ...o.checks.map(checkLine), ...note];
}

export function refusal(o: DeployOutcome, force?: string): GateError {
  const failures = o.checks.filter((c) => !c.ok);
  const failed = (...kinds: GateCheck['kind'][]): boolean => failures.some((f) => kinds.includes(f.kind));
  const hint = failed('not-edited')
    ? `restore prompts/${o.promptId}/${o.version}.yaml (git checkout) and put the change in the next version: \`promptctl new ${o.promptId}\``
    : failures.some((c) => c.needsNewVersion)
      ? `fix the prompt in the next version (\`promptctl new ${o.promptId}\`), evaluate it, and deploy that one`
      : failed('tested', 'adversarial-run-missing', 'golden-run-missing')
        ? `run \`promptctl eval ${o.promptId}@${o.version}\` first`
        : 'fix what failed above; `--dry-run` shows every check.';
  return new GateError({
    message: `deploy of ${o.promptId}@${o.version} to ${o.env} refused`,
    reasons: failures.map(checkMessage),
    why: refusalNote(o, force),
    hint,
  });
}

/** A dry run exits as the real command would: 2 for an unmet accountability policy (bad usage), 1 for a refusal by the gates. */
export function outcomeExitCode(o: DeployOutcome): number {
  if (o.allowed) return 0;
  return o.checks.some((c) => !c.ok && isAccountabilityCheck(c)) ? 2 : 1;
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReturnType<typeof deployJson>>> {
  const opts = DeployOptions.parse(raw);
  const project = loadProject(ctx.cwd, { promptIds: [parsePromptRef(opts.ref).id] });
  const outcome = await deployVersion(ctx, project, opts);
  if (!outcome.allowed && !opts.dryRun) throw refusal(outcome);
  return { data: deployJson(outcome), exitCode: outcomeExitCode(outcome), text: () => deployText(outcome) };
}
