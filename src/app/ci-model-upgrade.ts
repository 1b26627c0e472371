import type { ModelUpgrade } from '../core/ci/result.js';
import { changesBesidesModel, type SettingChange } from '../core/deployed-model.js';
import { judgesHistory } from '../core/gates.js';
import { parseRegisteredContent } from '../core/registered-content.js';
import type { ModelSettings } from '../core/schemas/common.js';
import { activeDeployment } from '../infra/deployments.js';
import { recordedSettings, requestInEnvironment, servedBy } from '../infra/environment-model.js';
import { storedOutcomes } from '../infra/eval/stored-runs.js';
import { evaluateDeployGates } from '../infra/gate-facts.js';
import type { Project } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { checkMessage } from '../render/gate-text.js';
import { compareOutcomes } from './compare.js';
import type { AppContext } from './context.js';
import { runEval } from './eval.js';

/**
 * ci's model-upgrade step. What an environment serves is the model and request settings its deploy
 * recorded; the configuration names what its next deploy serves (`environments[].model`,
 * `defaults.model`, `server.model`, `defaults`). For every version deployed where the two differ,
 * ci evaluates the deployed version as the next deploy would serve it (and, where missing, as it is
 * served now), compares the two case by case, and judges it with the environment's deploy gates
 * (tested as it would be served, no regression against what is served): a refusal fails ci. The
 * gates on a version's history (deployed in the previous environment) are not a pull request's to
 * meet and are left out, as for the candidates.
 */

interface Pending {
  promptId: string;
  version: string;
  env: string;
  from: string;
  to: string;
  /** The settings key the deploy recorded (runs under it are the served side), when it recorded one. */
  servedKey?: string;
  settings: SettingChange[];
}

/** Deployed versions whose environment would serve another model or other request settings at its next deploy. */
async function pendingUpgrades(ctx: AppContext, project: Project): Promise<Pending[]> {
  const reader = openProjectRegistry(project, { readonly: true, env: ctx.env, clock: ctx.clock, signal: ctx.signal });
  const out: Pending[] = [];
  try {
    for (const promptId of await reader.listPromptIds()) {
      for (const { name: env } of project.config.environments) {
        const event = await activeDeployment(reader, promptId, env);
        const record = event && (await reader.getVersion(promptId, event.version));
        if (!event || !record) continue;
        const own = parseRegisteredContent<{ model?: Partial<ModelSettings> }>(record).model;
        const from = servedBy(project.config, event, own).model;
        const next = requestInEnvironment(project.config, own, env);
        const recorded = recordedSettings(project.config, event, own);
        const settings = recorded ? changesBesidesModel(recorded.request, next) : [];
        if (from !== next.model || settings.length) out.push({ promptId, version: event.version, env, from, to: next.model, ...(recorded ? { servedKey: recorded.key } : {}), settings });
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
    // As the next deploy serves it, and (`baseline`) as served now where that has no run yet.
    await runEval({ cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, signal: ctx.signal, optionNames: ctx.optionNames, onProgress, refs: [ref], model: [p.to], baseline: p.env });
    const reader = openProjectRegistry(project, { readonly: true, env: ctx.env, clock: ctx.clock, signal: ctx.signal });
    try {
      const notes: string[] = [];
      const served = await storedOutcomes(reader, project, file, notes, undefined, p.from, p.servedKey, 'baseline');
      const next = await storedOutcomes(reader, project, file, notes, undefined, p.to);
      const rows = await compareOutcomes(project, ctx, [served.outcomes, next.outcomes], notes);
      const changes: ModelUpgrade['changes'] = { regression: 0, fix: 0, changed: 0, 'same-verdict': 0, identical: 0 };
      for (const r of rows) changes[r.change]++;
      const gate = await evaluateDeployGates(reader, project, file, p.env, false, { afterEval: true });
      const failures = gate.decision.failures.filter((c) => !judgesHistory(c));
      const { servedKey: _key, settings, ...upgrade } = p;
      out.push({
        ...upgrade,
        ...(settings.length ? { settings } : {}),
        changes,
        regressed: rows.filter((r) => r.change === 'regression').map((r) => `${r.suite}/${r.caseId}`),
        allowed: failures.length === 0,
        failures: failures.map(checkMessage),
      });
    } finally {
      await reader.close();
    }
  }
  return out;
}
