import { describe, expect, it } from 'vitest';
import { byCodeUnits, byPromptThenVersion } from '../../src/core/order.js';

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
