import { formatProblem, type Problem, type StopRecord } from '../core/errors.js';
import { groupBy } from '../core/group.js';
import { toJUnitXml, type ExtraSuite } from './junit.js';
import { md, mdWithCode } from './markdown.js';
import { counted } from './text.js';

/**
 * The report files of a command an error stopped before it had results (`ci`, and `eval` when its
 * server check or its registry fails): JUnit and Markdown that say what happened, why and what to
 * do, so a CI step that publishes them shows the cause instead of "no report found".
 */

type Command = 'ci' | 'eval';

const STOP_WORDS: Record<number, string> = {
  1: '❌ promptctl {c}: a gate failed (exit 1)',
  2: '❌ promptctl {c}: bad input (exit 2)',
  3: '⚠️ promptctl {c}: the server or the registry could not be used (exit 3)',
};

export function stopHeadline(command: Command, exitCode: number): string {
  return (STOP_WORDS[exitCode] ?? `❌ promptctl {c} stopped (exit ${exitCode})`).replace('{c}', command);
}

/** A pull-request comment has a size limit, and 400 identical lines help nobody. */
const MAX_PROBLEMS = 50;

export function problemLines(problems: Problem[], format: (p: Problem) => string = (p) => formatProblem(p, { severity: true })): string {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `- ${p.severity === 'error' ? '❌' : '⚠️'} ${md(format(p), 400)}`);
  if (problems.length > MAX_PROBLEMS) shown.push(`- …and ${counted(problems.length - MAX_PROBLEMS, 'more problem')} (${problems.length} in all; the JUnit file and the job log list them)`);
  return shown.join('\n');
}

/** What happened, why, what to do, then the problems: the Markdown body of a stop. */
export function stopSections(e: StopRecord): string[] {
  const words = [`**What happened:** ${mdWithCode(e.message, 400)}`, e.why ? `**Why:** ${mdWithCode(e.why, 400)}` : '', e.hint ? `**What to do:** ${mdWithCode(e.hint, 400)}` : ''];
  return [words.filter(Boolean).join('\n\n'), ...(e.problems.length ? [`### Problems: ${e.problems.length}\n\n${problemLines(e.problems)}`] : [])];
}

/** One failing case per file with problems, or one for the error itself: bad input fails, anything else (exit 3) is an error of the step. */
/** `checkedNothing`: the stop kept every check from running (ci with no change to gate), an <error> whatever its exit code. */
export function stopSuite(command: Command, e: StopRecord, opts: { checkedNothing?: boolean } = {}): ExtraSuite {
  const groups = groupBy(e.problems, (p) => p.file, formatProblem);
  const detail = [e.message, e.why ? `why: ${e.why}` : '', e.hint ? `hint: ${e.hint}` : ''].filter(Boolean).join('\n');
  const cases = groups.size
    ? [...groups.entries()].map(([file, lines]) => ({ classname: `${command}.${e.error}`, name: file, failure: `${e.message} (exit ${e.exitCode}): ${counted(lines.length, 'problem')}\n${lines.join('\n')}` }))
    : [{ classname: `${command}.${e.error}`, name: e.message, [e.exitCode === 2 && !opts.checkedNothing ? 'failure' : 'error']: `${detail}\n(exit ${e.exitCode})` }];
  return { name: command, cases };
}

export function stopJUnit(command: Command, e: StopRecord): string {
  return toJUnitXml(undefined, [stopSuite(command, e)], { name: `promptctl ${command}` });
}

export function stopMarkdown(command: Command, e: StopRecord): string {
  return `${[`## ${stopHeadline(command, e.exitCode)}`, ...stopSections(e)].join('\n\n')}\n`;
}
