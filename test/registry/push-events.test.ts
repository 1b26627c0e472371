import { describe, expect, it } from 'vitest';
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
