import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { writeProjectFile } from '../support/project.js';

/**
 * `eval --filter-failing --tag a b`: a tag that only passing cases carry is a tag of the suite, not
 * a typo. It was refused (exit 2, `no case has the tag "a"`), though the suite has it and the other
 * tag selects a failing case, as an id of a passing case is still an id for `--case`.
 */

const SUITE = `prompt: support-answer
versions: ">=1.0.0"
kind: golden
threshold: 0.5
cases:
  - id: refund-window
    tags: [money]
    vars: { question: "How long do I have to ask for a refund?" }
    expect:
      - icontains: "30 days"
  - id: shipping-never
    tags: [shipping]
    vars: { question: "How many days does standard shipping take?" }
    expect:
      - contains: "never"
`;

describe('eval --filter-failing with --tag', () => {
  it('keeps a tag only passing cases carry, and re-runs the failing cases of the other tags', async ({ sharedSimProject: dir }) => {
    writeProjectFile(dir, 'evalsets/support-answer/tagged.yaml', SUITE);
    const first = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'tagged'], { cwd: dir });
    expect(first.code, first.output).toBe(0);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'tagged', '--filter-failing', '--json', '--tag', 'money', 'shipping'], { cwd: dir });
    expect(r.stderr).not.toContain('no case has the tag');
    // The suite still passes at 1 of 2 (threshold 0.5): the partial run is judged as the suite (eval-partial-verdict.test.ts).
    expect(r.code, r.output).toBe(0);
    const json = JSON.parse(r.stdout) as { runs: Array<{ cases: Array<{ caseId: string }> }> };
    expect(json.runs.map((o) => o.cases.map((c) => c.caseId))).toEqual([['shipping-never']]);
  });

  it('still refuses a tag no case of the suite has', async ({ sharedSimProject: dir }) => {
    writeProjectFile(dir, 'evalsets/support-answer/tagged.yaml', SUITE);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'tagged', '--filter-failing', '--tag', 'shiping', 'shipping'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('no case has the tag "shiping" (--tag)');
  });
});
