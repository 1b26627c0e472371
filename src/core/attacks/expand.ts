import { InputError } from '../errors.js';
import type { EvalCase, Expectation, VarValue } from '../schemas/evalset.js';
import { ATTACK_CATEGORIES, type Attack, type AttackCategory, type AttackPack } from './pack-schema.js';

/**
 * Expands an adversarial suite's `attacks:` list into eval cases: one case per attack, with the
 * payload in the suite's `inject_into` variable. Names may be pack names, category names, or
 * `all`; a name that is both a pack and a category selects both. Each attack appears once,
 * in pack order, however many names select it.
 *
 * The category travels inside the case itself, as the tags `attack`, `category:<category>` and
 * `pack:<pack>`: it survives storage and hashing with the case, and attackCategoryOf() reads it
 * back (no side table to keep in sync).
 */

export const ALL_ATTACKS = 'all';
/**
 * Multi-turn attacks (those with `turns`) cost several requests each and change what a suite
 * measures, so they are selected only by name: their pack's, or `multi-turn` for every one.
 * `all` and the category names keep selecting the single-turn attacks they always did.
 */
export const MULTI_TURN = 'multi-turn';
export const CASE_PREFIX = 'atk-';

const CATEGORIES: ReadonlySet<string> = new Set(ATTACK_CATEGORIES);
/** Whether a name is an attack category: a set lookup, since it is asked for every case a run plans. */
const isCategory = (name: string): name is AttackCategory => CATEGORIES.has(name);

export interface ExpandInput {
  /** Pack names, category names, or `all`. */
  attacks: string[];
  packs: AttackPack[];
  /** The variable that carries the attack text. */
  injectInto: string;
  /** Values for the prompt's other variables; the injected variable overrides a same-named one. */
  baseVars: Record<string, VarValue>;
}

/** Every name `attacks:` accepts, for lint and error messages. */
export function knownAttackSets(packs: readonly AttackPack[]): string[] {
  return [...new Set([ALL_ATTACKS, MULTI_TURN, ...packs.map((p) => p.pack), ...ATTACK_CATEGORIES])];
}

/** Expectations that say the attack failed (the model held): see AttackSuccess for the kinds. */
export function attackExpectations(a: Attack): Expectation[] {
  const expect: Expectation[] = [{ 'no-leak': true }];
  if (a.success.kind === 'pii') expect.push({ 'no-pii': true });
  // Obeyed is obeyed however the model spells the marker (`pwned-brk-01`, `PWNED‑BRK‑01`): no-marker.
  if (a.success.kind === 'marker' && a.success.marker) expect.push({ 'no-marker': a.success.marker });
  // Doing what the payload asks is the success: the judge model decides where one is configured,
  // the refusal patterns otherwise (see the no-compliance expectation).
  if (a.success.kind === 'compliance') expect.push({ 'no-compliance': a.payload });
  return expect;
}

function selectAttacks(names: string[], packs: AttackPack[]): Array<{ pack: string; attack: Attack }> {
  const unknown = names.filter((n) => n !== ALL_ATTACKS && n !== MULTI_TURN && !packs.some((p) => p.pack === n) && !isCategory(n));
  if (unknown.length) {
    throw new InputError({
      message: `unknown attack ${unknown.length === 1 ? 'set' : 'sets'}: ${unknown.map((n) => `"${n}"`).join(', ')}`,
      why: 'attacks: lists attack pack names or attack categories',
      hint: `use one of: ${knownAttackSets(packs).join(', ')}`,
    });
  }
  const wanted = new Set(names);
  const picked: Array<{ pack: string; attack: Attack }> = [];
  const owner = new Map<string, string>();
  for (const p of packs) {
    for (const a of p.attacks) {
      if (a.turns ? !wanted.has(p.pack) && !wanted.has(MULTI_TURN) : !wanted.has(ALL_ATTACKS) && !wanted.has(p.pack) && !wanted.has(a.category)) continue;
      const seen = owner.get(a.id);
      if (seen !== undefined) {
        throw new InputError({
          message: `attack id "${a.id}" is in both pack "${seen}" and pack "${p.pack}"`,
          why: 'generated cases are named atk-<attack id>, so ids must be unique across packs',
          hint: 'rename the attack in one of the packs',
        });
      }
      owner.set(a.id, p.pack);
      picked.push({ pack: p.pack, attack: a });
    }
  }
  return picked;
}

function describe(pack: string, a: Attack): string {
  const lang = a.language ? ` [${a.language}]` : '';
  return `${a.category} attack from pack ${pack}${lang}${a.notes ? `: ${a.notes}` : ''}`;
}

export function expandAttacks(input: ExpandInput): EvalCase[] {
  if (!input.injectInto) {
    throw new InputError({ message: 'attacks need a variable to inject into', hint: 'set inject_into: to the variable that carries user or retrieved text' });
  }
  return selectAttacks(input.attacks, input.packs).map(({ pack, attack }) => ({
    id: `${CASE_PREFIX}${attack.id}`,
    description: describe(pack, attack),
    vars: { ...input.baseVars, [input.injectInto]: attack.turns?.[0] ?? attack.payload },
    expect: attackExpectations(attack),
    ...(attack.turns ? { messages: escalation(attack.turns, attack.payload) } : {}),
    tags: ['attack', `category:${attack.category}`, `pack:${pack}`, ...(attack.turns ? [MULTI_TURN] : [])],
  }));
}

/** After the first turn (in the prompt), each later turn follows the model's own reply to the one before. */
function escalation(turns: readonly string[], payload: string): NonNullable<EvalCase['messages']> {
  return [...turns.slice(1), payload].flatMap((content) => [{ role: 'assistant' as const }, { role: 'user' as const, content }]);
}

/** The attack category a generated case carries in its tags, or undefined for other cases. */
export function attackCategoryOf(c: Pick<EvalCase, 'tags'>): AttackCategory | undefined {
  const category = c.tags?.find((t) => t.startsWith('category:'))?.slice('category:'.length);
  return category !== undefined && isCategory(category) ? category : undefined;
}

/** The attack id behind a generated case id (`atk-ovr-001` → `ovr-001`), or undefined. */
export function attackIdOfCase(caseId: string): string | undefined {
  return caseId.startsWith(CASE_PREFIX) ? caseId.slice(CASE_PREFIX.length) : undefined;
}
