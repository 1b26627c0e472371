import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { missingShardText, shardRecordedLines } from '../../src/render/shard-text.js';
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
