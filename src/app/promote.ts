import { z } from 'zod';
import { goesBackwards, previousEnvironment } from '../core/environments.js';
import { InputError } from '../core/errors.js';
import { optionName, optionWithValue } from '../core/option-names.js';
import { parsePromptRef } from '../core/refs.js';
import { changesBesidesModel, type SettingChange } from '../core/deployed-model.js';
import { activeDeployment } from '../infra/deployments.js';
import { recordedSettings, requestInEnvironment } from '../infra/environment-model.js';
import type { AuditEvent } from '../infra/registry/types.js';
import { loadProject } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { ChangeOptions } from './accountability.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { deployVersion, type DeployOutcome } from './deploy-version.js';
import { outcomeExitCode } from './outcome.js';
import { requireEnv, requirePrompt } from './require.js';
import { requireStillActive } from './if-active.js';

/** `promote`: deploys what runs in one environment to another, through the same gates as deploy. */

export const PromoteOptions = ChangeOptions.extend({
  id: z.string(),
  /** The source environment; by default the one before `to` in the configured order. */
  from: z.string().optional(),
  to: z.string(),
  /** Only while this version runs in `from` (the one a confirmed preview showed): see app/if-active.ts. */
  promoting: z.string().optional(),
});
export type PromoteOptions = z.input<typeof PromoteOptions>;

/**
 * Promoting against the order of environments (production to staging) is allowed, since resyncing
 * an earlier environment with what runs later is legitimate, but never silent: it is usually a
 * swapped from/to.
 */
export interface BackwardsPromotion {
  from: string;
  to: string;
  order: string[];
}

export interface PromoteResult {
  promptId: string;
  from: string;
  to: string;
  /** What runs in `from`; null when nothing does, and then there is nothing to promote (exit 1). */
  active: string | null;
  backwards?: BackwardsPromotion;
  /** The deploy of `active` to `to`; absent when there was nothing to promote. */
  outcome?: DeployOutcome;
  /**
   * The request settings besides the model in which what `from` serves (as its deploy recorded)
   * differs from what the deploy to `to` sends (the config's now): the version is promoted, not
   * its settings. Absent when they agree or `from`'s deploy recorded none.
   */
  settingsNotPromoted?: SettingChange[];
  exitCode: number;
}

export async function promote(opts: PromoteOptions & AppOptions): Promise<PromoteResult> {
  const o = parseOptions('promote', PromoteOptions, opts);
  const c = appContext(opts);
  const { id } = parsePromptRef(o.id, { noVersion: (r) => `promote takes what runs in the source environment: write ${r.id}; to deploy a version, \`promptctl deploy ${r.id}@${r.version} --env <env>\`.` });
  const project = loadProject(c.cwd, { promptIds: [id], env: c.env, optionNames: c.optionNames });
  await withRegisteredForms(project, { env: c.env, clock: c.clock, signal: c.signal });
  const order = project.config.environments.map((e) => e.name);
  // Without a source, the target must exist before its previous environment can be looked up.
  if (o.from === undefined) requireEnv(project, o.to);
  const from = o.from ?? previousEnvironment(order, o.to);
  if (from === null) {
    throw new InputError({ message: `${o.to} is the first environment: there is none to promote from`, hint: c.optionNames === 'flags' ? `name the source: promote ${id} --from <env> --to ${o.to}` : `pass ${optionWithValue(c.optionNames, 'from', '<env>')} to name the source environment` });
  }
  requireEnv(project, from);
  requireEnv(project, o.to);
  if (from === o.to) {
    throw new InputError({ message: `${optionName(c.optionNames, 'from')} and ${optionName(c.optionNames, 'to')} are both ${from}`, why: 'promote deploys what runs in one environment to another one.', hint: `to redeploy in ${o.to}, use \`promptctl deploy ${id}@<version> --env ${o.to}\`` });
  }
  const backwards = goesBackwards(order, from, o.to) ? { from, to: o.to, order } : undefined;
  const registry = openProjectRegistry(project, { readonly: true, env: c.env, clock: c.clock, signal: c.signal });
  let event: AuditEvent | undefined;
  try {
    await requirePrompt(project, registry, id);
    event = await activeDeployment(registry, id, from);
  } finally {
    await registry.close();
  }
  const active = event?.version ?? null;
  const review = `promptctl promote ${id} --from ${from} --to ${o.to} --dry-run`;
  requireStillActive({ promptId: id, env: from, ifActive: o.promoting, active: event, review, ...(c.optionNames === 'keys' ? { bindOption: 'promoting' } : {}) });
  const file = active ? project.prompts.find((p) => p.id === id && p.version === active) : undefined;
  const served = file && recordedSettings(project.config, event, file.data.model);
  const differ = served && file ? changesBesidesModel(served.request, requestInEnvironment(project.config, file.data.model, o.to)) : [];
  const base = { promptId: id, from, to: o.to, active, ...(backwards ? { backwards } : {}), ...(differ.length ? { settingsNotPromoted: differ } : {}) };
  if (!active) return { ...base, exitCode: 1 };
  const outcome = await deployVersion(c, project, { ref: `${id}@${active}`, environment: o.to, reason: o.reason, actor: o.actor, dryRun: o.dryRun, force: false, interactive: o.interactive, ifActive: o.ifActive, ifActiveEvent: o.ifActiveEvent, review, command: 'promote' });
  return { ...base, outcome, exitCode: outcomeExitCode(outcome) };
}
