import { describe, expect, it } from 'vitest';
import { parseModelRef, secondSide, sideLabel } from '../../src/core/model-ref.js';

describe('id@version:model', () => {
  it.each([
    ['support-answer@1.2.0', { id: 'support-answer', version: '1.2.0' }],
    ['support-answer@1.2.0:sim-model', { id: 'support-answer', version: '1.2.0', model: 'sim-model' }],
    ['support-answer@1.2.0:org/model:8b', { id: 'support-answer', version: '1.2.0', model: 'org/model:8b' }],
  ])('%s', (text, ref) => expect(parseModelRef(text, { requireVersion: true })).toEqual(ref));

  it('refuses an empty model and a bad version', () => {
    expect(() => parseModelRef('a@1.0.0:')).toThrow(/names no model/);
    expect(() => parseModelRef('a@x:m')).toThrow(/semantic version/);
  });

  it('reads the second side against the first', () => {
    const first = parseModelRef('a@1.0.0:old');
    expect(secondSide(first, ':new')).toEqual({ id: 'a', version: '1.0.0', model: 'new' });
    expect(secondSide(first, '1.1.0')).toEqual({ id: 'a', version: '1.1.0' });
    expect(secondSide(first, 'a@1.1.0:new')).toEqual({ id: 'a', version: '1.1.0', model: 'new' });
    expect([sideLabel(first), sideLabel(secondSide(first, '1.1.0'))]).toEqual(['1.0.0:old', '1.1.0']);
  });
});
