import type { Problem } from '../errors.js';

/** What linting a project (or the files a change touched) found: printed by `lint`, carried by `ci`. */
export interface LintOutcome {
  files: number;
  errors: number;
  warnings: number;
  problems: Problem[];
}
