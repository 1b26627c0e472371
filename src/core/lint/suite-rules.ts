import semver from 'semver';
import type { Problem } from '../errors.js';
import type { EvalSet } from '../schemas/evalset.js';
import type { FieldPath, Locate } from '../yaml-source.js';
import { lintDatasetCases, lintDatasetExpectations, type LintableDataset } from './dataset-rules.js';
import type { LintablePrompt } from './prompt-rules.js';
import { lintDatasetSchemas, lintSuiteSchemas } from './schema-rules.js';
import type { SchemaEngine } from '../scoring/json-schema.js';
import { versionsCovered } from '../suite-versions.js';
import { turnProblems } from '../eval/conversation.js';
import { checkValues } from '../template.js';
import { ownValue } from '../own-key.js';
import type { AttackPack } from '../attacks/pack-schema.js';
import { lintAttackRules } from './attack-rules.js';
import { cannotFailWarnings } from './cannot-fail.js';
import { expectationWarnings } from './expectation-rules.js';
import { knownAttackSets } from '../attacks/expand.js';
import { writtenNumberProblems } from './written-numbers.js';

/** Lint rules for one eval set, checked against the prompt versions it applies to. */

export interface LintableSuite {
  promptId: string;
  name: string;
  file: string;
  data: EvalSet;
  locate: Locate;
  /** The cases from `data.cases[dataset.firstCase]` on were read from a data file. */
  dataset?: LintableDataset;
}

export interface SuiteLintContext {
  prompts: LintablePrompt[];
  /** Prompts with a version file that failed to load (the loader reports it): their missing versions say nothing of the suite. */
  unloadedPrompts?: ReadonlySet<string>;
  /** Names of attack packs and categories that `attacks:` may use; by default those of `attackPacks`. */
  knownAttackSets?: string[];
  /** The packs `attacks:` expands from: given, the generated cases are checked as eval plans them (attack-rules.ts). */
  attackPacks?: readonly AttackPack[];
  /** The JSON Schema engine, built on first need: schemas are compiled at lint time (schema-rules.ts). */
  schemas?: () => SchemaEngine;
  /** Only errors are wanted (eval's and deploy's sound-files gate): a warning is not located, which parses a large file's positions. */
  errorsOnly?: boolean;
}

export function lintSuite(s: LintableSuite, ctx: SuiteLintContext): Problem[] {
  const out: Problem[] = [];
  const emit = (severity: Problem['severity'], rule: string, path: FieldPath, message: string, at?: number) => {
    if (severity === 'warning' && ctx.errorsOnly) return;
    const pos = s.locate(path, at);
    out.push({ file: s.file, line: pos.line, col: pos.col, field: path.join('.'), message, severity, rule });
  };
  const d = s.data;
  const versions = ctx.prompts.filter((p) => p.id === d.prompt);
  const unloaded = ctx.unloadedPrompts?.has(d.prompt) === true;
  if (!versions.length && !unloaded) {
    emit('error', 'suite/unknown-prompt', ['prompt'], `prompt "${d.prompt}" has no versions under prompts/${d.prompt}/`);
  }
  let covered: LintablePrompt[] = [];
  if (semver.validRange(d.versions) === null) {
    emit('error', 'suite/invalid-range', ['versions'], `"${d.versions}" is not a valid semver range (e.g. ">=1.0.0 <2.0.0" or "^1.2.0")`);
  } else if (versions.length) {
    const hit = new Set(versionsCovered(d, versions.map((v) => v.version)));
    covered = versions.filter((v) => hit.has(v.version));
    if (!covered.length && !unloaded) {
      emit('error', 'suite/range-matches-nothing', ['versions'], `range "${d.versions}" matches none of ${d.prompt}'s versions (${versions.map((v) => v.version).join(', ')})`);
    }
  }

  // Dataset rows are checked apart (their ids by the loader, their variables once per column).
  const inline = s.dataset ? d.cases.slice(0, s.dataset.firstCase) : d.cases;
  const seen = new Map<string, number>();
  inline.forEach((c, i) => {
    const first = seen.get(c.id);
    // Named as its field is (cases.<i>, counted from 0) and by its line: "case 1" read as cases.1, the other case.
    if (first !== undefined) emit('error', 'suite/duplicate-case-id', ['cases', i, 'id'], `case id "${c.id}" is already used by cases.${first} (line ${s.locate(['cases', first, 'id']).line}): give each case its own id`);
    else seen.set(c.id, i);
  });

  inline.forEach((c, i) => c.expect.forEach((e, j) => {
    for (const w of expectationWarnings(e)) emit('warning', w.rule, ['cases', i, 'expect', j, ...w.path], w.message);
  }));
  // A row's expectations, as filled in, get the same warnings, at its line of the data file.
  if (s.dataset && d.cases_from && !ctx.errorsOnly) out.push(...lintDatasetExpectations(s.dataset, d.cases, d.cases_from));

  if (!d.cases.length && !d.attacks?.length) emit('error', 'suite/empty', ['cases'], 'the suite has no cases (and no attacks)');
  for (const w of cannotFailWarnings(d)) emit('warning', 'suite/cannot-fail', w.path, w.message);

  if (d.attacks?.length) {
    if (d.kind !== 'adversarial') emit('error', 'suite/attacks-need-adversarial', ['attacks'], 'attacks can only be used in a suite with kind: adversarial');
    if (!d.inject_into) emit('error', 'suite/missing-inject-into', ['attacks'], 'attacks need inject_into: the variable that carries the attack text');
    const known = ctx.knownAttackSets ?? (ctx.attackPacks ? knownAttackSets(ctx.attackPacks) : undefined);
    if (known) {
      d.attacks.forEach((a, i) => {
        if (!known.includes(a)) emit('error', 'suite/unknown-attack-set', ['attacks', i], `"${a}" is not an attack pack or category (known: ${known.join(', ') || 'none'})`);
      });
    }
  }

  // A problem that several covered versions share is reported once, naming every such version.
  const shared = new Map<string, { rule: string; path: FieldPath; at?: number; message: (who: string) => string; versions: string[] }>();
  const note = (rule: string, path: FieldPath, message: (who: string) => string, version: string, at?: number) => {
    const key = `${rule}\u0000${path.join('\u0000')}\u0000${at ?? ''}\u0000${message('')}`;
    const entry = shared.get(key) ?? { rule, path, at, message, versions: [] };
    entry.versions.push(version);
    shared.set(key, entry);
  };
  for (const v of covered) {
    const declared = new Map(v.data.variables.map((x) => [x.name, x]));
    const valueGroups = new Map<string, { at: FieldPath; first: string; ids: string[] }>();
    if (d.inject_into && !declared.has(d.inject_into)) {
      note('suite/undeclared-variable', ['inject_into'], (who) => `inject_into "${d.inject_into}" is not a variable of ${who}`, v.version);
    }
    for (const name of Object.keys(d.base_vars ?? {})) {
      if (!declared.has(name)) note('suite/undeclared-variable', ['base_vars', name], (who) => `"${name}" is not a variable of ${who}`, v.version);
    }
    inline.forEach((c, i) => {
      for (const name of Object.keys(c.vars)) {
        if (!declared.has(name)) note('suite/undeclared-variable', ['cases', i, 'vars', name], (who) => `case "${c.id}" sets "${name}", which is not declared by ${who}`, v.version);
      }
      for (const spec of declared.values()) {
        if (spec.required && ownValue(c.vars, spec.name) === undefined && ownValue(d.base_vars, spec.name) === undefined) {
          note('suite/missing-variable', ['cases', i, 'vars'], (who) => `case "${c.id}" does not set required variable "${spec.name}" of ${who}`, v.version);
        }
      }
      // A turn of the case's conversation eval could not render: the one rule, core/eval/conversation.ts.
      for (const t of turnProblems(v.data, c.messages ?? [])) {
        note(t.kind === 'syntax' ? 'template/syntax' : 'template/undeclared-variable', ['cases', i, 'messages', t.turn, 'content'], (who) => `case "${c.id}" against ${who}: ${t.message}`, v.version, t.offset);
      }
      // A value eval could not render (a number that is not one, past max_length): the one rule, core/template.ts.
      // The same problem in many cases (188 attack payloads past one max_length) is said once, with a
      // count, at the first case, as dataset rows are (dataset-rules.ts); a base_vars value once, there.
      const values = { ...d.base_vars, ...c.vars };
      for (const p of checkValues(v.data.variables, values).problems) {
        if (!declared.has(p.variable) || values[p.variable] === undefined) continue;
        const inCase = c.vars[p.variable] !== undefined;
        const spec = declared.get(p.variable)!;
        const key = [inCase, p.variable, p.issue, spec.type, spec.max_length].join('\u0000');
        const group = valueGroups.get(key) ?? { at: inCase ? ['cases', i, 'vars', p.variable] : ['base_vars', p.variable], first: inCase ? `case "${c.id}": ${p.message}` : `base_vars: ${p.message}`, ids: [] };
        group.ids.push(c.id);
        valueGroups.set(key, group);
      }
    });
    for (const g of valueGroups.values()) {
      const more = g.at[0] === 'cases' && g.ids.length > 1 ? ` (${g.ids.length} cases; the first is here, then ${othersOf(g.ids.slice(1))})` : '';
      note('suite/variable-value', g.at, (who) => `${g.first} (a variable of ${who})${more}`, v.version);
    }
  }
  for (const e of shared.values()) emit('error', e.rule, e.path, e.message(`${d.prompt}@${e.versions.join(', ')}`), e.at);
  out.push(...lintAttackRules(s, covered, ctx.attackPacks));
  if (ctx.schemas) {
    out.push(...lintSuiteSchemas({ file: s.file, locate: s.locate, cases: inline, covered }, ctx.schemas));
    // Dataset rows carry expectations too (cases_from.expect and their own column): placed in the data file.
    if (s.dataset && d.cases_from) out.push(...lintDatasetSchemas({ dataset: s.dataset, cases: d.cases, spec: d.cases_from, covered }, ctx.schemas));
  }
  if (s.dataset && covered.length) out.push(...lintDatasetCases(s.dataset, d.cases, covered, d.base_vars, d.cases_from));
  // A number the parser read as another text than the one written: whatever the versions declare, it is sent as that text.
  out.push(...writtenNumberProblems(s, ctx.errorsOnly));
  return dedupe(out);
}

/** A few case ids by name, and how many more: `"b", "c", "d" and 184 more`. */
function othersOf(ids: string[]): string {
  const named = ids.slice(0, 3).map((id) => `"${id}"`).join(', ');
  return ids.length > 3 ? `${named} and ${ids.length - 3} more` : named;
}

/** The same problem reported once even when several covered versions raise it. */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.col}:${p.rule}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
