import { describe, expect, it } from 'vitest';
import { accountableActor } from '../../src/app/accountability.js';
import { EnvironmentConfig } from '../../src/core/schemas/config.js';
import { InputError } from '../../src/core/errors.js';

/**
 * A dry run refuses the actor the environment names exactly as the real change does (exit 2),
 * instead of promising a change the real command refuses. Named actors only: no git is spawned.
 */

const development = EnvironmentConfig.parse({ name: 'development', gates: {} });
const request = { verb: 'rolling back', interactive: false };
const cwd = '/nonexistent';

const refused: Array<[string, Record<string, string>, RegExp]> = [
  ['a direction override in PROMPTCTL_ACTOR', { PROMPTCTL_ACTOR: 'alice\u202e' }, /^PROMPTCTL_ACTOR contains an invisible or direction-changing character: U\+202E/],
  ['a zero-width space in GITHUB_ACTOR', { GITHUB_ACTOR: 'bo\u200bb' }, /^GITHUB_ACTOR contains an invisible/],
  ['a newline in PROMPTCTL_ACTOR', { PROMPTCTL_ACTOR: 'eve\nseq 7' }, /^PROMPTCTL_ACTOR contains a control character/],
];

describe('the actor of a dry run', () => {
  it.each(refused)('%s: refused by the dry run as by the real change', (_name, env, message) => {
    const real = (): string => accountableActor({ cwd, env, optionNames: 'keys' }, development, { ...request, dryRun: false });
    const dry = (): string => accountableActor({ cwd, env, optionNames: 'keys' }, development, { ...request, dryRun: true });
    expect(real).toThrow(message);
    expect(dry).toThrow(message);
    expect(dry).toThrow(InputError);
  });

  it('names the environment actor when it is plain, and "dry-run" when none is named', () => {
    expect(accountableActor({ cwd, env: { PROMPTCTL_ACTOR: ' alice ' }, optionNames: 'keys' }, development, { ...request, dryRun: true })).toBe('alice');
    expect(accountableActor({ cwd, env: {}, optionNames: 'keys' }, development, { ...request, dryRun: true })).toBe('dry-run');
  });
});
