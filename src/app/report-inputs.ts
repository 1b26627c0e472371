import { renderConversation } from '../core/eval/conversation.js';
import type { CaseOutcome, RunOutcome } from '../core/schemas/report.js';
import type { RunRecord } from '../core/schemas/run.js';
import { suiteCases } from '../infra/eval/suite-target.js';
import type { Project } from '../infra/project.js';

/**
 * What each case was asked, for the reports that show it beside the output (HTML, compare,
 * Markdown, JUnit). Nothing new is stored: a run records its suite's content hash, so the suite
 * file with that content gives back every case's variables (attack payloads expanded from packs
 * included), and a conversation case's turns, rendered with them against the version file with the
 * content the run used. A run whose suite file has changed or is gone shows no inputs rather than
 * wrong ones (and no turns when only its version file has).
 */

export type CaseVars = NonNullable<CaseOutcome['vars']>;

/** What a case asked: its variables, and a conversation case's turns. */
export type CaseInputs = Pick<CaseOutcome, 'turns'> & { vars: CaseVars };

/** The inputs of each case of a run's suite, by case id; null when the file no longer has the content the run used. */
export type CaseInputsLookup = (run: Pick<RunRecord, 'promptId' | 'version' | 'promptHash' | 'suite' | 'suiteHash'>) => Map<string, CaseInputs> | null;

/**
 * The case's own variables over base_vars, the values a case is rendered with (core/eval/samples.ts), with
 * the case's own first: what differs from case to case is what a reader looks for in a cell.
 */
function caseVars(base: CaseVars, own: CaseVars): CaseVars {
  const rest = Object.entries(base).filter(([k]) => !Object.hasOwn(own, k));
  return { ...own, ...Object.fromEntries(rest) };
}

export function caseInputsLookup(project: Project): CaseInputsLookup {
  const bySuite = new Map<string, Map<string, CaseInputs> | null>();
  return (run) => {
    const key = `${run.promptId}/${run.suite}/${run.suiteHash}/${run.promptHash}`;
    if (!bySuite.has(key)) {
      const file = project.suites.find((s) => s.promptId === run.promptId && s.name === run.suite && s.hash === run.suiteHash);
      const prompt = project.prompts.find((p) => p.id === run.promptId && p.version === run.version && p.hash === run.promptHash);
      const inputs = (c: ReturnType<typeof suiteCases>[number]['case']): [string, CaseInputs] => {
        const vars = caseVars(file!.data.base_vars ?? {}, c.vars);
        // Rendered as eval renders them (core/eval/samples.ts): the version's variables, the case's values.
        const turns = c.messages && prompt ? renderConversation(prompt.data, vars, c.messages) : undefined;
        return [c.id, { vars, ...(turns && !turns.problems.length ? { turns: turns.turns } : {}) }];
      };
      bySuite.set(key, file ? new Map(suiteCases(file).map(({ case: c }) => inputs(c))) : null);
    }
    return bySuite.get(key)!;
  };
}

/** The outcomes with each case's inputs added (cases of a changed or missing suite file are left as they are). */
export function withCaseInputs(outcomes: RunOutcome[], lookup: CaseInputsLookup): RunOutcome[] {
  return outcomes.map((o) => {
    // A run's passing cases may be left out (a large eval's text output): none left, none to look up.
    if (!o.cases.length) return o;
    const inputs = lookup(o.run);
    if (!inputs) return o;
    return { ...o, cases: o.cases.map((c) => (inputs.has(c.caseId) ? { ...c, ...inputs.get(c.caseId)! } : c)) };
  });
}

/** `withCaseInputs` over a project's suite files. */
export function outcomesWithInputs(project: Project, outcomes: RunOutcome[]): RunOutcome[] {
  return withCaseInputs(outcomes, caseInputsLookup(project));
}

/** The message templates of the version file with the content a run used (undefined when the file changed or is gone). */
export function messageTemplatesLookup(project: Project): (run: Pick<RunRecord, 'promptId' | 'version' | 'promptHash'>) => ReadonlyArray<{ role: string; content: string }> | undefined {
  return (run) => project.prompts.find((p) => p.id === run.promptId && p.version === run.version && p.hash === run.promptHash)?.data.messages;
}
