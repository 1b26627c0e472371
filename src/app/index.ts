export { lint, lintProject, LintOptions, type LintOutcome, type LintProgress, type LintResult } from './lint.js';
export { comparableText, diff, DiffOptions, type DiffResult } from './diff.js';
