import { compare, valid } from 'semver';
import { describe, expect, it } from 'vitest';
import { byCodeUnits, byPromptThenVersion, isOlderVersion, newerVersion, semverOrder } from '../../src/core/order.js';

/** byCodeUnits replaced localeCompare where it sorts timestamps and slugs: it must keep their order. */
describe('byCodeUnits', () => {
  const lists: Array<[string, string[]]> = [
    ['ISO timestamps', ['2025-03-01T12:05:00.000Z', '2025-03-01T12:04:59.999Z', '2024-12-31T23:59:59.999Z', '2025-03-01T12:05:00.001Z', '2025-10-01T00:00:00.000Z', '2025-03-01T12:05:00.000Z']],
    ['attack categories', ['role-play', 'extraction', 'hand-written', 'injection', 'multi-turn', 'encoding', 'pii', 'jailbreak-2', 'jailbreak-10', 'jailbreak']],
    ['suite names', ['golden', 'adversarial', 'golden-2', 'golden2', 'a-b', 'ab', 'a0', 'a']],
  ];
  it.each(lists)('%s sort as localeCompare sorts them', (_name, list) => {
    expect([...list].sort(byCodeUnits)).toEqual([...list].sort((a, b) => a.localeCompare(b)));
  });
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['same', 'same', 0],
    ['', 'a', -1],
    ['Z', 'a', -1], // code units, not a locale's letter order
  ] as const)('%j vs %j: %d', (a, b, sign) => {
    expect(Math.sign(byCodeUnits(a, b))).toBe(sign);
  });
});

describe('byPromptThenVersion', () => {
  it('orders by prompt id, then semver, then a non-semver version by code units', () => {
    const v = (promptId: string, version: string) => ({ promptId, version });
    const listed = [v('support', '1.10.0'), v('Zeta', '2.0.0'), v('support', '1.9.0'), v('support', '1.2.0'), v('support', '1.2.0-beta.1'), v('support', 'draft'), v('support', 'alpha'), v('a-b', '0.1.0')];
    expect([...listed].sort(byPromptThenVersion).map((x) => `${x.promptId}@${x.version}`)).toEqual([
      'Zeta@2.0.0',
      'a-b@0.1.0',
      'support@1.2.0-beta.1',
      'support@1.2.0',
      'support@1.9.0',
      'support@1.10.0',
      'support@alpha',
      'support@draft',
    ]);
  });
});

/** Plain releases are compared without semver's objects: every answer must still be semver's. */
describe('semverOrder', () => {
  const versions = [
    '0.0.0', '0.0.1', '0.1.0', '1.0.0', '1.2.0', '1.9.0', '1.10.0', '1.10.1', '2.0.0', '10.0.0', '999999999999999.0.0',
    '9999999999999999.0.0', // 16 digits: beyond exact numbers, which semver refuses
    '9007199254740991.0.0', '9007199254740992.0.0', // the largest safe integer, and one past it
    '1.0.0-rc.1', '1.0.0-rc.2', '1.0.0-alpha', '1.0.0+build.5', 'v1.0.0', ' 1.0.0', '1.0.0 ', '=1.0.0',
    '01.0.0', '1.00.0', '1.0', '1', '1.0.0.0', '-1.0.0', 'draft', '', '1.0.0-0', '١.٠.٠',
  ];
  const pairs = versions.flatMap((a) => versions.map((b) => [a, b] as const));
  it('agrees with semver on every pair: the same sign, and undefined where either is not a version', () => {
    const semvers = (a: string, b: string) => (valid(a) && valid(b) ? compare(a, b) : undefined);
    const ours = pairs.map(([a, b]) => { const o = semverOrder(a, b); return [a, b, o === undefined ? o : Math.sign(o)]; });
    expect(ours).toEqual(pairs.map(([a, b]) => [a, b, semvers(a, b)]));
  });
  it.each([
    ['1.9.0', '1.10.0', true],
    ['1.10.0', '1.9.0', false],
    ['1.0.0-rc.1', '1.0.0', true],
    ['1.0.0', '1.0.0+build', false],
    ['draft', '1.0.0', false],
    ['1.0.0', 'draft', false],
  ] as const)('isOlderVersion(%j, %j) is %j', (a, b, older) => expect(isOlderVersion(a, b)).toBe(older));
  it.each([
    [undefined, '1.2.0', '1.2.0'],
    [undefined, 'draft', undefined],
    [undefined, 'v2.0.0', 'v2.0.0'],
    ['1.2.0', '1.10.0', '1.10.0'],
    ['1.10.0', '1.2.0', '1.10.0'],
    ['1.2.0', 'draft', '1.2.0'],
  ] as const)('newerVersion(%j, %j) is %j', (newest, v, wanted) => expect(newerVersion(newest, v)).toBe(wanted));
});
