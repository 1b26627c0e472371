import { attackCategoryOf, expandAttacks } from '../../core/attacks/expand.js';
import { checkPackSet, parsePack, type AttackPack } from '../../core/attacks/pack-schema.js';
import type { EvalCase } from '../../core/schemas/evalset.js';
import { readPackFiles } from '../attack-packs.js';
import { readCompiledPacks } from '../compiled-packs.js';
import type { SuiteFile } from '../project.js';

/** Expands a suite's `attacks:` from the packs shipped with promptctl. */

let packs: AttackPack[] | undefined;

export function shippedPacks(): AttackPack[] {
  packs ??= readCompiledPacks() ?? parseShippedPacks();
  return packs;
}

/** Reads, validates and checks packs/*.yaml; the build stores the result (infra/compiled-packs.ts). */
export function parseShippedPacks(): AttackPack[] {
  const files = readPackFiles();
  const parsed = files.map((f) => parsePack(f.data, f.file, f.locate));
  checkPackSet(parsed, files.map((f) => f.file));
  return parsed;
}

export function expandSuiteAttacks(s: SuiteFile): Array<{ case: EvalCase; category: string }> {
  if (!s.data.attacks?.length || !s.data.inject_into) return [];
  const cases = expandAttacks({ attacks: s.data.attacks, packs: shippedPacks(), injectInto: s.data.inject_into, baseVars: s.data.base_vars ?? {} });
  return cases.map((c) => ({ case: c, category: attackCategoryOf(c) ?? 'unknown' }));
}

/** What lint needs of the shipped packs: the packs `attacks:` expands from (and whose names it may use). */
export function attackLintOptions(): { attackPacks: AttackPack[] } {
  return { attackPacks: shippedPacks() };
}
