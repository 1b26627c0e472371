import { describe, expect, it } from 'vitest';
import { modelsShown, parseModelRef, secondSide, sideLabel } from '../../src/core/model-ref.js';

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

  it('names both sides\' models whenever which model ran could be in doubt', () => {
    const side = (text: string, model: string) => ({ ref: parseModelRef(text), model });
    expect(modelsShown([side('a@1.0.0', 'm'), side('a@1.1.0', 'm')], undefined)).toBe(false);
    expect(modelsShown([side('a@1.0.0', 'm'), side('a@1.1.0', 'm')], ['m'])).toBe(false);
    // server.models lists another model the versions also run on.
    expect(modelsShown([side('a@1.0.0', 'm'), side('a@1.1.0', 'm')], ['m', 'n'])).toBe(true);
    // A version's pin puts the sides on different models.
    expect(modelsShown([side('a@1.0.0', 'pinned'), side('a@1.1.0', 'm')], undefined)).toBe(true);
    expect(modelsShown([side('a@1.0.0:n', 'n'), side('a@1.1.0', 'm')], undefined)).toBe(true);
    expect(sideLabel(parseModelRef('a@1.1.0'), 'm')).toBe('1.1.0:m');
  });
});

