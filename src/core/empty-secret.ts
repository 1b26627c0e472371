import { InputError } from './errors.js';

/**
 * A secret a CI job has set but empty, worded once for every variable that holds one
 * (PROMPTCTL_REGISTRY_URL, the API key server.api_key_env names): GitHub gives a pull request from
 * a fork its secrets as empty strings, which is the likeliest reason and what the fix is.
 * `consequence`: what the job would do with the empty value; `removed`: what leaving the variable
 * out means, when that is a way on (a signing key is not: without it the job cannot sign either).
 */
export function emptySecretInCi(name: string, consequence: string, removed?: string): InputError {
  return new InputError({
    message: `${name} is set but empty in this CI job`,
    why: `${consequence} (GitHub passes empty secrets to pull requests from forks)`,
    hint: removed === undefined ? 'give the job the secret' : `give the job the secret, or remove ${name} from the job's environment ${removed}`,
  });
}
