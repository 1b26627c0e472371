import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { PlannedCase, PlannedRun } from '../../src/core/eval/plan.js';
import { assignShards, invocationOf, narrowToShard, mergedInputsKey, parseShard, shardInputsKey } from '../../src/core/eval/shard.js';

/** Sharding is pure: every shard job and the merge compute the same split from the same plan. */

function run(key: string, repeats: number[]): PlannedRun {
  const cases: PlannedCase[] = repeats.map((repeat, i) => ({ id: `${key}-c${i}`, vars: {}, expectations: [], repeat, minPassRate: 1 }));
  return { promptId: 'p', version: '1.0.0', promptHash: 'h', suite: key, suiteKind: 'golden', suiteHash: 's', model: 'm', inputsKey: key, threshold: 1, maxErrorRate: 0, leakMinChars: 20, params: { model: 'm', temperature: 0, max_tokens: 8 }, settings: 'k', prompt: { messages: [], variables: [] }, baseVars: {}, cases };
}

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 4/4 ', { index: 4, count: 4 }],
    ['256/256', { index: 256, count: 256 }],
  ])('%s is a shard', (text, shard) => expect(parseShard(text, 'flags')).toEqual(shard));

  it.each(['0/4', '5/4', '1/0', '2', '2/', '/4', 'a/b', '1/257', '-1/4', '1.5/4'])('%s is exit 2 saying what a shard is', (text) => {
    const e = (() => {
      try {
        parseShard(text, 'flags');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toContain(`--shard ${text}`);
    expect((e as InputError).why).toMatch(/from 1 to n/);
  });
});

describe('shard and invocation refusals name the options as the caller wrote them', () => {
  it.each([
    ['flags', '--shard 9/4 is not a shard', /^e\.g\. --shard 2\/4 /, '--invocation "a b" is not an invocation id', /^pass --invocation <id> /],
    ['keys', 'shard: "9/4" is not a shard', /^e\.g\. shard: "2\/4" /, 'invocation: "a b" is not an invocation id', /^pass invocation: "<id>" /],
  ] as const)('%s', (names, shardMessage, shardHint, idMessage, missingHint) => {
    expect(() => parseShard('9/4', names)).toThrow(expect.objectContaining({ message: shardMessage, hint: expect.stringMatching(shardHint) }));
    expect(() => invocationOf('a b', {}, 'shard', names)).toThrow(idMessage);
    expect(() => invocationOf(undefined, {}, 'shard', names)).toThrow(expect.objectContaining({ hint: expect.stringMatching(missingHint) }));
  });
});

it('quotes an invocation id as each caller typed it: the command line as given, a script as JSON', () => {
  expect(() => invocationOf('a"b c', {}, '--shard', 'flags')).toThrow('--invocation "a"b c" is not an invocation id');
  expect(() => invocationOf('a"b c', {}, 'shard', 'keys')).toThrow('invocation: "a\\"b c" is not an invocation id');
});

describe('invocationOf', () => {
  it.each([
    ['an explicit id wins', 'pr-42', { GITHUB_RUN_ID: '9' }, 'pr-42'],
    ['GitHub: the repository, run id and attempt', undefined, { GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2', GITHUB_REPOSITORY: 'acme/bot' }, 'github:acme/bot/123/2'],
    ['GitHub without an attempt is the first', undefined, { GITHUB_RUN_ID: '123' }, 'github:123/1'],
    ['GitLab: the pipeline', undefined, { CI_PIPELINE_ID: '77', CI_PROJECT_PATH: 'acme/bot' }, 'gitlab:acme/bot/77'],
  ])('%s', (_, explicit, env, id) => expect(invocationOf(explicit, env, '--shard', 'flags')).toBe(id));

  it('a re-run attempt is a new invocation: its shards never merge with the failed attempt', () => {
    expect(invocationOf(undefined, { GITHUB_RUN_ID: '5', GITHUB_RUN_ATTEMPT: '1' }, '--shard', 'flags')).not.toBe(invocationOf(undefined, { GITHUB_RUN_ID: '5', GITHUB_RUN_ATTEMPT: '2' }, '--shard', 'flags'));
  });

  it('is never derived from the commit: without a CI run id or --invocation it is exit 2', () => {
    expect(() => invocationOf(undefined, { GITHUB_SHA: 'abc', CI_COMMIT_SHA: 'abc' }, '--merge', 'flags')).toThrow(/--merge needs an invocation id/);
  });

  it.each(['', 'has space', 'x'.repeat(201), 'semi;colon'])('refuses the id %j', (id) => {
    expect(() => invocationOf(id, {}, '--shard', 'flags')).toThrow(InputError);
  });
});

describe('assignShards', () => {
  const runs = [run('a', [1, 1, 1, 1, 1]), run('b', [3, 1, 1]), run('c', [2])];

  it('puts every case in exactly one shard', () => {
    const assigned = assignShards(runs, 3);
    for (const r of runs) {
      expect([...assigned.get(r.inputsKey)!.keys()]).toEqual(r.cases.map((c) => c.id));
      for (const shard of assigned.get(r.inputsKey)!.values()) expect(shard).toBeGreaterThanOrEqual(1);
    }
  });

  it.each([1, 2, 3, 4, 7, 20])('balances samples over %i shards within one case', (n) => {
    const assigned = assignShards(runs, n);
    const load = new Array<number>(n).fill(0);
    for (const r of runs) for (const c of r.cases) load[assigned.get(r.inputsKey)!.get(c.id)! - 1]! += c.repeat;
    const heaviest = Math.max(...runs.flatMap((r) => r.cases.map((c) => c.repeat)));
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(heaviest);
    expect(load.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('is deterministic: the same plan gives the same split', () => {
    expect(assignShards(runs, 4)).toEqual(assignShards(runs.map((r) => ({ ...r })), 4));
  });
});

describe('narrowToShard', () => {
  const runs = [run('a', [1, 1, 1, 1]), run('b', [1])];

  it('gives each shard its cases, as partial runs with their own inputs key per invocation', () => {
    const all = [1, 2, 3].flatMap((index) => narrowToShard(runs, 'inv', { index, count: 3 }));
    expect(all.flatMap((r) => r.cases.map((c) => c.id)).sort()).toEqual(['a-c0', 'a-c1', 'a-c2', 'a-c3', 'b-c0']);
    for (const r of all) {
      expect(r.partial).toBe(true);
      expect(r.inputsKey).toBe(shardInputsKey(r.suite, 'inv', r.shard!));
    }
    expect(shardInputsKey('a', 'inv', { index: 1, count: 3 })).not.toBe(shardInputsKey('a', 'other', { index: 1, count: 3 }));
  });

  it('leaves out a run with no case in the shard', () => {
    // 5 cases, 8 shards: shards 6 to 8 get nothing.
    expect(narrowToShard(runs, 'inv', { index: 8, count: 8 })).toEqual([]);
    expect(narrowToShard(runs, 'inv', { index: 5, count: 8 }).map((r) => r.suite)).toEqual(['b']);
  });
});

describe('mergedInputsKey', () => {
  it('is its own key: not the unsharded run\'s (which --resume looks for), not a shard\'s, one per invocation', () => {
    const merged = mergedInputsKey('a', 'inv');
    expect(merged).not.toBe('a');
    expect(merged).not.toBe(shardInputsKey('a', 'inv', { index: 1, count: 1 }));
    expect(merged).not.toBe(mergedInputsKey('a', 'other'));
    expect(merged).toBe(mergedInputsKey('a', 'inv'));
  });
});
