import { describe, expect, it } from 'vitest';
import type { CiResult } from '../../src/core/ci/result.js';
import { githubAnnotations } from '../../src/render/github-annotations.js';

/** The workflow commands ci prints on GitHub Actions: escapes, warnings, failed suites. */

function result(over: Partial<CiResult>): CiResult {
  return { lint: { files: 1, errors: 0, warnings: 0, problems: [] }, ...over } as unknown as CiResult;
}

describe('githubAnnotations', () => {
  it('escapes %, newlines, and , and : in properties; warnings stay warnings', () => {
    const lines = githubAnnotations(
      result({
        lint: {
          files: 1,
          errors: 1,
          warnings: 1,
          problems: [
            { file: 'prompts/a,b/1.0.0.yaml', line: 3, col: 5, field: 'messages.0.content', message: '50% of it\nis wrong', severity: 'error', rule: 'template/x' },
            { file: 'evalsets/a/g.yaml', line: 0, col: 0, field: '', message: 'few cases', severity: 'warning' },
          ],
        },
      }),
    );
    expect(lines).toEqual([
      '::error file=prompts/a%2Cb/1.0.0.yaml,line=3,col=5,title=promptctl template/x::messages.0.content: 50%25 of it%0Ais wrong',
      '::warning file=evalsets/a/g.yaml,title=promptctl::few cases',
    ]);
  });

  it('a failed suite is an error on its suite file; a passed one is not', () => {
    const run = (suite: string, verdict: string) => ({ run: { promptId: 'p', version: '1.1.0', suite, summary: { verdict, passed: 3, failed: 2, errored: 0 } }, threshold: 0.8, cases: [] });
    const lines = githubAnnotations(result({ report: { runs: [run('golden', 'failed'), run('other', 'passed')] } as unknown as CiResult['report'] }));
    expect(lines).toEqual(['::error file=evalsets/p/golden.yaml,title=promptctl ci%3A suite failed::p@1.1.0 golden: 3 of 5 cases passed, below the threshold 0.8']);
  });
});
