import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/errors.js';
import { lintText } from '../../src/render/lint-text.js';
import { problemLines } from '../../src/render/stop-report.js';

/** Lists that mix errors and warnings say which each line is: "warning" was said, "error" was not. */

const problems: Problem[] = [
  { file: 'evalsets/faq/golden.yaml', line: 5, col: 1, field: 'threshold', message: 'must be at most 1', severity: 'error' },
  { file: 'prompts/faq/1.0.0.yaml', line: 3, col: 5, field: 'messages.0.content', message: 'no non-disclosure line', severity: 'warning', rule: 'security/no-non-disclosure' },
];

describe('problems in lint lists', () => {
  it('lint names each line error or warning', () => {
    expect(lintText({ outcome: { problems, files: 2, errors: 1, warnings: 1 }, strict: false } as never)).toEqual([
      'evalsets/faq/golden.yaml:5:1 error threshold: must be at most 1',
      'prompts/faq/1.0.0.yaml:3:5 warning messages.0.content: no non-disclosure line [security/no-non-disclosure]',
      '2 files checked: 1 error, 1 warning',
    ]);
  });

  it('the Markdown summary says error in words, beside its mark', () => {
    expect(problemLines(problems).split('\n')).toEqual([
      '- ❌ evalsets/faq/golden.yaml:5:1 error threshold: must be at most 1',
      '- ⚠️ prompts/faq/1.0.0.yaml:3:5 warning messages.0.content: no non-disclosure line \\[security/no-non-disclosure\\]',
    ]);
  });
});
