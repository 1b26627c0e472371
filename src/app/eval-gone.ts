import { InputError } from '../core/errors.js';
import { byCodeUnits } from '../core/order.js';
import { everySuiteGone, isRetired, type SuiteGoneFrom } from '../core/gone-suites.js';
import { suiteFileOf } from '../core/refs.js';
import { activesAsServed, goneSuites, suitesHereIn } from '../infra/gone-suites.js';
import { modelFor } from '../infra/eval/suite-target.js';
import { suitesFor } from '../infra/eval/targets.js';
import type { Project, PromptFile } from '../infra/project.js';
import { fromCwdField } from '../infra/real-path.js';
import type { Registry } from '../infra/registry/types.js';

/**
 * Before eval's "no suite applies" refusal (infra/eval/targets.ts `requireSuites`, exit 2): versions
 * it would refuse whose prompt's suites are gone, retired or missing and known to the registry (the
 * gate's rule, infra/gone-suites.ts), are refused naming them and the ways on instead, still exit 2.
 * With --suite the names given decide, as before; a suite nobody recorded or retired is not known.
 */
export async function refuseEverySuiteGone(project: Project, reader: () => Registry, versions: readonly PromptFile[], opts: { suite: string[]; model: string[]; named: boolean }): Promise<void> {
  if (opts.suite.length) return;
  const bare = versions.filter((v) => !suitesFor(project, v).length);
  // requireSuites refuses when a named version has no suite, or when no version has one.
  if (!bare.length || (!opts.named && bare.length < versions.length)) return;
  const envs = project.config.environments.map((e) => e.name);
  const gone = new Map<string, SuiteGoneFrom>();
  const refs: string[] = [];
  for (const v of bare) {
    const here = suitesHereIn(project, v.id);
    // Retired deliberately: gone whether or not the registry recorded anything of it.
    for (const entry of project.config.retired_suites.filter((e) => e.startsWith(`${v.id}/`))) {
      const suite = entry.slice(v.id.length + 1);
      const file = suiteFileOf(v.id, suite);
      if (!here.here.has(suite)) gone.set(entry, { promptId: v.id, suite, file, ...fromCwdField(project, file), retired: true });
    }
    const registry = reader();
    const actives = await activesAsServed(registry, project.config, v.id, envs);
    // The models it would run on: its own, and any --model asked for (its runs are per model).
    for (const model of new Set([modelFor(project, v), ...opts.model])) {
      for (const g of await goneSuites(registry, here, v, model, actives, { log: false })) {
        gone.set(`${v.id}/${g.suite}`, { promptId: v.id, suite: g.suite, file: g.file, ...fromCwdField(project, g.file), retired: isRetired(project.config.retired_suites, v.id, g.suite) });
      }
    }
    // Another version of the same prompt names the same suites: it is still one whose suites are gone.
    if ([...gone.values()].some((g) => g.promptId === v.id)) refs.push(`${v.id}@${v.version}`);
  }
  if (!refs.length) return;
  throw new InputError(everySuiteGone(refs, [...gone.values()].sort((a, b) => byCodeUnits(`${a.promptId}/${a.suite}`, `${b.promptId}/${b.suite}`))));
}
