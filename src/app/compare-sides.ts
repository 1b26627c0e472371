import { escapeControlChars } from '../core/control-chars.js';
import { InputError } from '../core/errors.js';
import type { RunOutcome } from '../core/schemas/report.js';
import { runsWeightsChange } from '../core/served-weights.js';
import { sortVersionsDesc } from '../core/refs.js';
import { optionWithValue } from '../core/option-names.js';
import type { SuiteOption } from '../infra/eval/targets.js';
import type { ModelRef } from '../core/model-ref.js';
import { modelFor } from '../infra/eval/suite-target.js';
import { plainEvalModels } from '../infra/eval/model-matrix.js';
import { suitesFor } from '../infra/eval/targets.js';
import { resolveRegisteredVersion, versionsOf, type RegistryLookup } from '../infra/project-query.js';
import type { Project, PromptFile } from '../infra/project.js';

/**
 * The two sides of `compare`: each a version on a model, what the project says about the models
 * it compares on, and the suites both sides run (the only ones whose cases can be compared).
 */

/** One side of the comparison: a version on a model (its own unless `compare` named one). */
export interface Side {
  ref: ModelRef;
  file: PromptFile;
  model: string;
  /**
   * The `--model` an evaluation of this side names: the model named, or the side's model where a
   * plain eval would also run it on others (`server.models`), so compare asks only for what it compares.
   */
  evalOn?: string;
}

/**
 * Both sides, unnamed and unpinned, are compared on the configured model, while a plain eval also
 * runs them on the other models of `server.models`: each named, with the compare that shows it.
 */
export function otherMatrixModels(sides: readonly Side[], matrix: readonly string[] | undefined): string[] {
  if (!matrix || sides.some((s) => s.ref.model !== undefined || s.file.data.model?.model !== undefined)) return [];
  const on = sides[0]!.model;
  return matrix
    .filter((m) => m !== on)
    .map((m) => `compared on ${on}, the configured model; both versions also run on ${m} (server.models): promptctl compare ${sides.map((s) => `${s.ref.id}@${s.ref.version}:${m}`).join(' ')} compares them there`);
}

/**
 * The suites whose two runs were answered by other weights behind one model name (the deploy
 * gate's rule, core/served-weights.ts; unknown weights are never compared): each change named once,
 * with its suites, since a difference there may be the weights', not the version's. `labels`: the
 * sides as the comparison names them (`1.2.0:model`), `evalOn`: the `--model` an evaluation of them names.
 */
export function otherWeightsNotes(
  { promptId, versions, labels, evalOn }: { promptId: string; versions: readonly [string, string]; labels: readonly [string, string]; evalOn?: string | undefined },
  [sideA, sideB]: readonly [RunOutcome[], RunOutcome[]],
): string[] {
  const changes = new Map<string, { model: string; from: string; to: string; suites: string[] }>();
  for (const x of sideA) {
    const y = sideB.find((o) => o.run.suite === x.run.suite);
    const change = y && runsWeightsChange(x.run, y.run);
    if (!change) continue;
    const key = JSON.stringify([change.model, change.from, change.to]);
    const seen = changes.get(key) ?? { ...change, suites: [] };
    seen.suites.push(x.run.suite);
    changes.set(key, seen);
  }
  const [a, b] = labels.map((l) => `${promptId}@${l}`) as [string, string];
  return [...changes.values()].map((c) => {
    const suites = c.suites.map((s) => `'${s}'`).join(', ');
    const again = `promptctl eval ${versions.map((v) => `${promptId}@${v}`).join(' ')}${evalOn ? ` --model ${evalOn}` : ''}${c.suites.map((s) => ` --suite ${s}`).join('')} --no-cache`;
    return escapeControlChars(
      `${c.model} served other weights to the two sides (root ${c.from} for ${a}, root ${c.to} for ${b}; suite${c.suites.length > 1 ? 's' : ''} ${suites}): the differences may come from the weights, not the version; to compare the versions alone, evaluate both on the weights served now: ${again}`,
    );
  });
}

/** A side's model: the one named, unless the version pins another (the pin wins, as in eval). */
export async function sideOf(project: Project, ref: ModelRef, lookup: RegistryLookup): Promise<Side> {
  // A registered version whose file was deleted still has its content and stored runs; evaluating it is refused (eval's rule).
  const file = await resolveRegisteredVersion(project, ref, lookup, { registeredContent: true });
  const own = modelFor(project, file);
  const pin = file.data.model?.model;
  if (ref.model !== undefined && pin !== undefined && pin !== ref.model) {
    throw new InputError({
      message: `${ref.id}@${ref.version} pins model.model: ${pin}, so it never runs on ${ref.model}`,
      why: "a version's own model.model comes first: it runs on that model alone.",
      hint: `to try ${ref.model}, create the next version (promptctl new ${ref.id}) without the pin or pinning ${ref.model}.`,
    });
  }
  const model = ref.model ?? own;
  const plain = plainEvalModels(project, file.data.model);
  const evalOn = ref.model ?? (plain.length === 1 && plain[0] === model ? undefined : model);
  return { ref, file, model, ...(evalOn !== undefined ? { evalOn } : {}) };
}

/**
 * The suites both sides run (of `only`, when given): only their cases can be compared, so only
 * they are read or evaluated; each suite one side alone runs is named in a note. Two versions
 * that share no suite are refused before anything is evaluated: a comparison of no case would
 * pass, and evaluating their own suites would ask the server for nothing to compare.
 */
export function sharedSuites(project: Project, sides: readonly [Side, Side], labels: readonly [string, string], { only, optionNames }: SuiteOption, notes: string[]): string[] {
  const [ofA, ofB] = sides.map((s) => suitesFor(project, s.file, only).map((x) => x.name)) as [string[], string[]];
  const shared = ofA.filter((n) => ofB.includes(n));
  const id = sides[0].ref.id;
  if (!shared.length) {
    const runs = (label: string, names: string[]) => `${id}@${label} runs ${names.length ? names.join(', ') : 'none'}`;
    throw new InputError({
      message: `${id}@${labels[0]} and ${id}@${labels[1]} share no suite${only.length ? ` (with ${optionWithValue(optionNames, 'suite', only)})` : ''}, so no case can be compared`,
      why: `${runs(labels[0], ofA)}; ${runs(labels[1], ofB)}. A suite applies to a version when its \`versions\` range covers it.`,
      hint: `widen the versions range of a suite in evalsets/${id}/ to cover both, or compare versions that share one; promptctl eval shows each version's own results.`,
    });
  }
  for (const [label, own, other] of [[labels[0], ofA, ofB], [labels[1], ofB, ofA]] as const) {
    for (const suite of own) if (!other.includes(suite)) notes.push(`suite '${suite}' applies only to ${id}@${label}: its cases are not compared`);
  }
  return shared;
}

/**
 * One version compared with itself (`compare id@1.0.0 id@1.0.0`, `report id@1.0.0 id@1.0.0`): why
 * that shows nothing, and what to compare it with, the version beside it first. compare can also
 * put the version on two models; report reads one version's own runs by their id.
 */
export function sameVersionTwice(project: Project, id: string, version: string, command: 'compare' | 'report', other: string | null = versionsBeside(project, id, version)[0] ?? null): InputError {
  const all = versionsOf(project, id).map((v) => v.version);
  const compare = command === 'compare';
  const instead = compare
    ? `or one version on two models: promptctl compare ${id}@${version}:<old-model> ${id}@${version}:<new-model>`
    : "or one version's own runs: promptctl report <run or invocation id>";
  // `other`: for report, a version with stored runs (report never evaluates); null when none has them.
  const none = all.length > 1 && other === null ? `no other version of ${id} (${all.filter((v) => v !== version).join(', ')}) has stored runs: evaluate one (promptctl eval ${id}@<version>) and compare them; ${instead}.` : undefined;
  return new InputError({
    message: `${compare ? 'compare' : 'a comparison'} needs two different versions, got ${version} twice`,
    why: compare
      ? 'compare shows how two versions answer the same cases; a version against itself on one model has nothing to show.'
      : "a report of two versions shows how each answered the same cases in its stored runs; a version against itself has nothing to show.",
    hint: none ?? (other === null
      ? `${version} is the only version of ${id}: create the next one (promptctl new ${id})${compare ? '' : ', evaluate both,'} and compare them; ${instead}.`
      : `compare it with another version (${id} has ${all.join(', ')}): promptctl ${command} ${olderFirst(other, version).map((v) => `${id}@${v}`).join(' ')}; ${instead}.`),
  });
}

/** The other versions of `id`, the one it was made from first (the next one down, else the one above), then the rest newest first. */
export function versionsBeside(project: Project, id: string, version: string): string[] {
  const all = versionsOf(project, id).map((v) => v.version);
  const at = all.indexOf(version);
  const first = at === -1 ? all[0] : (all[at + 1] ?? all[at - 1]);
  return first === undefined ? [] : [first, ...all.filter((v) => v !== first && v !== version)];
}

/** Two versions in the order compare reads them, the older first: a regression is then the newer one's. */
const olderFirst = (a: string, b: string): string[] => sortVersionsDesc([a, b]).reverse();
