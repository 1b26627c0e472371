import type { CiResult, SummaryFile } from '../core/ci/result.js';
import { optionName } from '../core/option-names.js';
import { writeOutputFile } from '../infra/output-file.js';
import { findProjectRoot, projectPathIn } from '../infra/project.js';
import { repositoryTopOrNone } from '../infra/git.js';
import type { AppContext } from './context.js';
import { writeSummaryFiles } from './eval-reports.js';
import type { ReportSources } from './report.js';

/** How ci's files are worded (src/render for the CLI): app writes them, it does not word them. */
export interface CiFormats {
  /** `file`: the `summary` file (posted as a pull-request comment, which must be smaller) or the `step-summary`. */
  markdown: (result: CiResult, file?: SummaryFile) => string;
  junit: (result: CiResult) => string;
  /** The HTML report of what ci evaluated (`result`: which versions gate); without it, `html` is refused. */
  html?: (sources: ReportSources, result: CiResult) => string;
}

/**
 * Writes the summary (and appends it to $GITHUB_STEP_SUMMARY when set), JUnit, and the HTML report
 * of what was evaluated (its path in `result.htmlFile`; none when nothing was).
 */
export async function writeCiFiles(ctx: AppContext, files: { junit?: string; summary?: string; html?: string }, formats: CiFormats, result: CiResult): Promise<void> {
  const step = ctx.env.GITHUB_STEP_SUMMARY ? formats.markdown(result, 'step-summary') : undefined;
  // The comment-sized file points at the step summary only where there is one.
  writeSummaryFiles(ctx, files.summary, files.summary ? formats.markdown(result, step === undefined ? 'summary-alone' : 'summary') : '', step);
  if (files.junit) writeOutputFile(ctx.cwd, files.junit, formats.junit(result), { option: optionName(ctx.optionNames, 'junit') });
  if (files.html && formats.html && result.report) {
    const { evalReportSources, writeReportFile } = await import('./report.js');
    const sources = await evalReportSources({ cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, report: result.report });
    result.htmlFile = await writeReportFile(ctx.cwd, files.html, formats.html(sources, result), optionName(ctx.optionNames, 'html'));
  }
}

/**
 * The project's folder in the checkout GitHub reads annotations' files from (GITHUB_WORKSPACE, else
 * git's top folder), for a ci stopped before it loaded the project: a `.promptrc.yaml` that does not
 * load is exactly the file a monorepo's annotation must name from the repository's root. Undefined
 * when even the project or the repository cannot be found.
 */
export function repositoryPathOf(cwd: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  try {
    const root = findProjectRoot(cwd);
    const top = env.GITHUB_WORKSPACE || repositoryTopOrNone(root);
    return top ? projectPathIn(root, top) : undefined;
  } catch {
    return undefined;
  }
}
