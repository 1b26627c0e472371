import { describe, expect, it } from 'vitest';
import { signatureProblem, signatureRequired, signingStart, unsignedMayFollow } from '../../src/core/signing.js';

/** Where signing began: signing.since (kept outside the database) wins over the log's first signed event. */

describe('the start of signing', () => {
  it.each([
    [undefined, undefined, undefined],
    [undefined, 4, { seq: 4, anchored: false }],
    [2, undefined, { seq: 2, anchored: true }],
    [2, 9, { seq: 2, anchored: true }],
    // A since later than the first signed event: signing began at the first signed one all the same.
    [10, 4, { seq: 4, anchored: false }],
  ])('since %s, first signed %s', (since, first, start) => {
    expect(signingStart(since, first)).toEqual(start);
  });

  it.each([
    [1, undefined, false],
    [3, { seq: 4, anchored: true }, false],
    [4, { seq: 4, anchored: true }, true],
    [9, { seq: 4, anchored: false }, true],
  ])('event %s with start %j must be signed: %s', (seq, start, required) => {
    expect(signatureRequired(seq, start)).toBe(required);
  });

  it.each([
    // [newest signed, next seq, since, may the next be unsigned]
    [false, 5, undefined, true],
    [true, 5, undefined, false],
    // A stripped log (newest unsigned) does not turn off what .promptrc.yaml anchors.
    [false, 5, 3, false],
    [false, 2, 3, true],
    [true, 5, 10, false],
  ])('newest signed %s, next #%s, since %s: unsigned may follow %s', (signed, next, since, may) => {
    expect(unsignedMayFollow(signed ? { signature: 's' } : {}, next, since)).toBe(may);
  });

  it('words an unsigned event after an anchored start, and lets one before it be', () => {
    const keys = { evaluator: [], deployer: [] };
    const e = (seq: number) => ({ seq, action: 'deploy', hash: 'h' });
    expect(signatureProblem(e(5), keys, { seq: 3, anchored: true }, () => true)).toMatch(/event 5 \(deploy\) is not signed, though signing began at #3 \(signing\.since in \.promptrc\.yaml\)/);
    expect(signatureProblem(e(2), keys, { seq: 3, anchored: true }, () => true)).toBeUndefined();
    expect(signatureProblem(e(5), keys, { seq: 3, anchored: false }, () => true)).toMatch(/though the registry holds signed events before it/);
  });
});
