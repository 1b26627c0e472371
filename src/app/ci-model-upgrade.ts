import type { ModelUpgrade } from '../core/ci/result.js';
import { parseRegisteredContent } from '../core/registered-content.js';
import type { ModelSettings } from '../core/schemas/common.js';
import { activeDeployment } from '../infra/deployments.js';
import { envModelOf, modelInEnvironment, servedBy } from '../infra/environment-model.js';
import { evaluateDeployGates } from '../infra/gate-facts.js';
import type { Project } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { checkMessage } from '../render/gate-text.js';
import { compare } from './compare.js';
import type { AppContext } from './context.js';
import { runEval } from './eval.js';

/**
 * ci's model-upgrade step: `environments[].model` names the model the next deploy serves. For
 * every prompt deployed where that differs from the model served now, ci evaluates the deployed
 * version on the new model, compares it case by case with the same version on the served model
 * (`compare id@v:old id@v:new`), and judges it with the environment's deploy gates (tested on the
 * new model, no regression against the served one): a refusal fails ci.
 */

interface Pending {
  promptId: string;
  version: string;
  env: string;
  from: string;
  to: string;
}

/** Deployed versions whose environment names another model for its next deploy. */
async function pendingUpgrades(ctx: AppContext, project: Project): Promise<Pending[]> {
  const envs = project.config.environments.filter((e) => envModelOf(project.config, e.name) !== undefined);
  if (!envs.length) return [];
  const reader = openProjectRegistry(project, { readonly: true, env: ctx.env });
  const out: Pending[] = [];
  try {
    for (const promptId of await reader.listPromptIds()) {
      for (const { name: env } of envs) {
        const event = await activeDeployment(reader, promptId, env);
        const record = event && (await reader.getVersion(promptId, event.version));
        if (!event || !record) continue;
        const own = parseRegisteredContent<{ model?: Partial<ModelSettings> }>(record).model;
        const from = servedBy(project.config, event, own).model;
        const to = modelInEnvironment(project.config, own, env);
        if (from !== to) out.push({ promptId, version: event.version, env, from, to });
      }
    }
  } finally {
    await reader.close();
  }
  return out;
}

export async function checkModelUpgrades(ctx: AppContext, project: Project, onProgress?: Parameters<typeof runEval>[0]['onProgress']): Promise<ModelUpgrade[]> {
  const out: ModelUpgrade[] = [];
  for (const p of await pendingUpgrades(ctx, project)) {
    const file = project.prompts.find((f) => f.id === p.promptId && f.version === p.version);
    // A deployed version missing from the tree is ci's deleted-version problem, reported there.
    if (!file) continue;
    const ref = `${p.promptId}@${p.version}`;
    const options = { cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, signal: ctx.signal, onProgress };
    await runEval({ ...options, refs: [ref], model: [p.to] });
    const compared = await compare({ ...options, a: `${ref}:${p.from}`, b: `:${p.to}` });
    const changes: ModelUpgrade['changes'] = { regression: 0, fix: 0, changed: 0, 'same-verdict': 0, identical: 0 };
    for (const r of compared.rows) changes[r.change]++;
    const reader = openProjectRegistry(project, { readonly: true, env: ctx.env });
    try {
      const gate = await evaluateDeployGates(reader, project, file, p.env, false);
      out.push({ ...p, changes, regressed: compared.rows.filter((r) => r.change === 'regression').map((r) => `${r.suite}/${r.caseId}`), allowed: gate.decision.allowed, failures: gate.decision.failures.map(checkMessage) });
    } finally {
      await reader.close();
    }
  }
  return out;
}
