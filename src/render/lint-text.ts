import { escapeControlChars } from '../core/control-chars.js';
import { formatProblem } from '../core/errors.js';
import type { LintResult } from '../app/lint.js';
import { counted } from './text.js';

/** `lint`'s lines: every problem as `file:line:col error|warning …`, then the count. */
export function lintText({ outcome, strict }: Pick<LintResult, 'outcome' | 'strict'>): string[] {
  return [
    ...outcome.problems.map((p) => formatProblem(p, { severity: true })),
    `${counted(outcome.files, 'file')} checked: ${counted(outcome.errors, 'error')}, ${counted(outcome.warnings, 'warning')}${strict ? ' (--strict: warnings count as errors)' : ''}`,
  ];
}

/** A warning as `lint` says it while it runs: it may quote a server's answer, so its control characters are shown escaped. */
export function lintNoticeLine(message: string): string {
  return escapeControlChars(message);
}
