import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeTempDir, withRegistry, writeProjectFile } from '../support/project.js';

/**
 * A judge's cached grade is bound to the judge's weights as a cached answer is to the run model's:
 * an eval that asks the server grades again what a judge on other weights graded. Before, the
 * answer was sent again (other weights) but the old weights' grade of it was reused, and a
 * separate judge model's swap went unseen: "✓ tested" on a grade the new judge never gave.
 */

const env = { PROMPTCTL_ACTOR: 'judge-weights@example.com' };
const simulator = restartableSimulator((roots) => {
  const [model, judge] = (roots ?? 'org/sim-7b-v1 org/judge-v1').split(' ');
  return { models: ['sim-model', 'judge'], modelSpecs: [{ id: 'sim-model', root: model! }, { id: 'judge', root: judge! }] };
});
afterAll(() => cleanupTempDirs());

const PROMPT = `id: qa
version: 1.0.0
description: first
author: me@example.com
variables:
  - name: question
    type: string
    required: true
messages:
  - role: system
    content: |
      You answer questions about Acme. Facts:
      - Refunds are available within 30 days of purchase.
      - Standard shipping takes 3 to 5 business days.
  - role: user
    content: "{{question}}"
`;

const SUITE = `prompt: qa
versions: ">=1.0.0"
kind: golden
threshold: 0.5
cases:
  - id: refund
    vars: { question: "How long do I have to ask for a refund?" }
    expect:
      - judge: { rubric: "States that refunds are available within 30 days", min_score: 0.5 }
`;

const PLAIN_CASE = `  - id: ship
    vars: { question: "How many days does standard shipping take?" }
    expect:
      - contains: "5 business days"
`;

function project(url: string, judgeModel?: string): string {
  const dir = makeTempDir('promptctl-judge-weights-');
  writeProjectFile(dir, '.promptrc.yaml', `server:\n  base_url: ${url}\n  model: sim-model\n${judgeModel ? `  judge_model: ${judgeModel}\n` : ''}environments:\n  - name: staging\n`);
  writeProjectFile(dir, 'prompts/qa/1.0.0.yaml', PROMPT);
  writeProjectFile(dir, 'evalsets/qa/golden.yaml', SUITE);
  return dir;
}

const pointAt = (dir: string, url: string, judgeModel?: string) =>
  writeProjectFile(dir, '.promptrc.yaml', `server:\n  base_url: ${url}\n  model: sim-model\n${judgeModel ? `  judge_model: ${judgeModel}\n` : ''}environments:\n  - name: staging\n`);

/** The roots the response cache recorded, of the judge's grades and of the answers. */
const cacheRoots = (dir: string) => withRegistry(dir, (db) => (db.prepare('select root, output from response_cache').all() as Array<{ root: string | null; output: string }>).map((r) => [r.output.startsWith('{') ? 'grade' : 'answer', r.root]).sort());

describe('cached judge grades and the judge weights', () => {
  it('grades again when the separate judge model serves other weights, and records the new ones', async () => {
    const dir = project((await simulator.serve('org/sim-7b-v1 org/judge-v1')).url, 'judge');
    expect((await runEval({ cwd: dir, env })).exitCode).toBe(0);
    expect(simulator.running.stats().chatCompletions).toBe(2);
    expect(cacheRoots(dir)).toEqual([['answer', 'org/sim-7b-v1'], ['grade', 'org/judge-v1']]);

    // The judge now serves other weights; a new case makes the eval ask the server.
    pointAt(dir, (await simulator.serve('org/sim-7b-v1 org/judge-v2')).url, 'judge');
    writeProjectFile(dir, 'evalsets/qa/golden.yaml', SUITE + PLAIN_CASE);
    const again = await runEval({ cwd: dir, env });
    expect(again.exitCode).toBe(0);
    // The new case's answer and a new grade of the cached refund answer (same model weights).
    expect(simulator.running.stats().chatCompletions).toBe(2);
    expect(cacheRoots(dir)).toEqual([['answer', 'org/sim-7b-v1'], ['answer', 'org/sim-7b-v1'], ['grade', 'org/judge-v2']]);

    // Fully cached now: nothing is sent, and no server is needed.
    await simulator.stop();
    const cached = await runEval({ cwd: dir, env });
    expect(cached.exitCode).toBe(0);
    expect(cached.report.versions).toEqual([{ promptId: 'qa', version: '1.0.0', tested: true }]);
  });

  it('grades again the answer it sends again when the run model, also the judge, serves other weights', async () => {
    const dir = project((await simulator.serve('org/sim-7b-v1 org/judge-v1')).url);
    expect((await runEval({ cwd: dir, env })).exitCode).toBe(0);
    expect(simulator.running.stats().chatCompletions).toBe(2);
    pointAt(dir, (await simulator.serve('org/sim-7b-v2 org/judge-v1')).url);
    writeProjectFile(dir, 'evalsets/qa/golden.yaml', SUITE + PLAIN_CASE);
    expect((await runEval({ cwd: dir, env })).exitCode).toBe(0);
    // Both answers and the refund answer's grade, all from the new weights.
    expect(simulator.running.stats().chatCompletions).toBe(3);
    expect(cacheRoots(dir)).toEqual([['answer', 'org/sim-7b-v2'], ['answer', 'org/sim-7b-v2'], ['grade', 'org/sim-7b-v2']]);
  });
});
