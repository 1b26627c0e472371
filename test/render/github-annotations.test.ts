import { describe, expect, it } from 'vitest';
import type { CiResult } from '../../src/core/ci/result.js';
import { githubAnnotations } from '../../src/render/github-annotations.js';

/** The workflow commands ci prints on GitHub Actions: escapes, warnings, failed suites. */

function result(over: Partial<CiResult>): CiResult {
  return { lint: { files: 1, errors: 0, warnings: 0, problems: [] }, plan: { evaluate: [] }, notEvaluated: [], ...over } as unknown as CiResult;
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

  it('carries no raw line break or escape byte from project files: shown escaped, so no annotation can forge another or drive the terminal', () => {
    const forged = 'k\n::error file=README.md,line=1::PWNED\r::stop-commands::tok\u001b]52;c;Y3VybA==\u0007\u009b2J';
    const lines = githubAnnotations(
      result({
        lint: { files: 1, errors: 1, warnings: 0, problems: [{ file: `evalsets/a/${forged}.yaml`, line: 2, col: 1, field: `cases.0.${forged}`, message: `unknown key "${forged}"`, severity: 'error' }] },
        error: { message: `stopped ${forged}`, problems: [] } as unknown as CiResult['error'],
      }),
    );
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(lines[0]).toBe(
      '::error file=evalsets/a/k%0A%3A%3Aerror file=README.md%2Cline=1%3A%3APWNED%0D%3A%3Astop-commands%3A%3Atok\\e]52;c;Y3VybA==\\x07\\x9b2J.yaml,line=2,col=1,title=promptctl::' +
        'cases.0.k%0A::error file=README.md,line=1::PWNED%0D::stop-commands::tok\\e]52;c;Y3VybA==\\x07\\x9b2J: unknown key "k%0A::error file=README.md,line=1::PWNED%0D::stop-commands::tok\\e]52;c;Y3VybA==\\x07\\x9b2J"',
    );
    expect(lines[1]).toBe('::error title=promptctl ci::stopped k%0A::error file=README.md,line=1::PWNED%0D::stop-commands::tok\\e]52;c;Y3VybA==\\x07\\x9b2J');
  });

  it('a project in a sub-folder of the repository: every file is named from the repository root, as GitHub resolves it', () => {
    const problem = { file: 'prompts/a/1.0.0.yaml', line: 3, col: 5, field: '', message: 'bad', severity: 'error' as const };
    const at = (repositoryPath?: string) => githubAnnotations(result({ repositoryPath, lint: { files: 1, errors: 1, warnings: 0, problems: [problem] } }));
    expect(at('platform/prompt régistry/')).toEqual(['::error file=platform/prompt régistry/prompts/a/1.0.0.yaml,line=3,col=5,title=promptctl::bad']);
    expect(at('')).toEqual(['::error file=prompts/a/1.0.0.yaml,line=3,col=5,title=promptctl::bad']);
    expect(at(undefined)).toEqual(at(''));
  });

  const run = (suite: string, verdict: string, version = '1.1.0', over: object = {}) => ({ run: { promptId: 'p', version, suite, summary: { verdict, passed: 3, failed: 2, errored: 0, passRate: 0.7996 } }, threshold: 0.8, cases: [], ...over });
  const candidate = { evaluate: [{ ref: 'p@1.1.0', candidate: true }, { ref: 'p@1.0.0', candidate: false }] };

  it("a candidate's failed suite is an error on its suite file; a passed one is not", () => {
    // 79.96% against 80%: rounded down, as the tables show it (never "80.0%, below 80.0%"; % is escaped as %25).
    const lines = githubAnnotations(result({ plan: candidate, report: { runs: [run('golden', 'failed'), run('other', 'passed')], baselines: [] } } as unknown as Partial<CiResult>));
    expect(lines).toEqual(['::error file=evalsets/p/golden.yaml,title=promptctl ci%3A suite failed::p@1.1.0 golden: 3 of 5 cases passed (79.9%25), below the threshold 80.0%25']);
  });

  it.each([
    ['an older version a changed suite re-evaluates (not gating, skipped in JUnit)', run('golden', 'failed', '1.0.0')],
    ['the deployed version, run to compare with', run('golden', 'failed', '1.1.0', { asDeployedIn: 'production' })],
  ])('a failed suite of %s is not annotated', (_, outcome) => {
    expect(githubAnnotations(result({ plan: candidate, report: { runs: [outcome], baselines: [] } } as unknown as Partial<CiResult>))).toEqual([]);
  });

  it("a shard job annotates no suite or regression: the merge gives the verdict", () => {
    const baselines = [{ env: 'production', promptId: 'p', version: '1.1.0', baselineVersion: '1.0.0', suites: [{ suite: 'golden', regressions: ['dropped 9 points'] }] }];
    const report = { runs: [run('golden', 'failed')], baselines };
    expect(githubAnnotations(result({ plan: candidate, verdict: 'shard-recorded', report } as unknown as Partial<CiResult>))).toEqual([]);
    // The same result as the merge's: annotated.
    expect(githubAnnotations(result({ plan: candidate, verdict: 'gate-failed', report } as unknown as Partial<CiResult>))).toHaveLength(2);
  });

  it("a candidate's failed gates are errors on its version file; an older version's drop is not", () => {
    const plan = { evaluate: [{ ref: 'p@1.2.0', candidate: true }, { ref: 'p@1.0.0', candidate: false }] };
    const suites = (regressions: string[], inconclusive?: string[]) => [{ suite: 'golden', regressions, ...(inconclusive ? { inconclusive } : {}) }];
    const baselines = [
      { env: 'production', promptId: 'p', version: '1.2.0', baselineVersion: '1.1.0', suites: suites(['dropped 9 points', 'unsure'], ['unsure']) },
      { env: 'production', promptId: 'p', version: '1.0.0', baselineVersion: '1.1.0', suites: suites(['dropped 20 points']) },
    ];
    const lines = githubAnnotations(result({ plan, report: { runs: [], baselines }, policy: [{ ref: 'p@1.2.0', env: 'production', failures: ['1 PII leak found'] }] } as unknown as Partial<CiResult>));
    expect(lines).toEqual([
      '::error file=prompts/p/1.2.0.yaml,title=promptctl ci%3A regression::p@1.2.0 vs production@1.1.0: dropped 9 points',
      '::error file=prompts/p/1.2.0.yaml,title=promptctl ci%3A inconclusive::p@1.2.0 vs production@1.1.0: unsure',
      '::error file=prompts/p/1.2.0.yaml,title=promptctl ci%3A production gate::p@1.2.0: 1 PII leak found',
    ]);
  });

  it('name the files as loaded: a .yml suite or version is annotated on its .yml file', () => {
    const files = { versions: { 'p@1.1.0': 'prompts/p/1.1.0.yml' }, suites: { 'p/golden': 'evalsets/p/golden.yml' } };
    const baselines = [{ env: 'production', promptId: 'p', version: '1.1.0', baselineVersion: '1.0.0', suites: [{ suite: 'golden', regressions: ['dropped 9 points'] }] }];
    const policy = [{ ref: 'p@1.1.0', env: 'production', failures: ['1 PII leak found'] }];
    const lines = githubAnnotations(result({ plan: candidate, files, report: { runs: [run('golden', 'failed')], baselines }, policy } as unknown as Partial<CiResult>));
    expect(lines.map((l) => /file=([^,]+)/.exec(l)?.[1])).toEqual(['evalsets/p/golden.yml', 'prompts/p/1.1.0.yml', 'prompts/p/1.1.0.yml']);
  });

  it('a version no suite applies to and a refused model upgrade fail ci: errors on the version file where ci loaded it, else title-only', () => {
    const files = { versions: { 'faq@1.0.0': 'prompts/faq/1.0.0.yml', 'p@1.1.0': 'prompts/p/1.1.0.yaml' }, suites: {} };
    const changes = { regression: 2, fix: 0, changed: 0, 'same-verdict': 1, identical: 1 };
    const upgrade = { promptId: 'p', version: '1.1.0', env: 'production', from: 'm', to: 'm-weak', changes, regressed: ['golden/a', 'golden/b'], failures: ['regression: 2 of 4 cases got worse'] };
    const notEvaluated = [{ ref: 'faq@1.0.0', why: 'no suite applies to this version, so it cannot be tested' }];
    const r = (over: Partial<CiResult>) => githubAnnotations(result({ verdict: 'gate-failed', ...over } as unknown as Partial<CiResult>));
    const lines = r({ files, notEvaluated, modelUpgrades: [{ ...upgrade, allowed: false }, { ...upgrade, env: 'staging', allowed: true, failures: [] }] });
    expect(lines).toEqual([
      '::error file=prompts/faq/1.0.0.yml,title=promptctl ci%3A not evaluated::faq@1.0.0: no suite applies to this version, so it cannot be tested',
      '::error file=prompts/p/1.1.0.yaml,title=promptctl ci%3A model upgrade refused::model upgrade p@1.1.0 in production: m -> m-weak: REFUSED; 4 cases: 2 regressed, 0 fixed, 0 changed verdict, 2 same verdict%0Agate: regression: 2 of 4 cases got worse',
    ]);
    // Files ci did not load: the title alone, never a file GitHub cannot place.
    expect(r({ notEvaluated, modelUpgrades: [{ ...upgrade, allowed: false }] }).map((l) => l.split('::')[1])).toEqual(['error title=promptctl ci%3A not evaluated', 'error title=promptctl ci%3A model upgrade refused']);
    // A shard judges nothing: the merge annotates.
    expect(r({ files, notEvaluated, verdict: 'shard-recorded' })).toEqual([]);
  });
});
