import { describe, expect, it } from 'vitest';
import { chainNext, computeEventHash, GENESIS_HASH, verifyEvents, type ChainEvent, type ChainEventFields } from '../../src/core/audit-chain.js';
import { checkShownEvents, logCountProblem } from '../../src/core/shown-event-checks.js';
import { canonicalJson, sha256Hex } from '../../src/core/canonical.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: undefined } })).toBe('{"a":{"d":[1,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same meaning', () => {
    expect(canonicalJson({ x: 1, y: 'é' })).toBe(canonicalJson({ y: 'é', x: 1 }));
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson({ t: Number.NaN })).toThrow(/\$\.t is NaN/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });

  it('hashes with SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

function buildChain(n: number): ChainEvent[] {
  const events: ChainEvent[] = [];
  for (let i = 0; i < n; i++) {
    const last = events[events.length - 1];
    events.push(
      chainNext(last ? { seq: last.seq, hash: last.hash } : null, {
        env: 'production',
        promptId: 'support',
        version: `1.${i}.0`,
        previousVersion: i === 0 ? null : `1.${i - 1}.0`,
        action: 'deploy',
        actor: 'ana',
        reason: null,
        at: `2025-01-0${i + 1}T00:00:00.000Z`,
      }),
    );
  }
  return events;
}

const headOf = (events: ChainEvent[]) => {
  const last = events[events.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : null;
};

describe('verifyEvents', () => {
  it('accepts an intact chain and an empty one', () => {
    const events = buildChain(5);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(verifyEvents(events, headOf(events))).toEqual({ ok: true, events: 5 });
    expect(verifyEvents([], null)).toEqual({ ok: true, events: 0 });
  });

  // Every field an event records is inside its hash: an edit of any one column (history's "from"
  // version, the content hash a deploy served, ...) is a break, never an intact log. A Record, so a
  // field added to ChainEventFields without an edit here does not compile.
  const edits: Record<keyof ChainEventFields, unknown> = {
    seq: 3,
    env: 'staging',
    promptId: 'billing',
    version: '9.9.9',
    previousVersion: '0.9.0',
    action: 'rollback',
    actor: 'mallory',
    reason: 'routine',
    detail: { served: 'b' },
    contentHash: 'd'.repeat(64),
    at: '2030-01-01T00:00:00.000Z',
    prevHash: 'f'.repeat(64),
  };
  it.each(Object.entries(edits))('the hash covers %s: an event with it edited no longer matches its hash', (field, value) => {
    const fields = { ...buildChain(2)[1]!, reason: 'hotfix', detail: { served: 'a' }, contentHash: 'c'.repeat(64) };
    const e = { ...fields, hash: computeEventHash(fields) };
    expect(computeEventHash({ ...e, [field]: value })).not.toBe(e.hash);
  });

  it('the hash covers no field outside the event shape', () => {
    const [e] = buildChain(1);
    expect(computeEventHash({ ...e!, extra: 1 } as ChainEvent)).toBe(e!.hash);
  });

  it('names an edited row', () => {
    const events = buildChain(5);
    events[2] = { ...events[2]!, actor: 'mallory' };
    expect(verifyEvents(events, headOf(events)).broken).toEqual({ seq: 3, problem: expect.stringMatching(/row was edited/) });
  });

  it('names the row after an edit whose hash was recomputed', () => {
    const events = buildChain(5);
    const edited = { ...events[2]!, actor: 'mallory' };
    events[2] = { ...edited, hash: computeEventHash(edited) };
    expect(verifyEvents(events, headOf(events)).broken).toEqual({ seq: 4, problem: expect.stringMatching(/prev_hash does not match/) });
  });

  it('names the row after a deleted one', () => {
    const events = buildChain(5);
    events.splice(2, 1);
    expect(verifyEvents(events, headOf(buildChain(5))).broken).toEqual({ seq: 4, problem: expect.stringMatching(/event 3 is missing/) });
  });

  it('detects the last events deleted through the head', () => {
    const full = buildChain(5);
    const verdict = verifyEvents(full.slice(0, 3), headOf(full));
    expect(verdict.ok).toBe(false);
    expect(verdict.broken).toEqual({ seq: 4, problem: expect.stringMatching(/events 4–5 are deleted from the end/) });
    // Without the head the truncation cannot be seen: this is why the head is stored apart.
    expect(verifyEvents(full.slice(0, 3)).ok).toBe(true);
  });

  it('detects events added past the head, said as added by hand, and a missing head', () => {
    const full = buildChain(4);
    expect(verifyEvents(full, { seq: 3, hash: full[2]!.hash }).broken).toEqual({ seq: 4, problem: expect.stringMatching(/^event 4 is after the recorded chain head \(event 3\): events were added by hand$/) });
    expect(verifyEvents(buildChain(5), { seq: 3, hash: full[2]!.hash }).broken).toEqual({ seq: 4, problem: expect.stringMatching(/^events 4–5 are after the recorded chain head/) });
    expect(verifyEvents(full, null).broken?.problem).toMatch(/head record is missing/);
  });

  it('detects the newest event replaced with its hash recomputed, the head left alone', () => {
    // A forged newest event (a tested mark, say) links onto the one before and matches its own hash:
    // only the head, stored apart, still holds the hash of the event that was there.
    const events = buildChain(5);
    const forged = { ...events[4]!, actor: 'mallory' };
    const replaced = [...events.slice(0, 4), { ...forged, hash: computeEventHash(forged) }];
    expect(verifyEvents(replaced, headOf(events))).toEqual({
      ok: false,
      events: 5,
      broken: { seq: 5, problem: 'event 5: its hash differs from the one the chain head recorded: the last event was replaced' },
    });
  });
});

describe('checkShownEvents', () => {
  const chain = buildChain(5);
  const head = headOf(chain);
  const rehash = (e: ChainEvent): ChainEvent => ({ ...e, hash: computeEventHash(e) });
  const cases: Array<[string, ChainEvent[], ChainEvent[], typeof head | null, RegExp | undefined]> = [
    ['an intact middle event', [chain[2]!], [chain[3]!], head, undefined],
    ['the intact newest event', [chain[4]!], [], head, undefined],
    ['an edited event (old hash)', [{ ...chain[2]!, actor: 'mallory' }], [chain[3]!], head, /#3 does not match its own hash/],
    ['an edited event, hash recomputed', [rehash({ ...chain[2]!, actor: 'mallory' })], [chain[3]!], head, /#3 is not the event #4 was chained onto/],
    ['the newest, replaced with its hash recomputed', [rehash({ ...chain[4]!, actor: 'mallory' })], [], head, /#5 differs from the one the chain head recorded/],
    ['the newest shown, later ones deleted', [chain[2]!], [], head, /event #4 is missing although the chain head records #5/],
    ['no head at all', [chain[4]!], [], null, /chain head record is missing/],
    ['an event after the head', [chain[4]!], [], { seq: 4, hash: chain[3]!.hash }, /after the recorded chain head \(#4\)/],
  ];
  it.each(cases)('%s', (_name, shown, successors, h, problem) => {
    const found = checkShownEvents(shown, successors, h);
    if (problem) expect(found.map((p) => p.problem).join('\n')).toMatch(problem);
    else expect(found).toEqual([]);
  });
});

describe('logCountProblem', () => {
  const head = { seq: 5, hash: 'f'.repeat(64) };
  it.each([
    ['every event the head records', 5, head, undefined],
    ['an empty log, no head', 0, null, undefined],
    ['one event deleted from the middle', 4, head, /1 event of the 5 the chain head records is missing from the log: events were deleted/],
    ['two deleted', 3, head, /2 events of the 5 the chain head records are missing/],
    ['one added by hand', 6, head, /the log holds 6 events, more than the 5 the chain head records: events were added by hand/],
    ['events but no head', 5, null, /chain head record is missing/],
  ] as const)('%s', (_name, count, h, problem) => {
    const found = logCountProblem(count, h);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });
});
