export { lint, lintProject, LintOptions, type LintOutcome, type LintProgress, type LintResult } from './lint.js';
