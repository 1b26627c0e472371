import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { mergeLines, missingShardText, shardRecordedLines } from '../../src/render/shard-text.js';
import { goldenRun } from './fixtures.js';

/** How a shard job words what it recorded, and how a merge words the shards it misses. */

function shardReport(models: string[]): EvalReport {
  const runs = models.map((model, i) => {
    const o = goldenRun();
    return { ...o, run: { ...o.run, id: `run-${i}`, model } };
  });
  return { invocationId: 'mx1', model: models.join(','), server: 'http://vllm:8000', startedAt: '', endedAt: '', runs, versions: [], baselines: [], shard: { index: 1, count: 2, invocation: 'mx1' } };
}

describe('shardRecordedLines', () => {
  it.each([
    [['m-a'], ['  support-faq@1.1.0 faq: 5 cases']],
    // A model matrix names each run's model, as every other output does (`id@version:model`).
    [['m-a', 'm-b'], ['  support-faq@1.1.0:m-a faq: 5 cases', '  support-faq@1.1.0:m-b faq: 5 cases']],
  ])('runs on %j', (models, rows) => {
    const lines = shardRecordedLines(shardReport(models));
    expect(lines.slice(1, -1)).toEqual(rows);
  });
});

describe('missingShardText', () => {
  const at = { promptId: 'support-answer', version: '1.2.0', suite: 'golden' };
  it.each([
    [{ shard: '3/4', state: 'never ran' as const }, 'support-answer@1.2.0 golden: shard 3/4 never ran'],
    // --no-n and --repeat change a run's inputs as a file does: named among the causes.
    [{ shard: '1/2', state: 'other inputs' as const }, /^support-answer@1\.2\.0 golden: shard 1\/2 ran with other inputs \(.*\.promptrc\.yaml.*--repeat, --no-n.*\): run every shard from one commit, with the same flags as the merge$/],
    [{ shard: null, state: 'never ran' as const }, 'support-answer@1.2.0 golden: no shard of invocation dr2 finished or stopped, so none of its cases are recorded'],
    // Every shard finished, on other inputs (the draft edited after them): not "none finished".
    [{ shard: null, state: 'other inputs' as const }, /^support-answer@1\.2\.0 golden: every shard of invocation dr2 ran with other inputs than this merge \(.*--no-n.*\), so none of its cases are recorded for them: run every shard from one commit/],
  ])('%j', (m, text) => {
    const line = missingShardText({ ...at, ...m }, 'dr2');
    if (typeof text === 'string') expect(line).toBe(text);
    else expect(line).toMatch(text);
  });
});

describe('a merge whose shards were answered by different weights', () => {
  const at = { promptId: 'support-answer', version: '1.2.0', suite: 'golden', model: 'sim-model' };
  it('names each shard with its weights; beside a shard still running, the hint says both', () => {
    const lines = mergeLines({
      invocation: 'dr3',
      count: 3,
      missing: [
        { ...at, shard: '1/3', state: 'other weights', weights: 'org/v1' },
        { ...at, shard: '2/3', state: 'other weights', weights: null },
        { ...at, shard: '3/3', state: 'still running', lease: { holder: 'runner-7', expiresAt: '2030-01-01T00:00:00.000Z' } },
      ],
    });
    expect(lines).toEqual([
      'INCOMPLETE: shards of invocation dr3 are missing or were answered by different weights',
      '  support-answer@1.2.0 golden: shard 1/3 was answered by root org/v1 behind "sim-model", and other shards of the invocation by other weights',
      '  support-answer@1.2.0 golden: shard 2/3 was answered by no root (unknown weights) behind "sim-model", and other shards of the invocation by other weights',
      '  support-answer@1.2.0 golden: shard 3/3 is still running: runner-7 holds its run\'s lease until 2030-01-01T00:00:00.000Z',
      "hint: the verdict is incomplete, never passed: wait for the running shard job to end (run one again only if its job is gone: with --resume once its lease has run out, it sends only the cases still missing); run the shard jobs again against one set of weights (every job's server.base_url serving the same root under the model name; the shards those weights answered need not run again), in the same CI run (or with --invocation dr3), then the merge again",
    ]);
  });
});
