import { InputError } from '../core/errors.js';
import { takesEveryWord } from '../core/list-options.js';
import { HAND_WRITTEN } from '../core/eval/aggregate.js';
import { isSelecting, selectCaseIds, unmatchedCasePatterns, type Selection } from '../core/eval/select.js';
import { optionName, optionWithValue, type OptionNames } from '../core/option-names.js';
import { closestName } from '../core/suggest.js';
import { CASE_PREFIX } from '../core/attacks/expand.js';
import { suiteCases } from '../infra/eval/suite-target.js';
import type { SessionTarget } from '../infra/eval/session-plan.js';

/**
 * `eval --case/--tag/--sample`: each target narrowed to the selected cases of its suites (within
 * what `--filter-failing` left, when both are given). A run that leaves cases out is partial:
 * recorded and shown as such, never a tested mark; one whose selection keeps every case is the
 * whole suite. Suites with no selected case are left out; a selection that keeps no case at all is
 * exit 2.
 */
export function selectTargets(
  targets: SessionTarget[],
  sel: Selection,
  names: OptionNames,
  /** `checked`: the selection was already checked against every case (--filter-failing, eval-targets.ts): keeping none is no error, only nothing to run. */
  o: { checked?: boolean } = {},
): SessionTarget[] {
  if (!isSelecting(sel)) return targets;
  const [tagOption, caseOption] = [optionName(names, 'tag'), optionName(names, 'case')];
  // Only the command line reads the versions after a list flag as its values: advice for it alone.
  const flags = names === 'flags';
  const out: SessionTarget[] = [];
  const seenTags = new Set<string>();
  const seenIds = new Set<string>();
  // Where the ids are: no command lists a suite's case ids, its file does (`id:` of each case).
  const files = new Set<string>();
  let attacks = false;
  for (const t of targets) {
    const only = new Map<string, Set<string>>();
    const kept = new Set<string>();
    for (const s of t.suites) {
      const before = t.onlyCases?.get(s.name);
      // An attack case is also tagged by its bare category (`--tag pii-exfiltration`, as the attack
      // table names it: a suite's own cases are `hand-written`), first, so `--sample` draws from
      // each category in proportion.
      const categoryOf = (c: { category?: string }) => c.category ?? (s.data.kind === 'adversarial' ? HAND_WRITTEN : undefined);
      const all = suiteCases(s).map((c) => {
        const category = categoryOf(c);
        return { id: c.case.id, tags: [...new Set([...(category ? [category] : []), ...(c.case.tags ?? [])])] };
      });
      const cases = before ? all.filter((c) => before.has(c.id)) : all;
      files.add(s.file);
      attacks ||= s.data.kind === 'adversarial';
      // Every id and tag of the suite, failing or not: --filter-failing narrows, but a tag only
      // passing cases carry is still a tag, not a typo (as a pattern is still an id).
      for (const c of all) {
        seenIds.add(c.id);
        for (const tag of c.tags) seenTags.add(tag);
      }
      const ids = selectCaseIds(cases, sel, `${t.version.id}/${s.name}`);
      if (!ids.length) continue;
      kept.add(s.name);
      // A selection that leaves out no case of the suite (`--sample` at or above its size, a glob
      // matching every id) runs the whole suite: a full run, which counts as one.
      if (before || new Set(ids).size < cases.length) only.set(s.name, new Set(ids));
    }
    const suites = t.suites.filter((s) => kept.has(s.name));
    if (suites.length) out.push({ ...t, suites, onlyCases: only.size ? only : undefined });
  }
  if (o.checked) return out;
  // One tag of several that no case has would narrow the run without a word (a typo, or a version
  // taken for a tag: --tag takes every word after it).
  const unknown = sel.tags.filter((tag) => !seenTags.has(tag));
  if (unknown.length && out.length) {
    throw new InputError({
      message: `no case has ${unknown.length === 1 ? 'the tag' : 'the tags'} ${unknown.map((t) => `"${t}"`).join(', ')} (${tagOption})`,
      why: flags ? takesEveryWord(tagOption, 'a tag') : undefined,
      hint: `${tagSuggestions(unknown, seenTags, names)}check the tags in the suites (attack cases: their category)${flags ? `; put the versions to evaluate before ${tagOption}` : ''}`,
    });
  }
  // Likewise an id or glob of several that matches no case.
  const unmatched = unmatchedCasePatterns(sel.cases, seenIds);
  if (unmatched.length && out.length) {
    throw new InputError({
      message: `no case matches ${unmatched.map((c) => `"${c}"`).join(', ')} (${caseOption})`,
      why: flags ? takesEveryWord(caseOption, 'a case id') : undefined,
      hint: `${caseSuggestions(unmatched, seenIds, names)}check the ids (globs: * and ?): ${caseIdsAt(files, attacks)}${flags ? `; put the versions to evaluate before ${caseOption}` : ''}`,
    });
  }
  if (!out.length) {
    const asked = flags
      ? [...sel.cases.map((c) => `--case ${c}`), ...sel.tags.map((t) => `--tag ${t}`)].join(' ')
      : (['case', 'tag'] as const).filter((k) => sel[`${k}s`].length).map((k) => optionWithValue(names, k, sel[`${k}s`])).join(', ');
    const meant = `${caseSuggestions(unmatched, seenIds, names)}${tagSuggestions(unknown, seenTags, names)}`;
    throw new InputError({ message: `no case matches ${asked || 'the selection'}`, hint: `${meant}check the ids (globs: * and ?) and the tags in the suites: ${caseIdsAt(files, attacks)}` });
  }
  return out;
}

/** `did you mean …? `, for case ids no case has that are close to one (a typo); a glob is no typo. */
function caseSuggestions(unmatched: readonly string[], seen: ReadonlySet<string>, names: OptionNames): string {
  const known = [...seen];
  const meant = unmatched.flatMap((id) => {
    const close = /[*?]/.test(id) ? undefined : closestName(id, known);
    return close === undefined ? [] : [optionWithValue(names, 'case', [close])];
  });
  return meant.length ? `did you mean ${meant.join(', ')}? ` : '';
}

/** Where a suite's case ids are written: the `id:` of each case in its file; an attack case's is `atk-<attack id>`, as eval's results name it. */
function caseIdsAt(files: ReadonlySet<string>, attacks: boolean): string {
  const where = files.size ? ` in ${[...files].join(', ')}` : ' in the suite files';
  return `a case's id is its \`id:\`${where}${attacks ? `; an attack case's is ${CASE_PREFIX}<attack id>, as eval's results name it` : ''}`;
}

/**
 * `did you mean …? `, for tags no case has: a pack's name as the suite's `attacks:` lists it
 * (`pii-exfil`) is the tag `pack:pii-exfil` of its attack cases; otherwise a close tag (a typo).
 */
function tagSuggestions(unknown: readonly string[], seen: ReadonlySet<string>, names: OptionNames): string {
  const known = [...seen];
  const meant = unknown.flatMap((tag) => {
    if (seen.has(`pack:${tag}`)) return [`${optionWithValue(names, 'tag', [`pack:${tag}`])} (the attack cases of the pack ${tag})`];
    const close = closestName(tag, known);
    return close === undefined ? [] : [optionWithValue(names, 'tag', [close])];
  });
  return meant.length ? `did you mean ${meant.join(', ')}? ` : '';
}
