import { InputError } from '../core/errors.js';
import { parseModelRef, secondSide, type ModelRef } from '../core/model-ref.js';
import type { Project } from '../infra/project.js';

/**
 * The two versions `promptctl report <a> <b>` compares, read as `compare` reads its sides
 * (`id@version`, shorthand for the second, `:model` parsed by core/model-ref.ts). A report pairs
 * each version's runs on its configured model, so a side that names a model is refused, saying
 * what shows the comparison on models instead.
 */
export function reportedVersions(project: Project, refs: string[]): { a: ModelRef; b: ModelRef } {
  // Two words, neither a version nor a prompt id: run or invocation ids, of which report takes one.
  if (!refs.some((r) => r.includes('@') || project.prompts.some((p) => p.id === r))) {
    throw new InputError({ message: `report takes one run or invocation id, got two (${refs.join(', ')})`, hint: `write one report per run: promptctl report ${refs[0]} -o report.html; or two versions to compare: promptctl report <id>@<a> <id>@<b>.` });
  }
  const a = parseModelRef(refs[0]!, { requireVersion: true });
  const b = secondSide(a, refs[1]!);
  if (a.id !== b.id) throw new InputError({ message: `a comparison needs two versions of one prompt, got ${a.id} and ${b.id}` });
  const named = [a, b].filter((r) => r.model !== undefined);
  if (named.length) {
    const first = named[0]!;
    throw new InputError({
      message: `report takes no model (${named.map((r) => `${r.id}@${r.version}:${r.model}`).join(', ')}): it compares two versions, each on its configured model`,
      why: "a report of two versions pairs each version's stored runs on the model .promptrc.yaml (or the version's model.model) gives it; it does not put the runs of other models side by side.",
      hint: `compare on the models named with: promptctl compare ${refs.join(' ')}; or, for one side's HTML report, run promptctl eval ${first.id}@${first.version} --model ${first.model} and then promptctl report (its latest invocation).`,
    });
  }
  return { a, b };
}
