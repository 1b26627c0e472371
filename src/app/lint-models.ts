import type { Problem } from '../core/errors.js';
import { closestName } from '../core/suggest.js';
import { formatPath } from '../core/yaml-source.js';
import { modelInEnvironment } from '../infra/environment-model.js';
import { matrixOf, withModels } from '../infra/eval/model-matrix.js';
import { suitesFor } from '../infra/eval/targets.js';
import type { ModelClient } from '../infra/model/types.js';
import type { Project } from '../infra/project.js';
import { modelsOf } from './eval-targets.js';
import { settingsNaming } from './unserved-model.js';

/**
 * `lint --server`: every model the project would send requests to, checked against the models the
 * server serves, so a misspelt `defaults.model` fails lint rather than the eval or deploy after it.
 */

/**
 * The models eval and deploy send to, by their own rules: each version on the models a plain eval
 * runs it on with its suites' judges (eval's modelsOf over the model matrix), and on each
 * environment's model (the one precedence a deploy serves by).
 */
export function modelsSentTo(project: Project): Set<string> {
  const targets = withModels(project, project.prompts.map((version) => ({ version, suites: suitesFor(project, version) })), matrixOf(project, []));
  const models = modelsOf(project, targets);
  for (const e of project.config.environments) {
    if (e.model !== undefined) for (const v of project.prompts) models.add(modelInEnvironment(project.config, v.data.model, e.name));
  }
  return models;
}

/** An error at each setting naming a model of `sent` (modelsSentTo) that `served` (what the server lists) leaves out. */
export function unservedModelProblems(project: Project, sent: ReadonlySet<string>, served: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const model of sent) {
    if (served.includes(model)) continue;
    const near = closestName(model, served);
    const message = `the server does not serve "${model}", which eval and deploy would send requests to (it serves ${served.length ? served.join(', ') : 'no model'})${near ? `; did you mean "${near}"?` : ''}`;
    for (const s of settingsNaming(project, model)) {
      const at = s.locate(s.at);
      problems.push({ file: s.file, line: at.line, col: at.col, field: formatPath(s.at), severity: 'error', rule: 'model/not-served', message });
    }
  }
  return problems;
}

/**
 * The server's models, asked with a model the project sends to: a model it does not serve (even
 * server.model) is an error at the setting naming it (lint-models.ts), not a stop; a server that
 * cannot be reached or refuses the key still stops (exit 3).
 */
export async function preflightSentTo(client: ModelClient, project: Project, sent: ReadonlySet<string>, signal: AbortSignal | undefined): Promise<{ models: string[]; warnings?: string[] }> {
  // Loaded with the client, as from-config.js is: plain lint never needs the HTTP stack.
  const { ModelNotServedError } = await import('../infra/model/preflight.js');
  let notServed: InstanceType<typeof ModelNotServedError> | undefined;
  for (const model of sent.size ? sent : [project.config.server.model]) {
    try {
      return await client.preflight(model, signal);
    } catch (error) {
      if (!(error instanceof ModelNotServedError)) throw error;
      notServed = error;
    }
  }
  return { models: [...notServed!.served] };
}
