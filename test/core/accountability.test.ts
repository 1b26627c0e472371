import { describe, expect, it } from 'vitest';
import { accountabilityRefusal, unmetAccountability } from '../../src/core/accountability.js';
import { EnvironmentConfig } from '../../src/core/schemas/config.js';

/** The who-and-why policy as a pure decision: which requirements a change leaves unmet. */

const env = (gates: Record<string, unknown>) => EnvironmentConfig.parse({ name: 'production', gates });
const named = { named: true, guessed: '' };
const guessed = { named: false, guessed: '"me" was only guessed from git or the OS' };
const req = (o: { reason?: string; interactive: boolean }) => ({ verb: 'deploying to', optionNames: 'flags' as const, ...o });

describe('unmetAccountability', () => {
  it.each([
    ['nothing required', {}, req({ interactive: false }), guessed, []],
    ['require_reason, none given', { require_reason: true }, req({ interactive: true }), named, ['reason']],
    ['require_reason, a blank one', { require_reason: true }, req({ interactive: true, reason: '  ' }), named, ['reason']],
    ['require_reason, given', { require_reason: true }, req({ interactive: false, reason: 'why' }), named, []],
    ['unattended policy at a terminal', { unattended: { require_reason: true, require_actor: true } }, req({ interactive: true }), guessed, []],
    ['unattended, neither', { unattended: { require_reason: true, require_actor: true } }, req({ interactive: false }), guessed, ['reason', 'actor']],
    ['unattended, named actor', { unattended: { require_reason: true, require_actor: true } }, req({ interactive: false }), named, ['reason']],
    ['both reason rules: said once', { require_reason: true, unattended: { require_reason: true } }, req({ interactive: false }), named, ['reason']],
  ])('%s', (_name, gates, request, who, expected) => {
    expect(unmetAccountability(env(gates), request, who).map((u) => u.requirement)).toEqual(expected);
  });

  it('says which policy key asks, as the error the real change stops with', () => {
    const [reason, actor] = unmetAccountability(env({ unattended: { require_reason: true, require_actor: true } }), req({ interactive: false }), guessed);
    expect(reason).toMatchObject({ message: 'deploying to production without a terminal needs --reason "..."', why: 'the production policy sets unattended.require_reason.' });
    expect(actor!.why).toBe('the production policy sets unattended.require_actor, and "me" was only guessed from git or the OS.');
  });
});

describe('accountabilityRefusal: the one error the real change stops with', () => {
  const unattended = env({ unattended: { require_reason: true, require_actor: true } });
  const at = { verb: 'deploying to', env: 'production', interactive: false, optionNames: 'flags' as const };
  it('names every unmet requirement, with one hint that meets them all', () => {
    const r = accountabilityRefusal(unmetAccountability(unattended, req({ interactive: false }), guessed), at);
    expect(r).toEqual({
      message: 'deploying to production without a terminal needs --reason "..." and a named actor',
      why: 'the production policy sets unattended.require_reason. The production policy sets unattended.require_actor, and "me" was only guessed from git or the OS.',
      hint: 'add --reason "why" --actor you@example.com (or set PROMPTCTL_ACTOR instead of --actor; CI user variables such as GITHUB_ACTOR count too)',
    });
  });
  it('one requirement is said as itself; none is no refusal', () => {
    const [reason] = unmetAccountability(unattended, req({ interactive: false }), named);
    expect(accountabilityRefusal([reason!], at)).toEqual(reason);
    expect(accountabilityRefusal([], at)).toBeUndefined();
  });
  it('names the options as a script passes them when the caller is the library', () => {
    const r = accountabilityRefusal(unmetAccountability(unattended, { ...req({ interactive: false }), optionNames: 'keys' }, guessed), { ...at, optionNames: 'keys' });
    expect(r).toMatchObject({
      message: 'deploying to production without a terminal needs reason: "..." and a named actor',
      hint: 'add reason: "why", actor: "you@example.com" (or set PROMPTCTL_ACTOR instead of actor; CI user variables such as GITHUB_ACTOR count too)',
    });
  });
});
