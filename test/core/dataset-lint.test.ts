import { describe, expect, it } from 'vitest';
import { lintDatasetCases } from '../../src/core/lint/dataset-rules.js';
import type { LintablePrompt } from '../../src/core/lint/prompt-rules.js';
import { PromptVersion } from '../../src/core/schemas/prompt.js';

const version = (v: string, variables: Array<{ name: string; required?: boolean }>): LintablePrompt => ({
  id: 'p',
  version: v,
  file: `prompts/p/${v}.yaml`,
  locate: () => ({ line: 1, col: 1 }),
  data: PromptVersion.parse({ id: 'p', version: v, description: 'd', author: 'a@example.com', model: {}, variables: variables.map((x) => ({ type: 'string', ...x })), messages: [{ role: 'user', content: variables.map((x) => `{{${x.name}}}`).join(' ') || 'hi' }] }),
});
const cases = (vars: Array<Record<string, string>>) => vars.map((v, i) => ({ id: `c${i}`, vars: v, expect: [{ contains: 'x' }] }));
const dataset = { file: 'data/d.csv', firstCase: 1, lines: [2, 3, 5] };

describe('lintDatasetCases', () => {
  it('reports an undeclared column and a missing required variable once each, at the first row, with the row count', () => {
    const all = cases([{ inline: 'ignored' }, { q: 'a', extra: '1' }, { extra: '2' }, { q: 'c' }]);
    const problems = lintDatasetCases(dataset, all, [version('1.0.0', [{ name: 'q', required: true }])], undefined);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'data/d.csv', line: 2, field: 'extra', rule: 'suite/undeclared-variable', message: expect.stringMatching(/column "extra" sets a variable that p@1\.0\.0 does not declare \(2 rows; the first is here\)/) }),
      expect.objectContaining({ file: 'data/d.csv', line: 3, field: 'q', rule: 'suite/missing-variable', message: 'rows do not set required variable "q" of p@1.0.0' }),
    ]);
  });

  it('base_vars satisfy a required variable; a clean dataset has no problems', () => {
    const all = cases([{}, { q: 'a' }, {}, { q: 'c' }]);
    expect(lintDatasetCases(dataset, all, [version('1.0.0', [{ name: 'q', required: true }])], { q: 'base' })).toEqual([]);
  });

  it('names every covered version that raises the problem', () => {
    const all = cases([{}, { q: 'a', extra: '1' }, { q: 'b' }, { q: 'c' }]);
    const problems = lintDatasetCases(dataset, all, [version('1.0.0', [{ name: 'q' }]), version('1.1.0', [{ name: 'q' }])], undefined);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/p@1\.0\.0, 1\.1\.0 does not declare/);
  });
});
