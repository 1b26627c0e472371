/** The model client for vLLM's OpenAI-compatible API. */
export { createModelClient } from './client.js';
export { CircuitOpenError, CompletionError, redact } from './errors.js';
export type {
  ChatMessage,
  CompletionRequest,
  CompletionResult,
  ModelClient,
  ModelClientOptions,
  RetryPolicy,
  TokenizeInput,
} from './types.js';
