import { attackCategoryOf, expandAttacks, knownAttackSets } from '../attacks/expand.js';
import { collisionMessage, generatedCaseFindings, generatedIdCollisions } from '../attacks/generated-check.js';
import { ATTACK_CATEGORIES, type AttackPack } from '../attacks/pack-schema.js';
import { columnsOf } from '../dataset-rows.js';
import type { Problem } from '../errors.js';
import { HAND_WRITTEN } from '../eval/aggregate.js';
import type { EvalCase, EvalSet } from '../schemas/evalset.js';
import { didYouMean } from '../suggest.js';
import type { FieldPath, Position } from '../yaml-source.js';
import type { LintablePrompt } from './prompt-rules.js';
import type { LintableDataset } from './dataset-rules.js';

/**
 * Lint of what an adversarial suite's attacks make of it: the generated cases against each covered
 * version (generated-check.ts, the check eval's planning makes too), ids that a suite's own case
 * (inline or a `cases_from` row) shares with a generated case, and `category:` tags that name no
 * attack category (such a case would be counted as hand-written without a word).
 */

/** A suite as suite-rules.ts lints it (its LintableSuite). */
interface AttackSuite {
  file: string;
  data: EvalSet;
  locate: (path: FieldPath) => Position;
  dataset?: LintableDataset;
}

const OWN_CATEGORY = HAND_WRITTEN;
const CATEGORY_TAG = 'category:';

/** The generated cases of a suite, from the given packs; none when a name is unknown (suite/unknown-attack-set says so). */
function lintableGeneratedCases(s: Pick<AttackSuite, 'data'>, packs: readonly AttackPack[]): EvalCase[] {
  const d = s.data;
  if (d.kind !== 'adversarial' || !d.attacks?.length || !d.inject_into) return [];
  const known = knownAttackSets(packs);
  if (!d.attacks.every((a) => known.includes(a))) return [];
  return expandAttacks({ attacks: d.attacks, packs: [...packs], injectInto: d.inject_into, baseVars: d.base_vars ?? {} });
}

export function lintAttackRules(s: AttackSuite, covered: readonly LintablePrompt[], packs: readonly AttackPack[] | undefined): Problem[] {
  const out: Problem[] = [];
  const d = s.data;
  const at = (path: FieldPath, rule: string, message: string) => {
    const pos = s.locate(path);
    out.push({ file: s.file, line: pos.line, col: pos.col, field: path.join('.'), message, severity: 'error', rule });
  };
  const firstRow = s.dataset ? s.dataset.firstCase : d.cases.length;
  const rowProblem = (i: number, field: string, rule: string, message: string) => {
    out.push({ file: s.dataset!.file, line: s.dataset!.lines[i - firstRow]!, col: 1, field, message, severity: 'error', rule });
  };
  const generated = packs ? lintableGeneratedCases(s, packs) : [];

  const collisions = generatedIdCollisions(d.cases, generated);
  for (const c of collisions.filter((x) => x.index < firstRow)) at(['cases', c.index, 'id'], 'suite/duplicate-case-id', collisionMessage(c.id, d));
  const rows = collisions.filter((x) => x.index >= firstRow);
  if (rows.length) {
    const more = rows.length > 1 ? ` (${rows.length} rows of this file share ids with generated cases; the first is here)` : '';
    rowProblem(rows[0]!.index, columnsOf(d.cases_from!).id, 'suite/duplicate-case-id', `${collisionMessage(rows[0]!.id, d)}${more}`);
  }

  // Said once for every covered version that raises it, as suite-rules.ts does.
  const shared = new Map<string, { path: FieldPath; rule: string; message: (who: string) => string; versions: string[] }>();
  for (const v of covered) {
    for (const f of generatedCaseFindings(v.data, d, generated)) {
      // suite-rules.ts says these already, for inline cases too.
      if (f.rule === 'suite/undeclared-variable') continue;
      const key = `${f.rule}\u0000${f.path.join('\u0000')}\u0000${f.message('')}`;
      const entry = shared.get(key) ?? { ...f, versions: [] };
      entry.versions.push(v.version);
      shared.set(key, entry);
    }
  }
  for (const e of shared.values()) at(e.path, e.rule, e.message(`${d.prompt}@${e.versions.join(', ')}`));

  if (d.kind === 'adversarial') {
    // Per unknown category, its first row and how many rows carry it (a count, not a list: 40,000 rows).
    const unknownRows = new Map<string, { first: number; count: number }>();
    d.cases.forEach((c, i) => {
      (c.tags ?? []).forEach((tag, j) => {
        const category = unknownCategory(tag);
        if (category === undefined) return;
        if (i < firstRow) at(['cases', i, 'tags', j], 'suite/unknown-category', categoryMessage(category));
        else {
          const seen = unknownRows.get(category);
          if (seen) seen.count++;
          else unknownRows.set(category, { first: i, count: 1 });
        }
      });
    });
    for (const [category, { first, count }] of unknownRows) {
      const more = count > 1 ? ` (${count} rows; the first is here)` : '';
      rowProblem(first, columnsOf(d.cases_from!).tags, 'suite/unknown-category', `${categoryMessage(category)}${more}`);
    }
  }
  return out;
}

/** The category a `category:` tag names when it is no attack category (nor the suite's own), else undefined. */
function unknownCategory(tag: string): string | undefined {
  if (!tag.startsWith(CATEGORY_TAG)) return undefined;
  const category = tag.slice(CATEGORY_TAG.length);
  return category === OWN_CATEGORY || attackCategoryOf({ tags: [tag] }) !== undefined ? undefined : category;
}

function categoryMessage(category: string): string {
  const known = [...ATTACK_CATEGORIES, OWN_CATEGORY];
  return `tag "category:${category}" names no attack category: the case would be counted as ${OWN_CATEGORY}; ${didYouMean(category, known)}known: ${known.join(', ')}`;
}
