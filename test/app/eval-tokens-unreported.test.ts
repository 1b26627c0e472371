import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { makeSimProject, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A server (or a proxy in front of it) that leaves `usage` out of its answers gave no token count:
 * tokens read as 0, so every `max-tokens` check passed, whatever the output's length. The sample
 * now fails saying the count is missing, and its cached answer says so on a re-run.
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'script@example.com' };
const SUITE = `prompt: support-answer
versions: ">=1.0.0"
kind: golden
threshold: 1
cases:
  - id: short
    vars: { question: "When are you open?" }
    expect:
      - max-tokens: 1
`;

const verdicts = (r: Awaited<ReturnType<typeof runEval>>) => r.report.runs[0]!.cases.flatMap((c) => c.samples.map((s) => [s.verdict, s.reasons.map((x) => x.message).join('; ')]));

describe('max-tokens when the server reports no usage', () => {
  it('fails the sample saying the count is missing, fresh and from the cache; a counted answer is judged', async () => {
    const cwd = makeSimProject(sim.url);
    writeProjectFile(cwd, 'evalsets/support-answer/tokens.yaml', SUITE);
    const opts = { cwd, env, refs: ['support-answer@1.1.0'], suite: ['tokens'] };
    sim.setFaults({ noUsage: 1 });
    try {
      const fresh = await runEval(opts);
      expect(verdicts(fresh)).toEqual([['fail', expect.stringMatching(/^the server reported no token count for this answer \(no `usage` in its reply, or a count that is not a whole number of 0 or more\), so the limit of 1 tokens cannot be checked/)]]);
    } finally {
      sim.setFaults({});
    }
    const cached = await runEval(opts);
    expect(cached.report.runs[0]!.cases[0]!.samples[0]!.cached).toBe(true);
    expect(verdicts(cached)).toEqual(verdicts(await runEval({ ...opts, cache: true })));
    expect(verdicts(cached)[0]![1]).toMatch(/reported no token count/);
    // Counted, the same answer is over the limit of 1 token.
    const counted = await runEval({ ...opts, cache: false });
    expect(verdicts(counted)).toEqual([['fail', expect.stringMatching(/^output used \d+ tokens; the limit is 1$/)]]);
  });
});
