import { z } from 'zod';
import { parsePromptRef } from '../core/refs.js';
import { loadProject } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { ChangeOptions } from './accountability.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { deployVersion, type DeployOutcome } from './deploy-version.js';
import { outcomeExitCode } from './outcome.js';

export type { DeployOutcome } from './deploy-version.js';

/** `deploy`: a gated deploy of `<id>@<version>` to an environment, recorded in the audit log. */

export const DeployOptions = ChangeOptions.extend({
  ref: z.string(),
  /** The target environment, by name. */
  environment: z.string(),
  /** Override failed gates where the policy allows (needs a reason). */
  force: z.boolean().default(false),
});
export type DeployOptions = z.input<typeof DeployOptions>;

/**
 * A refused deploy is a result, not an error: `allowed` is false, `checks` say why, and `exitCode`
 * is what the CLI exits with (1 refused by the gates, 2 an unmet accountability policy).
 */
export type DeployResult = DeployOutcome & { exitCode: number };

export async function deploy(opts: DeployOptions & AppOptions): Promise<DeployResult> {
  const o = parseOptions('deploy', DeployOptions, opts);
  const c = appContext(opts);
  const project = loadProject(c.cwd, { promptIds: [parsePromptRef(o.ref).id], env: c.env, optionNames: c.optionNames });
  await withRegisteredForms(project, { env: c.env, clock: c.clock, signal: c.signal });
  const outcome = await deployVersion(c, project, o);
  return { ...outcome, exitCode: outcomeExitCode(outcome) };
}
