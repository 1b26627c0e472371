/**
 * The error a chat completion ends with when it failed for good (after its retries, or at once):
 * which replica, what went wrong, why, and what to do, in plain words and never with the API key.
 */
import { redactedCompletionError, type CompletionError } from './errors.js';
import type { Failure } from './retry-policy.js';

/**
 * A rejected key (401/403) never ends here: the client stops every request at once with a
 * KeyRejectedError. `apiKey` is only redacted from the wording.
 */
export function finalCompletionError(f: Failure, replica: string, attempts: number, apiKey: string | undefined): CompletionError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return redactedCompletionError(
    {
      message: `Chat completion failed on ${replica}${tries}: ${f.reason}`,
      why: f.transient ? 'The failure looked temporary, but every retry failed too.' : whyFor(f.status),
      hint: hintFor(f),
      transient: f.transient,
      transport: f.transport,
      status: f.status,
      attempts,
      replica,
    },
    apiKey,
  );
}

function whyFor(status: number | undefined): string | undefined {
  if (status === 404) return 'The server does not serve this model, or the URL is not an OpenAI-compatible API.';
  if (status === 400 || status === 422) return 'The server rejected the request itself; sending it again would fail the same way.';
  return undefined;
}

function hintFor(f: Failure): string {
  if (f.status === 404) return 'Set server.model in .promptrc.yaml to a model the server lists at GET /v1/models (vLLM --served-model-name).';
  if (f.transport) return 'Check that the vLLM server is running and reachable; if it is only slow, raise server.timeout_ms in .promptrc.yaml.';
  if (f.status === 400 || f.status === 422) return "Check the prompt's model settings (temperature, max_tokens, stop) and its size against the model's context window.";
  return "Check the server's health and load; if it is only slow, raise server.timeout_ms or server.retries in .promptrc.yaml.";
}
