import { beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord, RunSummary, SampleResult } from '../../src/core/schemas/run.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { UnavailableError } from '../../src/core/errors.js';
import { backends, type FreshRegistry } from './backends.js';

/**
 * One registry suite, run against every backend: the records each method keeps and returns,
 * exactly alike on SQLite and PostgreSQL. The transaction contract is conformance-transactions.test.ts.
 */

const v = (version: string, contentHash = `hash-${version}`, promptId = 'support') => ({
  promptId, version, contentHash, content: JSON.stringify({ version }), description: `v ${version}`, author: 'ana',
});
const run = (id: string, over: Partial<RunRecord> = {}): Omit<RunRecord, 'status' | 'endedAt' | 'summary'> => ({
  id, invocationId: 'inv-1', inputsKey: 'inputs-1', promptId: 'support', version: '1.0.0', promptHash: 'ph', suite: 'faq',
  suiteKind: 'golden', suiteHash: 'sh', model: 'llama', server: 'http://localhost:8000/v1', promptctlVersion: '0.1.0',
  startedAt: '2025-03-01T12:00:00.000Z', ...over,
});
const summary: RunSummary = {
  cases: 2, passed: 1, failed: 1, errored: 0, notRun: 0, samples: 2, passRate: 0.5, verdict: 'failed',
  latencyP50: 10, latencyP95: 20, latencyP99: 20, tokensIn: 10, tokensOut: 20, piiLeaks: 0,
};
const deploy = (version: string, over: Record<string, unknown> = {}) => ({
  env: 'staging', promptId: 'support', version, previousVersion: null, action: 'deploy' as const, actor: 'ana', reason: null, ...over,
});

describe.each(backends())('$name registry', (backend) => {
  let store: FreshRegistry;
  let open: () => Registry;
  let reg: Registry;
  beforeEach(async () => {
    if (backend.skip) return;
    store = await backend.fresh();
    open = store.open;
    reg = open();
  });
  const test = backend.skip ? it.skip : it;

  test('registers idempotently, never overwrites a changed version, and supersedes only an undeployed one', async () => {
    expect(await reg.registerVersion(v('1.0.0'))).toEqual({ status: 'new', record: { ...v('1.0.0'), createdAt: '2025-03-01T12:00:00.000Z' } });
    expect((await reg.registerVersion(v('1.0.0'))).status).toBe('same');
    const changed = await reg.registerVersion(v('1.0.0', 'edited'));
    expect(changed).toMatchObject({ status: 'changed', record: { contentHash: 'hash-1.0.0' } });
    expect(await reg.getVersion('support', '9.9.9')).toBeUndefined();
    await reg.registerVersion(v('1.2.0', 'draft-1'));
    expect(await reg.supersedeVersion(v('1.2.0', 'draft-1'), 'ci')).toBeUndefined();
    expect((await reg.supersedeVersion(v('1.2.0', 'draft-2'), 'ci'))?.superseded.contentHash).toBe('draft-1');
    expect((await reg.getVersion('support', '1.2.0'))?.contentHash).toBe('draft-2');
    // The swap is an event of the chain, about no environment: the draft is still not released.
    expect(await reg.listEvents()).toMatchObject([{ seq: 1, env: '', action: 'supersede', contentHash: 'draft-2', actor: 'ci', detail: { supersededHash: 'draft-1' } }]);
    expect((await reg.supersedeVersion(v('1.2.0', 'draft-3'), 'ci'))?.superseded.contentHash).toBe('draft-2');
    await reg.appendEvent(deploy('1.2.0'));
    expect(await reg.supersedeVersion(v('1.2.0', 'draft-4'), 'ci')).toBeUndefined();
    expect((await reg.getVersion('support', '1.2.0'))?.contentHash).toBe('draft-3');
  });

  test('lists versions in semver order and prompt ids from versions and events, sorted by code point', async () => {
    expect(await reg.listPromptIds()).toEqual([]);
    for (const version of ['1.10.0', '1.9.0', '1.2.0-beta.1', '1.2.0']) await reg.registerVersion(v(version));
    await reg.registerVersion(v('0.1.0', 'h', 'Zeta'));
    await reg.appendEvent(deploy('1.0.0', { promptId: 'only-deployed' }));
    expect((await reg.listVersions('support')).map((r) => r.version)).toEqual(['1.2.0-beta.1', '1.2.0', '1.9.0', '1.10.0']);
    expect((await reg.listVersions())[0]?.promptId).toBe('Zeta');
    expect(await reg.listPromptIds()).toEqual(['Zeta', 'only-deployed', 'support']);
    await reg.registerVersion(v('1.0.0', 'h', 'é'));
    await reg.appendEvent(deploy('1.0.0', { promptId: 'support-2' }));
    await reg.appendEvent(deploy('1.0.0', { promptId: 'Zeta' }));
    expect(await reg.listPromptIds()).toEqual(['Zeta', 'only-deployed', 'support', 'support-2', 'é']);
  });

  test('lists the environments events name, configured or not, sorted by code point; marks name none', async () => {
    expect(await reg.listEnvironments()).toEqual([]);
    await reg.registerVersion(v('1.0.0'));
    await reg.markTested({ promptId: 'support', version: '1.0.0', contentHash: 'h', model: 'm', suites: [], actor: 'ana' });
    expect(await reg.listEnvironments()).toEqual([]);
    for (const env of ['staging', 'qa-old', 'Prod', 'staging', 'é']) await reg.appendEvent(deploy('1.0.0', { env }));
    await reg.appendEvent(deploy('1.0.0', { env: 'zz', promptId: 'other', action: 'override', detail: { skipped: ['x'] } }));
    expect(await reg.listEnvironments()).toEqual(['Prod', 'qa-old', 'staging', 'zz', 'é']);
  });

  test('the owner may do all that eval, deploy and rollback write', async () => {
    for (const job of ['eval', 'deploy', 'rollback'] as const) expect(await reg.missingPrivileges(job)).toEqual([]);
  });

  test('round-trips what a sample exchanged (tool calls, earlier turns) with the sample and its cache row', async () => {
    await reg.createRun(run('r1'));
    const exchange = { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris \u0000 🙂"}' }], turns: ['first reply', ''] };
    const called: SampleResult = { runId: 'r1', caseId: 'c1', sample: 0, verdict: 'pass', output: 'It is sunny.', reasons: [], latencyMs: 3, tokensIn: 5, tokensOut: 6, cached: false, exchange };
    const plain: SampleResult = { ...called, caseId: 'c2', exchange: undefined };
    delete plain.exchange;
    await reg.recordSamples([called, plain], [{ key: 'kx', response: { output: 'It is sunny.', latencyMs: 3, tokensIn: 5, tokensOut: 6, exchange } }, { key: 'kp', response: { output: 'plain', latencyMs: 1, tokensIn: 1, tokensOut: 1 } }]);
    expect(await reg.getSamples('r1')).toEqual([called, plain]);
    expect(await reg.getCachedResponse('kx')).toEqual({ output: 'It is sunny.', latencyMs: 3, tokensIn: 5, tokensOut: 6, exchange });
    expect(await reg.getCachedResponse('kp')).toEqual({ output: 'plain', latencyMs: 1, tokensIn: 1, tokensOut: 1 });
    // A re-recorded sample without an exchange drops the old one (replaced whole).
    await reg.recordSamples([{ ...plain, caseId: 'c1' }], [{ key: 'kx', response: { output: 'plain', latencyMs: 1, tokensIn: 1, tokensOut: 1 } }]);
    expect((await reg.getSamples('r1')).find((x) => x.caseId === 'c1')).toEqual({ ...plain, caseId: 'c1' });
    expect(await reg.getCachedResponse('kx')).toEqual({ output: 'plain', latencyMs: 1, tokensIn: 1, tokensOut: 1 });
  });

  test('keeps the weights (root) that gave a cached answer; an answer re-cached without one drops it', async () => {
    await reg.recordSamples([], [{ key: 'kr', response: { output: 'a', latencyMs: 1, tokensIn: 1, tokensOut: 1, root: 'org/model-v2' } }]);
    expect(await reg.getCachedResponse('kr')).toEqual({ output: 'a', latencyMs: 1, tokensIn: 1, tokensOut: 1, root: 'org/model-v2' });
    expect((await reg.getCachedResponses(['kr'])).get('kr')).toEqual({ output: 'a', latencyMs: 1, tokensIn: 1, tokensOut: 1, root: 'org/model-v2' });
    await reg.putCachedResponse('kr', { output: 'b', latencyMs: 1, tokensIn: 1, tokensOut: 1 });
    expect(await reg.getCachedResponse('kr')).toEqual({ output: 'b', latencyMs: 1, tokensIn: 1, tokensOut: 1 });
  });

  test('reads many cached answers at once: only the keys held, across pages, with their exchanges', async () => {
    const answer = (i: number) => ({ output: `answer ${i} \u0000 🙂`, latencyMs: i, tokensIn: 1, tokensOut: 2, ...(i % 7 === 0 ? { exchange: { turns: [`turn ${i}`] } } : {}), ...(i % 5 === 0 ? { root: `org/m-${i % 3}` } : {}) });
    const held = Array.from({ length: 1203 }, (_, i) => i);
    await reg.recordSamples([], held.map((i) => ({ key: `k${i}`, response: answer(i) })));
    const asked = [...held.map((i) => `k${i}`), 'missing-1', 'k5', 'missing-2'];
    const found = await reg.getCachedResponses(asked);
    expect(found.size).toBe(1203);
    for (const i of held) expect(found.get(`k${i}`), `k${i}`).toEqual(answer(i));
    // A single read answers as the batched one, for every shape (with an exchange, a root, both, neither):
    // a few keys, not all 1,203 one round trip after another (1,203 statements, the file's most on PostgreSQL).
    for (const i of [1, 5, 7, 35, 1202]) expect(await reg.getCachedResponse(`k${i}`), `k${i}`).toEqual(found.get(`k${i}`));
    expect(found.get('k14')).toEqual(answer(14));
    expect(found.has('missing-1')).toBe(false);
    expect(await reg.getCachedResponses([])).toEqual(new Map());
    expect(await reg.getCachedResponses(['missing-1'])).toEqual(new Map());
  });

  test('round-trips runs and samples; a re-recorded sample replaces the old one and lists last', async () => {
    await reg.createRun(run('r1', { server: 'https://user:s3cret@vllm.internal/v1' }));
    const pass: SampleResult = { runId: 'r1', caseId: 'c1', sample: 0, verdict: 'pass', output: 'hi', reasons: [], latencyMs: 12.5, tokensIn: 3, tokensOut: 4, cached: false };
    const fail: SampleResult = {
      runId: 'r1', caseId: 'c2', sample: 0, verdict: 'fail', output: 'leak', latencyMs: 8, tokensIn: 3, tokensOut: 1, cached: true,
      reasons: [{ expectation: 'no-leak', message: 'canary found', actual: 'CANARY' }], category: 'extraction', leaks: ['canary'],
    };
    const error: SampleResult = { ...pass, caseId: 'c3', verdict: 'error', output: 'a NUL \u0000 and ünïcödé 🙂', error: 'timeout after 30000 ms' };
    await reg.recordSamples([pass, fail, error], [{ key: 'k1', response: { output: 'hi \u0000 🙂', latencyMs: 12.5, tokensIn: 3, tokensOut: 4 } }]);
    await reg.recordSamples([{ ...pass, output: 'hello again' }]);
    expect(await reg.getSamples('r1')).toEqual([fail, error, { ...pass, output: 'hello again' }]);
    // A page: only the samples of the cases asked for, in the order recorded.
    expect(await reg.getSamples('r1', { caseIds: ['c1', 'c2', 'not-a-case'] })).toEqual([fail, { ...pass, output: 'hello again' }]);
    expect(await reg.getSamples('r1', { caseIds: [] })).toEqual([]);
    expect(await reg.getCachedResponse('k1')).toEqual({ output: 'hi \u0000 🙂', latencyMs: 12.5, tokensIn: 3, tokensOut: 4 });
    // A run's start and end are this process's clock on SQLite, the server's on PostgreSQL (postgres-server-clock.test.ts).
    const at = (iso: string) => (backend.name === 'sqlite' ? iso : expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
    expect(await reg.getRun('r1')).toEqual({ ...run('r1'), server: 'https://vllm.internal/v1', status: 'running', startedAt: at(run('r1').startedAt) });
    expect((await reg.findResumableRun('inputs-1'))?.id).toBe('r1');
    await reg.finishRun('r1', 'finished', summary, '2025-03-01T12:05:00.000Z');
    expect(await reg.getRun('r1')).toMatchObject({ status: 'finished', summary, endedAt: at('2025-03-01T12:05:00.000Z') });
    expect(await reg.findResumableRun('inputs-1')).toBeUndefined();
    await expect(reg.finishRun('nope', 'finished', summary, 'x')).rejects.toThrow(/no run with id nope/);
    await expect(reg.recordSamples([{ ...pass, runId: 'nope' }])).rejects.toThrow();
    // A batch with one sample of no run is refused whole: the good sample and the cache row too,
    // whether it is a new sample or re-writes one (PostgreSQL checks the run once per statement).
    const before = await reg.getSamples('r1');
    for (const other of [{ ...pass, caseId: 'new-case' }, { ...pass, output: 'rewritten' }]) {
      await expect(reg.recordSamples([other, { ...pass, runId: 'nope', caseId: 'orphan' }], [{ key: 'k-orphan', response: { output: 'x', latencyMs: 1, tokensIn: 1, tokensOut: 1 } }])).rejects.toThrow();
      expect(await reg.getSamples('r1')).toEqual(before);
      expect(await reg.getSamples('nope')).toEqual([]);
      expect(await reg.getCachedResponse('k-orphan')).toBeUndefined();
    }
  });

  test('a batch writes its samples and cache rows together; re-written samples replace the old ones, in or out of a transaction', async () => {
    await reg.createRun(run('r1'));
    const s = (caseId: string, sample: number, output: string): SampleResult => ({
      runId: 'r1', caseId, sample, verdict: 'pass', output, reasons: [], latencyMs: 1.25, tokensIn: 1, tokensOut: 2, cached: false,
    });
    const answer = (output: string) => ({ output, latencyMs: 3.5, tokensIn: 4, tokensOut: 5 });
    // Outputs are encoded one by one: halves of a surrogate pair in two outputs never join into one character.
    await reg.recordSamples([s('a', 0, 'first'), s('b', 0, 'x\ud83d'), s('c', 0, '\ude42y'), s('a', 0, 'twice in one batch: the last counts'), s('d', 0, '')], [
      { key: 'k1', response: answer('one') }, { key: 'k2', response: answer('\u0000') }, { key: 'k1', response: answer('one, again') },
    ]);
    const outputs = async () => (await reg.getSamples('r1')).map((x) => `${x.caseId}:${x.output}`);
    const [b, c, ...rest] = await outputs();
    // (How a lone surrogate reads back differs by backend; that it stays apart does not.)
    expect([b, c]).toEqual([expect.stringMatching(/^b:x\ufffd+$/), expect.stringMatching(/^c:\ufffd+y$/)]);
    expect(rest).toEqual(['a:twice in one batch: the last counts', 'd:']);
    expect(await reg.getCachedResponse('k1')).toEqual(answer('one, again'));
    expect(await reg.getCachedResponse('k2')).toEqual(answer('\u0000'));
    // New and re-written samples in one batch, with a cache row: the re-written ones list last, in batch order.
    await reg.recordSamples([s('e', 0, 'new'), s('c', 0, 'replaced'), s('f', 0, 'new too')], [{ key: 'k2', response: answer('replaced') }]);
    expect(await outputs()).toEqual([b, 'a:twice in one batch: the last counts', 'd:', 'e:new', 'c:replaced', 'f:new too']);
    expect(await reg.getCachedResponse('k2')).toEqual(answer('replaced'));
    await reg.transaction(async (tx) => {
      await tx.recordSamples([s('b', 0, 'in a transaction'), s('g', 0, 'new in a transaction')], [{ key: 'k3', response: answer('three') }]);
      await tx.recordSamples([], [{ key: 'k3', response: answer('three, again') }]);
    });
    expect((await outputs()).slice(-2)).toEqual(['b:in a transaction', 'g:new in a transaction']);
    expect(await reg.getCachedResponse('k3')).toEqual(answer('three, again'));
    // Texts that array literals must quote or escape, and numbers that must read back exactly.
    const awkward: SampleResult = {
      ...s('q"u\\o{t,e} NULL', 1, 'ok'), verdict: 'fail', category: 'NULL', error: '', leaks: ['pii', 'canary'], latencyMs: 0.1 + 0.2, tokensIn: 0, tokensOut: 2 ** 31 - 1,
      reasons: [{ expectation: 'contains', message: 'missing "x" \\ {y}, z', expected: '' }],
    };
    await reg.recordSamples([awkward], [{ key: 'k"\\{,}', response: { ...answer('ok'), latencyMs: 1e-7 } }]);
    expect((await reg.getSamples('r1')).at(-1)).toEqual(awkward);
    expect(await reg.getCachedResponse('k"\\{,}')).toEqual({ ...answer('ok'), latencyMs: 1e-7 });
    // A batch refused (its run does not exist) keeps nothing, its cache rows included.
    await expect(reg.recordSamples([s('h', 0, 'orphan'), { ...s('i', 0, 'orphan'), runId: 'nope' }], [{ key: 'k4', response: answer('four') }])).rejects.toThrow();
    expect(await reg.getCachedResponse('k4')).toBeUndefined();
    expect(await outputs()).toHaveLength(8);
  });

  test('filters runs in start order and finds the newest unfinished one to resume', async () => {
    await reg.createRun(run('a', { startedAt: '2025-03-01T10:00:00.000Z' }));
    await reg.createRun(run('b', { startedAt: '2025-03-01T11:00:00.000Z', suite: 'attacks', suiteKind: 'adversarial' }));
    await reg.createRun(run('c', { startedAt: '2025-03-01T12:00:00.000Z', version: '1.1.0' }));
    await reg.createRun(run('d', { startedAt: '2025-03-01T12:00:00.000Z', version: '1.1.0' }));
    await reg.finishRun('b', 'aborted', summary, '2025-03-01T11:01:00.000Z');
    expect((await reg.listRuns({ promptId: 'support', version: '1.0.0' })).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await reg.listRuns({ suite: 'attacks' })).map((r) => r.id)).toEqual(['b']);
    expect((await reg.listRuns({ status: 'running' })).map((r) => r.id)).toEqual(['a', 'c', 'd']);
    expect((await reg.listRuns({})).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect((await reg.findResumableRun('inputs-1'))?.id).toBe('d');
  });

  test('lists the newest runs on some model names, in start order, as the tail of listRuns', async () => {
    const at = (h: number) => `2025-03-01T${String(h).padStart(2, '0')}:00:00.000Z`;
    const ids = (runs: RunRecord[]) => runs.map((r) => r.id);
    await reg.createRun(run('a', { model: 'llama', startedAt: at(1) }));
    await reg.createRun(run('b', { model: 'qwen', startedAt: at(2) }));
    await reg.createRun(run('c', { model: 'llama', startedAt: at(3) }));
    await reg.createRun(run('d', { model: 'llama-lora', startedAt: at(4) }));
    // The same start as d (SQLite keeps the client's times): the order written decides, as in listRuns.
    await reg.createRun(run('e', { model: 'llama', startedAt: at(4) }));
    expect(ids(await reg.newestRuns(['llama'], 2))).toEqual(['c', 'e']);
    expect(ids(await reg.newestRuns(['llama', 'llama-lora'], 3))).toEqual(['c', 'd', 'e']);
    expect(ids(await reg.newestRuns(['llama'], 10))).toEqual(['a', 'c', 'e']);
    expect(await reg.newestRuns(['llama', 'qwen', 'llama-lora'], 5)).toEqual(await reg.listRuns({}));
    expect(await reg.newestRuns(['nobody'], 5)).toEqual([]);
    expect(await reg.newestRuns([], 5)).toEqual([]);
    expect(await reg.newestRuns(['llama'], 0)).toEqual([]);
    // Any model: the newest runs of the registry.
    expect(ids(await reg.newestRuns(undefined, 3))).toEqual(['c', 'd', 'e']);
    expect(await reg.newestRuns(undefined, 10)).toEqual(await reg.listRuns({}));
  });

  test('lists the runs of one invocation', async () => {
    await reg.createRun(run('a', { invocationId: 'inv-1' }));
    await reg.createRun(run('b', { invocationId: 'inv-2' }));
    await reg.createRun(run('c', { invocationId: 'inv-1', suite: 'attacks' }));
    expect((await reg.listRuns({ invocationId: 'inv-1' })).map((r) => r.id)).toEqual(['a', 'c']);
    expect((await reg.listRuns({ invocationId: 'inv-1', suite: 'attacks' })).map((r) => r.id)).toEqual(['c']);
    expect(await reg.listRuns({ invocationId: 'nope' })).toEqual([]);
  });

  test('caches responses by key, replacing on put', async () => {
    expect(await reg.getCachedResponse('k')).toBeUndefined();
    await reg.putCachedResponse('k', { output: 'a', latencyMs: 5, tokensIn: 1, tokensOut: 2 });
    await reg.putCachedResponse('k', { output: 'b', latencyMs: 6.25, tokensIn: 1, tokensOut: 2 });
    expect(await reg.getCachedResponse('k')).toEqual({ output: 'b', latencyMs: 6.25, tokensIn: 1, tokensOut: 2 });
  });

  test('keeps tested marks as events of the chain, keyed by content hash and model; the newest tested/untested counts', async () => {
    const mark = {
      promptId: 'support', version: '1.0.0', contentHash: 'h1', model: 'llama', actor: 'ci@example.com',
      suites: [{ suite: 'faq', kind: 'golden' as const, passRate: 1, runId: 'r1', suiteHash: 's1' }], invocationId: 'inv-1',
    };
    await reg.markTested(mark);
    // A mark's time is its event's: the fixed clock on SQLite, the server's on PostgreSQL.
    const createdAt = backend.name === 'sqlite' ? '2025-03-01T12:00:00.000Z' : expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'llama')).toEqual({ ...mark, source: 'run', createdAt, event: { seq: 1, action: 'tested', hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(await reg.getTestedMark('support', '1.0.0', 'h2', 'llama')).toBeUndefined();
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'mistral')).toBeUndefined();
    await reg.markTested(mark); // the same mark on the same runs: nothing new
    expect(await reg.listEvents()).toMatchObject([{ seq: 1, env: '', action: 'tested', contentHash: 'h1', actor: 'ci@example.com' }]);
    await reg.markTested({ ...mark, suites: [{ ...mark.suites[0]!, runId: 'r2' }], invocationId: undefined });
    await reg.markTested({ ...mark, model: 'mistral' });
    await reg.markTested({ ...mark, version: '0.9.0' });
    expect((await reg.getTestedMark('support', '1.0.0', 'h1', 'llama'))?.suites[0]?.runId).toBe('r2');
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'llama')).not.toHaveProperty('invocationId');
    expect((await reg.listTestedMarks('support')).map((m) => `${m.version}/${m.model}`).sort()).toEqual(['0.9.0/llama', '1.0.0/llama', '1.0.0/mistral']);
    expect(await reg.listTestedMarks('other')).toEqual([]);
    expect(await reg.revokeTestedMark('support', '1.0.0', 'h1', 'llama', 'ci@example.com')).toBe(true);
    expect(await reg.revokeTestedMark('support', '1.0.0', 'h1', 'llama', 'ci@example.com')).toBe(false);
    expect(await reg.getTestedMark('support', '1.0.0', 'h1', 'llama')).toBeUndefined();
    expect((await reg.listEvents()).map((e) => e.action)).toEqual(['tested', 'tested', 'tested', 'tested', 'untested']);
    // Marks are no environment's history.
    await reg.appendEvent(deploy('1.0.0'));
    expect((await reg.listEvents({ environments: true })).map((e) => e.action)).toEqual(['deploy']);
    expect((await reg.listEvents({ promptId: 'support', environments: true, limit: 5 })).map((e) => e.seq)).toEqual([6]);
    expect(await reg.verifyChain()).toEqual({ ok: true, events: 6 });
  });

  test('batched reads answer every key as the single reads do, in the order asked', async () => {
    await reg.registerVersion(v('1.0.0'));
    await reg.registerVersion(v('1.1.0'));
    await reg.registerVersion(v('2.0.0', 'hash-o', 'other'));
    await reg.appendEvent(deploy('1.0.0'));
    await reg.appendEvent(deploy('1.1.0', { previousVersion: '1.0.0' }));
    await reg.appendEvent(deploy('1.0.0', { env: 'production' }));
    await reg.appendEvent(deploy('1.0.0', { env: 'staging', action: 'rollback', previousVersion: '1.1.0' }));
    await reg.appendEvent(deploy('2.0.0', { promptId: 'other', env: 'production' }));
    const mark = { promptId: 'support', version: '1.0.0', contentHash: 'hash-1.0.0', model: 'llama', actor: 'ci', suites: [{ suite: 'faq', kind: 'golden' as const, passRate: 1, runId: 'r1' }] };
    await reg.markTested(mark);
    await reg.markTested({ ...mark, model: 'mistral' });
    await reg.markTested({ ...mark, version: '1.1.0', contentHash: 'hash-1.1.0' });
    await reg.revokeTestedMark('support', '1.1.0', 'hash-1.1.0', 'llama', 'ci');
    await reg.markTested({ ...mark, promptId: 'other', version: '2.0.0', contentHash: 'hash-o', suites: [{ ...mark.suites[0]!, runId: 'r2' }] });

    const eventKeys = [
      { promptId: 'support', env: 'staging' }, { promptId: 'other', env: 'staging' }, { promptId: 'support', env: 'production' },
      { promptId: 'other', env: 'production' }, { promptId: 'support', env: 'staging' }, { promptId: 'support', env: '' }, { promptId: 'nope', env: 'production' },
    ];
    const latest = await reg.latestEvents(eventKeys);
    expect(latest).toEqual(await Promise.all(eventKeys.map(async (k) => (await reg.listEvents({ ...k, limit: 1 }))[0])));
    expect(latest.map((e) => e && `${e.seq}:${e.action}`)).toEqual(['4:rollback', undefined, '3:deploy', '5:deploy', '4:rollback', '9:untested', undefined]);

    const versionKeys = [{ promptId: 'other', version: '2.0.0' }, { promptId: 'support', version: '9.9.9' }, { promptId: 'support', version: '1.0.0' }, { promptId: 'other', version: '2.0.0' }];
    const versions = await reg.getVersions(versionKeys);
    expect(versions).toEqual(await Promise.all(versionKeys.map((k) => reg.getVersion(k.promptId, k.version))));
    expect(versions.map((r) => r?.contentHash)).toEqual(['hash-o', undefined, 'hash-1.0.0', 'hash-o']);

    const markKeys = [
      { promptId: 'support', version: '1.0.0', contentHash: 'hash-1.0.0', model: 'mistral' }, { promptId: 'support', version: '1.1.0', contentHash: 'hash-1.1.0', model: 'llama' },
      { promptId: 'other', version: '2.0.0', contentHash: 'hash-o', model: 'llama' }, { promptId: 'support', version: '1.0.0', contentHash: 'other-hash', model: 'llama' },
      { promptId: 'support', version: '1.0.0', contentHash: 'hash-1.0.0', model: 'llama' }, { promptId: 'support', version: '1.0.0', contentHash: 'hash-1.0.0', model: 'mistral' },
    ];
    const marks = await reg.getTestedMarks(markKeys);
    expect(marks).toEqual(await Promise.all(markKeys.map((k) => reg.getTestedMark(k.promptId, k.version, k.contentHash, k.model))));
    expect(marks.map((m) => m && `${m.event?.seq}:${m.suites[0]?.runId}`)).toEqual(['7:r1', undefined, '10:r2', undefined, '6:r1', '7:r1']);

    expect(await reg.latestEvents([])).toEqual([]);
    expect(await reg.getVersions([])).toEqual([]);
    expect(await reg.getTestedMarks([])).toEqual([]);
    // Inside a transaction, on the connection it holds.
    expect(await reg.transaction((tx) => tx.latestEvents([{ promptId: 'other', env: 'production' }]))).toEqual([latest[3]]);
  });

  test('tallies a run in the database: verdicts, leaks and tokens per case, latencies of answered samples', async () => {
    await reg.createRun(run('r'));
    const s = (caseId: string, sample: number, verdict: SampleResult['verdict'], extra: Partial<SampleResult> = {}): SampleResult => ({
      runId: 'r', caseId, sample, verdict, output: 'o', reasons: [], latencyMs: 10 * (sample + 1), tokensIn: 3, tokensOut: 5, cached: false, ...extra,
    });
    await reg.recordSamples([s('b', 0, 'error'), s('a', 0, 'pass'), s('a', 1, 'fail', { leaks: ['pii'] }), s('b', 1, 'pass'), s('c', 0, 'fail', { leaks: ['canary', 'pii'] })]);
    const tally = await reg.sampleTally('r');
    expect([...tally.cases].sort((x, y) => (x.caseId < y.caseId ? -1 : 1))).toEqual([
      { caseId: 'a', pass: 1, fail: 1, error: 0, piiLeaks: 1, promptLeaks: 0 },
      { caseId: 'b', pass: 1, fail: 0, error: 1, piiLeaks: 0, promptLeaks: 0 },
      { caseId: 'c', pass: 0, fail: 1, error: 0, piiLeaks: 1, promptLeaks: 1 },
    ]);
    expect([...tally.latencies].sort((x, y) => x - y)).toEqual([10, 10, 20, 20]);
    expect(tally).toMatchObject({ tokensIn: 15, tokensOut: 25 });
    expect(await reg.sampleTally('none')).toEqual({ cases: [], latencies: [], tokensIn: 0, tokensOut: 0 });
  });

  test('chains events, lists them by prompt and environment (the latest N), and verifies the chain', async () => {
    const first = await reg.appendEvent(deploy('1.0.0'));
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64) });
    // SQLite records the process clock (the test's fixed one); PostgreSQL the server's, which no client can set.
    if (backend.name === 'sqlite') expect(first.at).toBe('2025-03-01T12:00:00.000Z');
    // The server's clock, not the test's fixed one, in toISOString's form (no comparison with this host's clock).
    else expect(first.at).toMatch(/^(?!2025-03-01T12:00:00\.000Z)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const second = await reg.appendEvent(deploy('1.1.0', { env: 'production', previousVersion: '1.0.0', action: 'override', reason: 'hotfix', detail: { skipped: ['tested'], n: 1.5 } }));
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, detail: { skipped: ['tested'], n: 1.5 } });
    await reg.appendEvent(deploy('2.0.0', { promptId: 'other' }));
    expect((await reg.listEvents()).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await reg.listEvents({ promptId: 'support' })).map((e) => e.seq)).toEqual([1, 2]);
    expect((await reg.listEvents({ env: 'staging' })).map((e) => e.seq)).toEqual([1, 3]);
    expect(await reg.listEvents({ promptId: 'support', env: 'production' })).toEqual([second]);
    expect((await reg.listEvents({ limit: 2 })).map((e) => e.seq)).toEqual([2, 3]);
    expect(await reg.listEvents({ limit: 0 })).toEqual([]);
    expect(await open().verifyChain()).toEqual({ ok: true, events: 3 });
  });

  test("lists one version's events: in one environment, in any, or all of them (the latest N)", async () => {
    await reg.appendEvent(deploy('1.0.0'));
    await reg.appendEvent(deploy('1.1.0'));
    await reg.appendEvent(deploy('1.0.0', { env: 'production' }));
    await reg.appendEvent(deploy('1.0.0', { promptId: 'other' }));
    await reg.appendEvent(deploy('1.0.0', { env: 'production', action: 'rollback', previousVersion: '1.1.0' }));
    await reg.markTested({ promptId: 'support', version: '1.0.0', contentHash: 'h', model: 'm', actor: 'ci', suites: [{ suite: 'faq', kind: 'golden' as const, passRate: 1, runId: 'r1' }] });
    const seqs = async (f: Parameters<typeof reg.listEvents>[0]) => (await reg.listEvents(f)).map((e) => e.seq);
    const everyOne = await reg.listEvents();
    // Each answer is what filtering everything by hand gives.
    const byHand = (keep: (e: (typeof everyOne)[number]) => boolean, limit?: number) => everyOne.filter(keep).map((e) => e.seq).slice(limit === undefined ? 0 : -limit || everyOne.length);
    const v100 = (e: (typeof everyOne)[number]) => e.promptId === 'support' && e.version === '1.0.0';
    expect(await seqs({ promptId: 'support', version: '1.0.0' })).toEqual(byHand(v100));
    expect(await seqs({ promptId: 'support', version: '1.0.0' })).toEqual([1, 3, 5, 6]);
    expect(await seqs({ promptId: 'support', version: '1.0.0', environments: true })).toEqual([1, 3, 5]);
    expect(await seqs({ promptId: 'support', version: '1.0.0', env: 'production' })).toEqual([3, 5]);
    expect(await seqs({ promptId: 'support', version: '1.0.0', env: 'production', limit: 1 })).toEqual([5]);
    expect(await seqs({ promptId: 'support', version: '1.0.0', limit: 2 })).toEqual(byHand(v100, 2));
    expect(await seqs({ promptId: 'support', version: '1.0.0', limit: 0 })).toEqual([]);
    expect(await seqs({ promptId: 'support', version: '9.9.9' })).toEqual([]);
    expect(await seqs({ version: '1.0.0', env: 'staging' })).toEqual([1, 4]);
    expect(await seqs({ version: '1.0.0', limit: 1 })).toEqual([6]);
    expect(await seqs({ version: '1.0.0', limit: 9 })).toEqual([1, 3, 4, 5, 6]);
  });

  test('says where each version was released: every (version, environment) an environment event names, once', async () => {
    expect(await reg.releases('support')).toEqual([]);
    await reg.appendEvent(deploy('1.0.0'));
    await reg.appendEvent(deploy('1.1.0'));
    await reg.appendEvent(deploy('1.0.0', { env: 'production' }));
    await reg.appendEvent(deploy('1.0.0', { env: 'production', action: 'rollback', previousVersion: '1.1.0' }));
    await reg.appendEvent(deploy('1.10.0', { env: 'development', action: 'override', reason: 'hotfix' }));
    await reg.appendEvent(deploy('2.0.0', { promptId: 'other' }));
    await reg.markTested({ promptId: 'support', version: '3.0.0', contentHash: 'h', model: 'm', actor: 'ci', suites: [{ suite: 'faq', kind: 'golden' as const, passRate: 1, runId: 'r1' }] });
    const releases = await reg.releases('support');
    // What reading every environment event says, without duplicates; a tested mark releases nothing.
    const byHand = [...new Set((await reg.listEvents({ promptId: 'support', environments: true })).map((e) => `${e.version} ${e.env}`))].sort();
    expect(releases.map((r) => `${r.version} ${r.env}`)).toEqual(byHand);
    expect(releases).toEqual([
      { version: '1.0.0', env: 'production' },
      { version: '1.0.0', env: 'staging' },
      { version: '1.1.0', env: 'staging' },
      { version: '1.10.0', env: 'development' },
    ]);
  });

  test('the log is append-only; an edit made around the guard fails verify and refuses the next append', async () => {
    await reg.appendEvent(deploy('1.0.0'));
    await reg.appendEvent(deploy('1.1.0'));
    await expect(store.sql("UPDATE events SET reason = 'x' WHERE seq = 1")).rejects.toThrow(/append-only: UPDATE is not allowed/);
    await expect(store.sql('DELETE FROM events WHERE seq = 2')).rejects.toThrow(/append-only: DELETE is not allowed/);
    await store.sqlUnguarded("UPDATE events SET reason = 'edited' WHERE seq = 2");
    expect(await reg.verifyChain()).toMatchObject({ ok: false, broken: { seq: 2 } });
    await expect(reg.appendEvent(deploy('1.2.0'))).rejects.toThrow(/newest event #2 does not match its own hash/);
    expect(await reg.listEvents()).toHaveLength(2);
  });

  test('keeps one secret per name, the same for every instance', async () => {
    const secret = await reg.getOrCreateSecret('canary');
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await open().getOrCreateSecret('canary')).toBe(secret);
    expect(await reg.getOrCreateSecret('other')).not.toBe(secret);
    // A read-only instance reads a secret that exists, and cannot make one that does not.
    const reader = store.openReadonly();
    expect(await reader.getOrCreateSecret('canary')).toBe(secret);
    const refused = await reader.getOrCreateSecret('never-made').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect(refused).toMatchObject({ exitCode: 3, message: expect.stringMatching(/has no 'never-made' secret yet and is open read-only$/), why: expect.stringMatching(/read-only registry cannot write it/), hint: 'run the command once with a writable registry' });
    expect(await reg.getOrCreateSecret('never-made')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('reports its backend, schema version and counts', async () => {
    await reg.registerVersion(v('1.0.0'));
    await reg.appendEvent(deploy('1.0.0'));
    await reg.markTested({ promptId: 'support', version: '1.0.0', contentHash: 'h', model: 'm', actor: 'ci', suites: [] });
    const stats = await reg.stats();
    expect(stats).toMatchObject({ backend: backend.name, counts: { versions: 1, runs: 0, samples: 0, testedMarks: 1, events: 2, cachedResponses: 0 } });
    expect(stats.schemaVersion).toBeGreaterThan(0);
  });

  test('fingerprints a run\'s samples alike on every backend, and reports the chain head with its time', async () => {
    const { sampleDigests } = await import('../../src/core/sample-digest.js');
    await reg.createRun(run('r1'));
    const samples: SampleResult[] = [
      { runId: 'r1', caseId: 'b', sample: 0, verdict: 'fail', output: 'x', reasons: [], latencyMs: 12.5, tokensIn: 1, tokensOut: 2, cached: false, leaks: ['pii'] },
      { runId: 'r1', caseId: 'a', sample: 1, verdict: 'pass', output: 'y', reasons: [], latencyMs: 3, tokensIn: 1, tokensOut: 2, cached: true },
      { runId: 'r1', caseId: 'a', sample: 0, verdict: 'error', output: '', reasons: [], latencyMs: 0, tokensIn: 0, tokensOut: 0, cached: false, error: 'boom' },
    ];
    await reg.recordSamples(samples);
    const expected = sampleDigests(samples.map((x) => ({
      caseId: x.caseId, sample: x.sample, verdict: x.verdict, latencyMs: x.latencyMs, leaks: x.leaks ? JSON.stringify(x.leaks) : null,
      output: x.output, reasons: JSON.stringify(x.reasons), error: x.error ?? null, exchange: null,
    })));
    expect(await reg.sampleDigests('r1')).toEqual(expected);
    // What a gate counts changes `samples`; what is only shown (the answer) changes `outputs` alone.
    await reg.recordSamples([{ ...samples[1]!, output: 'y, rewritten' }]);
    expect(await reg.sampleDigests('r1')).toEqual({ samples: expected.samples, outputs: expect.not.stringMatching(expected.outputs) });
    await reg.recordSamples([{ ...samples[0]!, verdict: 'pass', leaks: undefined }]);
    expect((await reg.sampleDigests('r1')).samples).not.toBe(expected.samples);

    // More rows than a store reads at once, with case ids a database orders otherwise (beyond U+FFFF): the same digests.
    await reg.createRun(run('r2'));
    const many: SampleResult[] = Array.from({ length: 2_100 }, (_, i) => ({
      runId: 'r2', caseId: i % 7 === 0 ? `c\u{1F600}${i}` : `c\uFF5E${i}`, sample: i % 3, verdict: 'pass', output: `answer ${i}`, reasons: [], latencyMs: i, tokensIn: 1, tokensOut: 1, cached: false,
    }));
    await reg.recordSamples(many);
    const asRows = many.map((x) => ({ caseId: x.caseId, sample: x.sample, verdict: x.verdict, latencyMs: x.latencyMs, leaks: null, output: x.output, reasons: '[]', error: null, exchange: null }));
    expect(await reg.sampleDigests('r2')).toEqual(sampleDigests(asRows));
    await reg.createRun(run('r3'));
    await reg.recordSamples(many.map((x, i) => ({ ...x, runId: 'r3', caseId: `c${i}` })));
    expect(await reg.sampleDigests('r3')).toEqual(sampleDigests(asRows.map((x, i) => ({ ...x, caseId: `c${i}` }))));

    expect(await reg.chainHead()).toBeNull();
    await reg.appendEvent(deploy('1.0.0'));
    const second = await reg.appendEvent(deploy('1.1.0', { contentHash: 'c'.repeat(64) }));
    expect(await reg.chainHead()).toEqual({ seq: 2, hash: second.hash, at: second.at });
    expect((await reg.listEvents()).at(-1)?.contentHash).toBe('c'.repeat(64));
  });

  test('stores a signature beside the event hash, and tested marks carry the event they come from', async () => {
    const { generateSigningKey, signHash, verifyHash } = await import('../../src/infra/ed25519.js');
    const key = generateSigningKey();
    const sign = { role: 'deployer' as const, keyId: 'k1', sign: (hash: string) => signHash(key.privateKey, hash) };
    const e = await reg.appendEvent({ ...deploy('1.0.0'), sign });
    expect(e).toMatchObject({ signer: 'deployer:k1' });
    const [stored] = await reg.listEvents();
    expect(stored).toMatchObject({ signer: 'deployer:k1', signature: e.signature });
    expect(stored).not.toHaveProperty('sign');
    expect(verifyHash(key.publicKey, stored!.hash, stored!.signature!)).toBe(true);
    const evaluator = { role: 'evaluator' as const, keyId: 'k2', sign: (hash: string) => signHash(key.privateKey, hash) };
    await reg.markTested({ promptId: 'support', version: '1.0.0', contentHash: 'h', model: 'm', actor: 'ci', suites: [], sign: evaluator });
    expect((await reg.getTestedMark('support', '1.0.0', 'h', 'm'))?.event).toMatchObject({ seq: 2, action: 'tested', signer: 'evaluator:k2' });
    expect((await reg.verifyChain()).ok).toBe(true);
  });
});
