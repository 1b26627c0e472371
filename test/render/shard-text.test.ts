import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { shardRecordedLines } from '../../src/render/shard-text.js';
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
    [['m-a'], ['  support-faq@1.1.0 faq: 5 case(s)']],
    // A model matrix names each run's model, as every other output does (`id@version:model`).
    [['m-a', 'm-b'], ['  support-faq@1.1.0:m-a faq: 5 case(s)', '  support-faq@1.1.0:m-b faq: 5 case(s)']],
  ])('runs on %j', (models, rows) => {
    const lines = shardRecordedLines(shardReport(models));
    expect(lines.slice(1, -1)).toEqual(rows);
  });
});
