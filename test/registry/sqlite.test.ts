import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord, RunSummary, SampleResult } from '../../src/core/schemas/run.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { makeTempDir } from './harness.js';

let tmp: ReturnType<typeof makeTempDir>;
let open: Registry[] = [];
const fixedClock = { date: () => new Date('2025-03-01T12:00:00.000Z') };

function registry(path = join(tmp.dir, 'registry.db')): Registry {
  const reg = openSqliteRegistry({ path, clock: fixedClock });
  open.push(reg);
  return reg;
}

beforeEach(async () => {
  tmp = makeTempDir();
  open = [];
});
afterEach(async () => {
  for (const reg of open) await reg.close();
  tmp.cleanup();
});

describe('versions', () => {
  const v = (version: string, contentHash = `hash-${version}`) => ({
    promptId: 'support',
    version,
    contentHash,
    content: JSON.stringify({ version }),
    description: `v ${version}`,
    author: 'ana',
  });

  it('registers idempotently and never overwrites a changed version', async () => {
    const reg = registry();
    expect(await reg.registerVersion(v('1.0.0'))).toEqual({ status: 'new', record: { ...v('1.0.0'), createdAt: '2025-03-01T12:00:00.000Z' } });
    expect((await reg.registerVersion(v('1.0.0'))).status).toBe('same');
    const changed = await reg.registerVersion(v('1.0.0', 'edited-hash'));
    expect(changed.status).toBe('changed');
    expect(changed.record.contentHash).toBe('hash-1.0.0');
    expect((await reg.getVersion('support', '1.0.0'))?.contentHash).toBe('hash-1.0.0');
    expect(await reg.getVersion('support', '9.9.9')).toBeUndefined();
  });

  it('supersedes a never-deployed version: new content registered, the old kept, a deployed one refused', async () => {
    const reg = registry();
    await reg.registerVersion(v('1.2.0', 'draft-1'));
    expect(await reg.supersedeVersion(v('1.2.0', 'draft-1'), 'ci')).toBeUndefined(); // same content: nothing to do
    const done = await reg.supersedeVersion(v('1.2.0', 'draft-2'), 'ci');
    expect(done?.superseded.contentHash).toBe('draft-1');
    expect((await reg.getVersion('support', '1.2.0'))?.contentHash).toBe('draft-2');
    expect((await reg.registerVersion(v('1.2.0', 'draft-2'))).status).toBe('same');
    // The swap is chained: a supersede event names the new content and the one it replaced.
    expect(await reg.listEvents({ promptId: 'support' })).toMatchObject([{ seq: 1, env: '', action: 'supersede', actor: 'ci', contentHash: 'draft-2', detail: { supersededHash: 'draft-1' } }]);
    await reg.appendEvent({ env: 'staging', promptId: 'support', version: '1.2.0', previousVersion: null, action: 'deploy', actor: 'a', reason: null });
    expect(await reg.supersedeVersion(v('1.2.0', 'draft-3'), 'ci')).toBeUndefined();
    expect((await reg.getVersion('support', '1.2.0'))?.contentHash).toBe('draft-2');
  });

  it('lists versions in semver order', async () => {
    const reg = registry();
    for (const version of ['1.10.0', '1.9.0', '1.2.0-beta.1', '1.2.0']) await reg.registerVersion(v(version));
    await reg.registerVersion({ ...v('0.1.0'), promptId: 'another' });
    expect((await reg.listVersions('support')).map((r) => r.version)).toEqual(['1.2.0-beta.1', '1.2.0', '1.9.0', '1.10.0']);
    expect((await reg.listVersions()).map((r) => `${r.promptId}@${r.version}`)[0]).toBe('another@0.1.0');
  });

  it('lists every prompt id known from versions or events, once, sorted', async () => {
    const reg = registry();
    await reg.registerVersion(v('1.0.0'));
    await reg.registerVersion(v('1.1.0'));
    await reg.appendEvent({ env: 'staging', promptId: 'only-deployed', version: '1.0.0', previousVersion: null, action: 'deploy', actor: 'a', reason: null });
    await reg.appendEvent({ env: 'staging', promptId: 'support', version: '1.0.0', previousVersion: null, action: 'deploy', actor: 'a', reason: null });
    expect(await reg.listPromptIds()).toEqual(['only-deployed', 'support']);
  });
});

const run = (id: string, over: Partial<RunRecord> = {}): Omit<RunRecord, 'status' | 'endedAt' | 'summary'> => ({
  id,
  invocationId: 'inv-1',
  inputsKey: 'inputs-1',
  promptId: 'support',
  version: '1.0.0',
  promptHash: 'ph',
  suite: 'faq',
  suiteKind: 'golden',
  suiteHash: 'sh',
  model: 'llama',
  server: 'http://localhost:8000/v1',
  promptctlVersion: '0.1.0',
  startedAt: '2025-03-01T12:00:00.000Z',
  ...over,
});

const summary: RunSummary = {
  cases: 2, passed: 1, failed: 1, errored: 0, notRun: 0, samples: 2, passRate: 0.5, verdict: 'failed',
  latencyP50: 10, latencyP95: 20, latencyP99: 20, tokensIn: 10, tokensOut: 20, piiLeaks: 0,
};

describe('runs and samples', () => {
  it('round-trips a run and its samples, replacing re-recorded samples', async () => {
    const reg = registry();
    await reg.createRun(run('r1'));
    const pass: SampleResult = { runId: 'r1', caseId: 'c1', sample: 0, verdict: 'pass', output: 'hi', reasons: [], latencyMs: 12.5, tokensIn: 3, tokensOut: 4, cached: false };
    const fail: SampleResult = {
      runId: 'r1', caseId: 'c2', sample: 0, verdict: 'fail', output: 'leak', latencyMs: 8, tokensIn: 3, tokensOut: 1, cached: true,
      reasons: [{ expectation: 'no-leak', message: 'canary found', actual: 'CANARY' }], category: 'extraction', leaks: ['canary'],
    };
    const error: SampleResult = { ...pass, caseId: 'c3', verdict: 'error', output: '', error: 'timeout after 30000 ms' };
    await reg.recordSamples([pass, fail, error]);
    await reg.recordSamples([{ ...pass, output: 'hello again' }]);
    const samples = await reg.getSamples('r1');
    expect(samples).toHaveLength(3);
    expect(samples).toContainEqual(fail);
    expect(samples).toContainEqual(error);
    expect(samples).toContainEqual({ ...pass, output: 'hello again' });

    expect(await reg.getRun('r1')).toEqual({ ...run('r1'), status: 'running' });
    expect((await reg.findResumableRun('inputs-1'))?.id).toBe('r1');
    await reg.finishRun('r1', 'finished', summary, '2025-03-01T12:05:00.000Z');
    expect(await reg.getRun('r1')).toEqual({ ...run('r1'), status: 'finished', summary, endedAt: '2025-03-01T12:05:00.000Z' });
    expect(await reg.findResumableRun('inputs-1')).toBeUndefined();
  });

  it('refuses samples of an unknown run (foreign key) and finishing an unknown run', async () => {
    const reg = registry();
    await expect(reg.recordSamples([{ runId: 'nope', caseId: 'c', sample: 0, verdict: 'pass', output: '', reasons: [], latencyMs: 1, tokensIn: 0, tokensOut: 0, cached: false }])).rejects.toThrow(/FOREIGN KEY/);
    await expect(reg.finishRun('nope', 'finished', summary, 'x')).rejects.toThrow(/no run with id nope/);
  });

  it('filters runs and finds the newest unfinished run to resume', async () => {
    const reg = registry();
    await reg.createRun(run('a', { startedAt: '2025-03-01T10:00:00.000Z' }));
    await reg.createRun(run('b', { startedAt: '2025-03-01T11:00:00.000Z', suite: 'attacks', suiteKind: 'adversarial' }));
    await reg.createRun(run('c', { startedAt: '2025-03-01T12:00:00.000Z', version: '1.1.0' }));
    await reg.finishRun('b', 'aborted', summary, '2025-03-01T11:01:00.000Z');
    expect((await reg.listRuns({ promptId: 'support', version: '1.0.0' })).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await reg.listRuns({ suite: 'attacks' })).map((r) => r.id)).toEqual(['b']);
    expect((await reg.listRuns({ status: 'running' })).map((r) => r.id)).toEqual(['a', 'c']);
    expect((await reg.listRuns({})).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect((await reg.findResumableRun('inputs-1'))?.id).toBe('c');
  });

  it('never stores credentials that were part of a server URL', async () => {
    const reg = registry();
    await reg.createRun(run('r', { server: 'https://user:s3cret@vllm.internal/v1' }));
    expect((await reg.getRun('r'))?.server).toBe('https://vllm.internal/v1');
  });
});

describe('response cache and tested marks', () => {
  it('caches responses by key, replacing on put', async () => {
    const reg = registry();
    expect(await reg.getCachedResponse('k')).toBeUndefined();
    await reg.putCachedResponse('k', { output: 'a', latencyMs: 5, tokensIn: 1, tokensOut: 2 });
    await reg.putCachedResponse('k', { output: 'b', latencyMs: 6, tokensIn: 1, tokensOut: 2 });
    expect(await reg.getCachedResponse('k')).toEqual({ output: 'b', latencyMs: 6, tokensIn: 1, tokensOut: 2 });
  });

  it('keeps tested marks as chained events, keyed by content hash and model; a new mark or a revoke is a new event', async () => {
    const reg = registry();
    const mark = {
      promptId: 'support', version: '1.0.0', contentHash: 'h1', model: 'llama', actor: 'ci@example.com',
      suites: [{ suite: 'faq', kind: 'golden' as const, passRate: 1, runId: 'r1' }], invocationId: 'inv-1',
    };
    await reg.markTested(mark);
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'llama')).toEqual({ ...mark, source: 'run', createdAt: '2025-03-01T12:00:00.000Z', event: { seq: 1, action: 'tested', hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(await reg.getTestedMark('support', '1.0.0', 'h2', 'llama')).toBeUndefined();
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'mistral')).toBeUndefined();
    await reg.markTested(mark); // the same mark on the same runs: nothing new
    expect(await reg.listEvents()).toMatchObject([{ seq: 1, env: '', action: 'tested', contentHash: 'h1', actor: 'ci@example.com' }]);
    const rerun = { ...mark, suites: [{ ...mark.suites[0]!, runId: 'r2' }], invocationId: undefined };
    await reg.markTested(rerun);
    await reg.markTested({ ...mark, model: 'mistral' });
    expect((await reg.getTestedMark('support', '1.0.0', 'h1', 'llama'))?.suites[0]?.runId).toBe('r2');
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'llama')).not.toHaveProperty('invocationId');
    expect(await reg.listTestedMarks('support')).toHaveLength(2);
    expect(await reg.listTestedMarks('other')).toEqual([]);
    expect(await reg.revokeTestedMark('support', '1.0.0', 'h1', 'llama', 'ci@example.com')).toBe(true);
    expect(await reg.revokeTestedMark('support', '1.0.0', 'h1', 'llama', 'ci@example.com')).toBe(false);
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'llama')).toBeUndefined();
    expect((await reg.listEvents()).map((e) => e.action)).toEqual(['tested', 'tested', 'tested', 'untested']);
    expect((await reg.verifyChain()).ok).toBe(true);
  });
});

describe('transactions', () => {
  it('rolls back everything when the function throws, and nests', async () => {
    const reg = registry();
    const base = { promptId: 'p', contentHash: 'h', content: '{}', description: '', author: 'a' };
    await expect(
      reg.transaction(async (tx) => {
        await tx.registerVersion({ ...base, version: '1.0.0' });
        await tx.transaction((inner) => inner.registerVersion({ ...base, version: '1.1.0' }));
        throw new Error('decided against it');
      }),
    ).rejects.toThrow('decided against it');
    expect(await reg.listVersions()).toEqual([]);

    await reg.transaction(async (tx) => {
      await tx.registerVersion({ ...base, version: '2.0.0' });
      try {
        await tx.transaction(async (inner) => {
          await inner.registerVersion({ ...base, version: '2.1.0' });
          throw new Error('inner only');
        });
      } catch {
        // A nested transaction runs inside the open one (no savepoint): what it wrote stays unless the outer fails.
      }
    });
    expect((await reg.listVersions()).map((r) => r.version)).toEqual(['2.0.0', '2.1.0']);
  });
});
