import { describe, expect, it } from 'vitest';
import { keyId } from '../../src/core/signing.js';
import { generateSigningKey, signHash } from '../../src/infra/ed25519.js';
import { eventsToPush } from '../../src/infra/registry/push.js';

/** Which local events a push appends: the team log must be a prefix of the local one, or the reverse. */

const log = (...hashes: string[]) => hashes.map((hash, i) => ({ seq: i + 1, hash }));
const h = (c: string) => c.repeat(64);

describe('eventsToPush', () => {
  const local = log(h('a'), h('b'), h('c'));
  it.each([
    ['an empty team log: every local event', [], 3],
    ['a team log that is a prefix: the rest', log(h('a')), 2],
    ['the same log: nothing', log(h('a'), h('b'), h('c')), 0],
    ['a team log that extends the local one: nothing', log(h('a'), h('b'), h('c'), h('d')), 0],
  ])('%s', (_, target, n) => {
    expect(eventsToPush(local, target, 'the team registry')).toEqual(local.slice(3 - n));
  });

  it('refuses a diverged log at the first differing event, with both hashes (exit 1)', () => {
    expect(() => eventsToPush(local, log(h('a'), h('x')), 'the team registry')).toThrow(
      expect.objectContaining({ exitCode: 1, message: `the audit log here and the one in the team registry diverged at event #2: sha256:${h('x')} there, sha256:${h('b')} here` }),
    );
  });
});

describe('eventsToPush in a signing team registry', () => {
  const deployer = generateSigningKey();
  const keys = { evaluator: [], deployer: [deployer.publicKey] };
  const signed = (seq: number, hash: string) => ({ seq, action: 'deploy', hash, signer: `deployer:${keyId(deployer.publicKey)}`, signature: signHash(deployer.privateKey, hash) });
  const unsigned = (seq: number, hash: string) => ({ seq, action: 'deploy', hash, signer: null, signature: null });
  const team = [signed(1, h('a')), signed(2, h('b'))];

  it('pushes events signed by a pinned key after a signed team log', () => {
    const local = [...team, signed(3, h('c'))];
    expect(eventsToPush(local, team, 'the team registry', keys)).toEqual([local[2]]);
  });

  it.each([
    ['a copy stripped of its signatures (same hashes) is a diverged log', [unsigned(1, h('a')), unsigned(2, h('b')), unsigned(3, h('c'))], team, {}, /diverged at event #1: it is signed there, unsigned here/],
    ['an unsigned event after the team\'s signed ones', [...team, unsigned(3, h('c'))], team, {}, /event #3 would not verify in the team registry: event 3 \(deploy\) is not signed, though the registry holds signed events before it/],
    ['an unsigned event from signing.since on, though nothing is signed yet', [unsigned(1, h('a')), unsigned(2, h('b'))], [unsigned(1, h('a'))], { since: 2 }, /event #2 would not verify in the team registry: .*though signing began at #2/],
    ['an event signed by a key the project does not pin', [...team, { ...signed(3, h('c')), signer: 'deployer:0123456789abcdef' }], team, {}, /event #3 would not verify .*does not pin/],
  ])('refuses %s (exit 1), before writing', (_, local, target, extra, problem) => {
    expect(() => eventsToPush(local, target, 'the team registry', { ...keys, ...extra })).toThrow(expect.objectContaining({ exitCode: 1, message: expect.stringMatching(problem) }));
  });

  const url = 'postgres://release@127.0.0.1:5432/prompts';
  it.each([
    ['the team log stripped of a signature: the team registry is the one to verify', team, [team[0]!, unsigned(2, h('b'))], 'it is signed here, unsigned there', new RegExp(`the team registry is the one changed: run \`PROMPTCTL_REGISTRY_URL='${url}' promptctl audit verify\` \\(it breaks at #2\\)`)],
    ['this log stripped of a signature: this registry is the one to verify', [team[0]!, unsigned(2, h('b'))], team, 'it is signed there, unsigned here', /run `promptctl audit verify` on this one/],
    ['both signed, differently: verify both', [team[0]!, { ...team[1]!, signature: signHash(generateSigningKey().privateKey, h('b')) }], team, 'it is signed there, signed differently here', /on this registry and `PROMPTCTL_REGISTRY_URL='postgres:[^']*' promptctl audit verify` on the team one/],
  ])('a diverged signature names the side that changed: %s', (_, local, target, state, hint) => {
    expect(() => eventsToPush(local, target, url, keys)).toThrow(expect.objectContaining({ exitCode: 1, message: `the audit log here and the one in ${url} diverged at event #2: ${state}`, hint: expect.stringMatching(hint) }));
  });
});
