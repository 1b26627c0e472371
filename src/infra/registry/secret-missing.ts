import { UnavailableError } from '../../core/errors.js';

/**
 * The one refusal, for both backends, when a registry-local secret (e.g. the canary key) does not
 * exist yet and the registry is open read-only, so it cannot be made; `where` names the registry.
 */
export function secretMissingReadOnly(where: string, name: string): UnavailableError {
  return new UnavailableError({
    message: `the registry at ${where} has no '${name}' secret yet and is open read-only`,
    why: 'the secret is made the first time a command writes to the registry, and a read-only registry cannot write it',
    hint: 'run the command once with a writable registry',
  });
}
