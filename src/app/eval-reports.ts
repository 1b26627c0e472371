import path from 'node:path';
import { InputError, stopRecordOf, type PromptctlError, type StopRecord } from '../core/errors.js';
import type { EvalReport } from '../core/schemas/report.js';
import { appendOutputFile, checkOutputPath, writeOutputFile } from '../infra/output-file.js';
import { realPathOf } from '../infra/real-path.js';
import { optionName } from '../core/option-names.js';
import type { AppContext } from './context.js';

/** Where report files go, and how their options are named in a refusal (`junit` in a script, `--junit` on the command line). */
type Where = Pick<AppContext, 'cwd' | 'env' | 'optionNames'>;

/**
 * The report files an evaluation can leave behind: JUnit, a Markdown summary, and the same Markdown
 * appended to $GITHUB_STEP_SUMMARY when the environment names one. The text of each format is the
 * caller's choice (the CLI passes src/render's): app writes files, it does not word them.
 */
export interface ReportFormats {
  junit: (report: EvalReport) => string;
  markdown: (report: EvalReport) => string;
  /**
   * The files of an eval an error stopped before it had a report (its server check, its registry):
   * what happened, why and what to do. Without them, such an eval leaves no file.
   */
  stopped?: { junit: (e: StopRecord) => string; markdown: (e: StopRecord) => string };
}

export interface ReportFiles {
  /** Where to write JUnit XML. */
  junit?: string;
  /** Where to write the Markdown summary. */
  summary?: string;
}

/** A mistyped report path fails before anything runs or is recorded. */
export function checkReportPaths(where: Where, files: ReportFiles & { html?: string }): void {
  const { cwd, env } = where;
  const [junit, summary, html] = (['junit', 'summary', 'html'] as const).map((key) => optionName(where.optionNames, key));
  if (files.junit) checkOutputPath(cwd, files.junit, { option: junit });
  if (files.summary) checkOutputPath(cwd, files.summary, { option: summary });
  if (files.html) checkOutputPath(cwd, files.html, { option: html });
  const step = env.GITHUB_STEP_SUMMARY;
  if (step) checkOutputPath(cwd, step, { option: STEP_SUMMARY, createFolders: false });
  checkDistinctPaths(cwd, [[junit!, files.junit], [summary!, files.summary], [html!, files.html], [STEP_SUMMARY, step]], summary!);
}

const STEP_SUMMARY = '$GITHUB_STEP_SUMMARY';

/** Whether two paths the user gave name one file (through `..`, a link, or relative to `cwd`). */
const sameFile = (cwd: string, a: string, b: string): boolean => realPathOf(path.resolve(cwd, a)) === realPathOf(path.resolve(cwd, b));

/**
 * Two report options naming one file: each format is written whole, so the later one would replace
 * the earlier (JUnit overwritten by Markdown) or be appended to it (the step summary after the XML),
 * leaving a file that neither its CI reader nor a person can use, with exit 0. Refused before
 * anything runs. `--summary "$GITHUB_STEP_SUMMARY"` is the one pair that is meant: the same
 * Markdown, appended once (`writeSummaryFiles`).
 */
function checkDistinctPaths(cwd: string, named: Array<[string, string | undefined]>, summary: string): void {
  const given = named.filter((n): n is [string, string] => Boolean(n[1]));
  for (let i = 0; i < given.length; i++) {
    for (let j = i + 1; j < given.length; j++) {
      const [a, fileA] = given[i]!;
      const [b, fileB] = given[j]!;
      if (a === summary && b === STEP_SUMMARY) continue;
      if (!sameFile(cwd, fileA, fileB)) continue;
      throw new InputError({
        message: `${a} and ${b} name the same file, ${path.resolve(cwd, fileA)}`,
        why: 'each writes a report of its own format, so one would overwrite or be appended to the other, leaving a file neither reader can use.',
        hint: `give ${a} and ${b} different files.`,
      });
    }
  }
}

/** Writes JUnit and Markdown where asked, and appends the summary to $GITHUB_STEP_SUMMARY when set. */
export function writeReportFiles(where: Where, report: EvalReport, files: ReportFiles, formats: ReportFormats): void {
  writeWorded(where, files, () => formats.junit(report), () => formats.markdown(report));
}

/** The files `files` asks for and the step summary, each worded only when written. */
function writeWorded(where: Where, files: ReportFiles, junit: () => string, markdown: () => string): void {
  if (files.junit) writeOutputFile(where.cwd, files.junit, junit(), { option: optionName(where.optionNames, 'junit') });
  if (files.summary || where.env.GITHUB_STEP_SUMMARY) writeSummaryFiles(where, files.summary, markdown());
}

/**
 * The report files of an eval that `e` stopped before it had a report, where asked and worded. A
 * file that cannot be written adds nothing to the error being reported, so it is left out.
 */
export function writeStopFiles(where: Where, e: PromptctlError, files: ReportFiles, formats: ReportFormats): void {
  const words = formats.stopped;
  if (!words) return;
  const record = stopRecordOf(e);
  try {
    writeWorded(where, files, () => words.junit(record), () => words.markdown(record));
  } catch {
    // The error that stopped the eval is the one to report.
  }
}

/**
 * Writes the Markdown summary to `summary` when given, and appends it to $GITHUB_STEP_SUMMARY when
 * set. `--summary "$GITHUB_STEP_SUMMARY"` names the step summary itself, which holds what earlier
 * steps wrote: it is appended to once, never overwritten (and then appended to a second time).
 * `stepMd`: what the step summary gets when it may hold more than the file (ci's, whose file is a comment).
 */
export function writeSummaryFiles(where: Where, summary: string | undefined, md: string, stepMd = md): void {
  const { cwd, env } = where;
  const step = env.GITHUB_STEP_SUMMARY;
  if (summary && !(step && sameFile(cwd, summary, step))) writeOutputFile(cwd, summary, md, { option: optionName(where.optionNames, 'summary') });
  if (step) appendOutputFile(cwd, step, `${stepMd}\n`, { option: STEP_SUMMARY });
}

/**
 * A report file asked for by option with nothing to word it (the library's `reportFormats`, or
 * `formats` for ci; `import { runEval, runCi } from 'promptctl'` passes them): refused before
 * anything runs, never silently left unwritten.
 */
export function requireWordings(useCase: string, files: ReportFiles & { html?: string }, worded: { files: boolean; html?: boolean }, wordingOption: string): void {
  const unworded = [...(worded.files ? [] : (['junit', 'summary'] as const).filter((k) => files[k])), ...(files.html && !worded.html ? ['html'] : [])];
  if (!unworded.length) return;
  // With the formats given, only the HTML one is missing.
  const needed = worded.files ? `${wordingOption}.html` : wordingOption;
  throw new InputError({
    message: `${useCase}: ${unworded.map((o) => `\`${o}\``).join(' and ')} given without \`${needed}\`, so nothing would write ${unworded.length === 1 ? 'it' : 'them'}`,
    why: "the use cases of promptctl/app write report files but do not word them: the wording is the caller's (the CLI passes its own)",
    hint: `import { ${useCase} } from 'promptctl' (it passes the CLI's wording), or pass \`${needed}\``,
  });
}
