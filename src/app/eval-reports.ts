import type { EvalReport } from '../core/schemas/report.js';
import { appendOutputFile, checkOutputPath, writeOutputFile } from '../infra/output-file.js';
import type { Env } from './context.js';

/**
 * The report files an evaluation can leave behind: JUnit, a Markdown summary, and the same Markdown
 * appended to $GITHUB_STEP_SUMMARY when the environment names one. The text of each format is the
 * caller's choice (the CLI passes src/render's): app writes files, it does not word them.
 */
export interface ReportFormats {
  junit: (report: EvalReport) => string;
  markdown: (report: EvalReport) => string;
}

export interface ReportFiles {
  /** Where to write JUnit XML. */
  junit?: string;
  /** Where to write the Markdown summary. */
  summary?: string;
}

/** A mistyped report path fails before anything runs or is recorded. */
export function checkReportPaths(cwd: string, env: Env, files: ReportFiles & { html?: string }): void {
  if (files.junit) checkOutputPath(cwd, files.junit, { option: '--junit' });
  if (files.summary) checkOutputPath(cwd, files.summary, { option: '--summary' });
  if (files.html) checkOutputPath(cwd, files.html, { option: '--html' });
  const step = env.GITHUB_STEP_SUMMARY;
  if (step) checkOutputPath(cwd, step, { option: '$GITHUB_STEP_SUMMARY', createFolders: false });
}

/** Writes JUnit and Markdown where asked, and appends the summary to $GITHUB_STEP_SUMMARY when set. */
export function writeReportFiles(cwd: string, env: Env, report: EvalReport, files: ReportFiles, formats: ReportFormats): void {
  if (files.junit) writeOutputFile(cwd, files.junit, formats.junit(report), { option: '--junit' });
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (files.summary || stepSummary) {
    const md = formats.markdown(report);
    if (files.summary) writeOutputFile(cwd, files.summary, md, { option: '--summary' });
    if (stepSummary) appendOutputFile(cwd, stepSummary, `${md}\n`, { option: '$GITHUB_STEP_SUMMARY' });
  }
}
