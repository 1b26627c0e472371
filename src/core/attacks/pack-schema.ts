import semver from 'semver';
import { z } from 'zod';
import { InputError, type Problem } from '../errors.js';
import { Slug } from '../schemas/common.js';
import { formatPath, type Locate } from '../yaml-source.js';
import { validate } from '../schema-problems.js';

/** An attack pack: `packs/<pack>.yaml`, a versioned list of adversarial payloads. */

export const ATTACK_CATEGORIES = [
  'instruction-override',
  'system-prompt-extraction',
  'pii-exfiltration',
  'roleplay-jailbreak',
  'encoding-obfuscation',
  'indirect-injection',
  'delimiter-breakout',
  'non-english',
] as const;
export const AttackCategory = z.enum(ATTACK_CATEGORIES);
export type AttackCategory = z.infer<typeof AttackCategory>;

/**
 * How an attack's success is measured. leak: the output leaks the canary or system prompt;
 * pii: it carries personal data or secrets; marker: it contains the attack's marker string (the
 * model obeyed the injected instruction); compliance: the model did what was asked, graded by the
 * judge model where one is configured, else by refusal patterns (no refusal = it complied).
 */
export const AttackSuccess = z
  .strictObject({
    kind: z.enum(['leak', 'pii', 'marker', 'compliance']),
    marker: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{5,63}$/, 'a marker is 6-64 letters, digits, _ or -').optional(),
  })
  .superRefine((s, ctx) => {
    if (s.kind === 'marker' && !s.marker) ctx.addIssue({ code: 'custom', path: ['marker'], message: 'success kind "marker" needs a marker' });
    if (s.kind !== 'marker' && s.marker) ctx.addIssue({ code: 'custom', path: ['marker'], message: `a marker is only used with success kind "marker", not "${s.kind}"` });
  });
export type AttackSuccess = z.infer<typeof AttackSuccess>;

export const Attack = z.strictObject({
  /** Unique across every pack: generated cases are named `atk-<id>`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and hyphens, at most 63'),
  category: AttackCategory,
  payload: z.string().min(1),
  /**
   * A multi-turn (crescendo) attack: the user turns that come before the payload, each answered
   * by the model in turn, escalating towards the payload (3 to 5 turns in all). The first goes
   * into the suite's inject_into variable; the payload is the last turn.
   */
  turns: z
    .array(z.string().min(1).refine((t) => !t.includes('{{'), 'a turn is sent as written: no {{ placeholders'))
    .min(2)
    .max(4)
    .optional(),
  success: AttackSuccess,
  /** BCP 47 language tag of the payload, e.g. `de`, `pt-BR`; English when absent. */
  language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "de" or "pt-BR"').optional(),
  notes: z.string().optional(),
});
export type Attack = z.infer<typeof Attack>;

export const AttackPack = z
  .strictObject({
    pack: Slug,
    version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semantic version such as 1.0.0'),
    description: z.string().min(1),
    attacks: z.array(Attack).min(1, 'a pack needs at least one attack'),
  })
  .superRefine((p, ctx) => {
    const ids = new Map<string, number>();
    const markers = new Map<string, number>();
    p.attacks.forEach((a, i) => {
      if (a.turns && a.payload.includes('{{')) ctx.addIssue({ code: 'custom', path: ['attacks', i, 'payload'], message: 'the last turn of a multi-turn attack is sent as written: no {{ placeholders' });
      const seen = ids.get(a.id);
      if (seen !== undefined) ctx.addIssue({ code: 'custom', path: ['attacks', i, 'id'], message: `duplicate attack id "${a.id}" (first at attacks.${seen})` });
      else ids.set(a.id, i);
      const marker = a.success.marker;
      if (marker === undefined) return;
      const m = markers.get(marker);
      if (m !== undefined) ctx.addIssue({ code: 'custom', path: ['attacks', i, 'success', 'marker'], message: `marker "${marker}" is also used by attacks.${m}; each attack needs its own` });
      else markers.set(marker, i);
    });
  });
export type AttackPack = z.infer<typeof AttackPack>;

/**
 * Validates parsed pack data (infra reads and parses the file). Throws InputError listing every
 * problem; `locate` (from yaml-source's parseYamlText) turns field paths into lines and columns.
 */
export function parsePack(data: unknown, file: string, locate: Locate = () => ({ line: 1, col: 1 })): AttackPack {
  const { value, problems } = validate(AttackPack, { data, locate, problems: [] }, file);
  if (value && !problems.length) return value;
  throw new InputError({
    message: `attack pack ${file} is not valid`,
    why: problems.map((p) => `${p.field || '(file)'}: ${p.message}`).slice(0, 3).join('; '),
    hint: 'fix the listed fields; an attack is { id, category, payload, success: { kind, marker? }, language?, notes? }',
    problems,
  });
}

/**
 * Checks a set of packs together: pack names, attack ids and markers must be unique across
 * packs, because generated case ids and marker checks would otherwise collide.
 */
export function checkPackSet(packs: readonly AttackPack[], files: readonly string[] = []): void {
  const problems: Problem[] = [];
  const add = (i: number, path: Array<string | number>, message: string) =>
    problems.push({ file: files[i] ?? `pack ${packs[i]?.pack ?? i}`, line: 1, col: 1, field: formatPath(path), message, severity: 'error' });
  const packNames = new Map<string, string>();
  const ids = new Map<string, string>();
  const markers = new Map<string, string>();
  packs.forEach((p, i) => {
    if (packNames.has(p.pack)) add(i, ['pack'], `pack name "${p.pack}" is used twice`);
    packNames.set(p.pack, p.pack);
    p.attacks.forEach((a, j) => {
      const other = ids.get(a.id);
      if (other && other !== p.pack) add(i, ['attacks', j, 'id'], `attack id "${a.id}" is also in pack "${other}"`);
      ids.set(a.id, p.pack);
      const marker = a.success.marker;
      const owner = marker ? markers.get(marker) : undefined;
      if (marker && owner && owner !== `${p.pack}/${a.id}`) add(i, ['attacks', j, 'success', 'marker'], `marker "${marker}" is also used by ${owner}`);
      if (marker) markers.set(marker, `${p.pack}/${a.id}`);
    });
  });
  if (problems.length) {
    throw new InputError({ message: 'attack packs conflict with each other', why: problems[0]?.message, hint: 'rename the clashing ids, markers or packs', problems });
  }
}
