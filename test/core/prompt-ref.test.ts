import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { parsePromptRef } from '../../src/core/refs.js';

/** `<id>` or `<id>@<version>` as typed: refused with the id rule's own words. */

function refusal(text: string): InputError {
  try {
    parsePromptRef(text);
  } catch (e) {
    return e as InputError;
  }
  throw new Error(`${text} was accepted`);
}

describe('parsePromptRef', () => {
  it.each([
    ['support-answer', { id: 'support-answer' }],
    ['support-answer@1.2.0', { id: 'support-answer', version: '1.2.0' }],
    [`${'a'.repeat(63)}@1.0.0`, { id: 'a'.repeat(63), version: '1.0.0' }],
  ])('%s', (text, ref) => {
    expect(parsePromptRef(text)).toEqual({ version: undefined, ...ref });
  });

  it.each([
    ['Support_Answer', /the prompt id must be a lowercase slug: a-z, 0-9 and single hyphens, at most 63 characters\.$/],
    ['a--b', /the prompt id must be a lowercase slug without doubled or trailing hyphens\.$/],
    ['a'.repeat(300), /the prompt id must be a lowercase slug: .*at most 63 characters \(it has 300\)\.$/],
  ])('%s is refused saying why', (text, why) => {
    const e = refusal(text);
    expect(e).toBeInstanceOf(InputError);
    expect(e.why).toMatch(why);
    expect(e.message.length).toBeLessThan(120);
  });

  it('a command that works on what an environment runs refuses a version instead of ignoring it', () => {
    expect(parsePromptRef('support-answer', { noVersion: () => 'x' })).toEqual({ id: 'support-answer', version: undefined });
    expect(() => parsePromptRef('support-answer@1.0.0', { noVersion: (r) => `write ${r.id} --to ${r.version}` })).toThrow(
      expect.objectContaining({ exitCode: 2, message: '"support-answer@1.0.0": this command takes a prompt id without a version', hint: 'write support-answer --to 1.0.0' }),
    );
  });
});
