import type { EvalCase, EvalSet } from '../schemas/evalset.js';
import type { PromptVersion } from '../schemas/prompt.js';
import { checkValues, usedVariables, type RenderProblem } from '../template.js';
import type { FieldPath } from '../yaml-source.js';
import { attackIdOfCase } from './expand.js';

/**
 * What keeps a suite's generated attack cases (`attacks:` expanded, expand.ts) from testing a
 * version: the one check behind lint (suite-rules.ts) and eval's planning (eval/plan.ts), so both
 * say the same thing at the same line. Generated cases have no line of their own: a problem is
 * placed at the field that makes it (`attacks:`, `inject_into:`, `base_vars:`) and said once per
 * kind, with how many cases share it, not once per case.
 */

export interface SuiteFinding {
  rule: string;
  path: FieldPath;
  /** `who` names the versions that raise it (`bot@1.0.0, 1.1.0`). */
  message: (who: string) => string;
}

type Suite = Pick<EvalSet, 'inject_into' | 'base_vars' | 'attacks'>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function generatedCaseFindings(prompt: Pick<PromptVersion, 'messages' | 'variables'>, suite: Suite, generated: readonly EvalCase[]): SuiteFinding[] {
  const inject = suite.inject_into;
  if (!generated.length || !inject) return [];
  const out: SuiteFinding[] = [];
  const declared = new Set(prompt.variables.map((v) => v.name));
  // An attack in a variable the request never renders never reaches the model: every case would
  // "resist", each sending the same request. A case's own turns count (multi-turn attacks).
  if (declared.has(inject) && !usedVariables(prompt.messages, ...generated.map((c) => c.messages ?? [])).has(inject)) {
    out.push({
      rule: 'suite/inject-into-unused',
      path: ['inject_into'],
      message: (who) => `inject_into "${inject}" appears in no message of ${who}; the attacks would never reach the model: inject into a variable a message uses, or add {{${inject}}} to a message`,
    });
  }
  const groups = new Map<string, { problem: RenderProblem; ids: string[] }>();
  for (const c of generated) {
    for (const p of checkValues(prompt.variables, c.vars).problems) {
      const key = `${p.issue}\u0000${p.variable}`;
      const g = groups.get(key) ?? { problem: p, ids: [] };
      g.ids.push(c.id);
      groups.set(key, g);
    }
  }
  for (const { problem: p, ids } of groups.values()) out.push(finding(p, ids, suite, prompt));
  return out;
}

function finding(p: RenderProblem, ids: string[], suite: Suite, prompt: Pick<PromptVersion, 'variables'>): SuiteFinding {
  const inject = suite.inject_into!;
  const fromBase = p.variable !== inject && suite.base_vars?.[p.variable] !== undefined;
  const cases = `${plural(ids.length, 'generated attack case')} (e.g. ${ids[0]})`;
  const [doNot, exceed] = ids.length === 1 ? ['does not', 'exceeds'] : ['do not', 'exceed'];
  switch (p.issue) {
    case 'undeclared':
      // The same words as the rule for inline cases' variables (suite-rules.ts).
      return fromBase
        ? { rule: 'suite/undeclared-variable', path: ['base_vars', p.variable], message: (who) => `"${p.variable}" is not a variable of ${who}` }
        : { rule: 'suite/undeclared-variable', path: ['inject_into'], message: (who) => `inject_into "${inject}" is not a variable of ${who}` };
    case 'missing':
      return {
        rule: 'suite/missing-variable',
        path: suite.base_vars ? ['base_vars'] : ['inject_into'],
        message: (who) => `${cases} ${doNot} set required variable "${p.variable}" of ${who}: give it a value in base_vars`,
      };
    case 'max_length': {
      const max = prompt.variables.find((v) => v.name === p.variable)?.max_length;
      return p.variable === inject
        ? { rule: 'suite/variable-value', path: ['attacks'], message: (who) => `${cases} ${exceed} max_length ${max} of "${inject}" (a variable of ${who}): raise its max_length or inject into a longer variable` }
        : { rule: 'suite/variable-value', path: ['base_vars', p.variable], message: (who) => `base_vars: ${p.message} (a variable of ${who})` };
    }
    default:
      return {
        rule: 'suite/variable-value',
        path: fromBase ? ['base_vars', p.variable] : p.variable === inject ? ['inject_into'] : ['attacks'],
        message: (who) => `${cases}: ${p.message} (a variable of ${who})`,
      };
  }
}

/**
 * Cases of a suite's own (inline and `cases_from` rows, in order) whose id a generated attack case
 * also has: results are keyed by case id, so one would stand in for the other. `own` indexes the
 * suite's cases.
 */
export function generatedIdCollisions(own: readonly Pick<EvalCase, 'id'>[], generated: readonly Pick<EvalCase, 'id'>[]): Array<{ index: number; id: string }> {
  const ids = new Set(generated.map((c) => c.id));
  return own.flatMap((c, index) => (ids.has(c.id) ? [{ index, id: c.id }] : []));
}

/** Why an own case's id collides with a generated one, in the words lint and eval share. */
export function collisionMessage(id: string, suite: Pick<EvalSet, 'attacks'>): string {
  return `case id "${id}" is also the id of the case generated for attack ${attackIdOfCase(id)} (attacks: ${suite.attacks?.join(', ')}): results are kept by case id, so one would replace the other; rename the case, or drop it or the attack set if it repeats the attack`;
}
