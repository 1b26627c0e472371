/** The model client for vLLM's OpenAI-compatible API. */
export { createModelClient } from './client.js';
export { CircuitOpenError, CompletionError, redact } from './errors.js';
export { ServerFeatureMissingError } from './server-features.js';
export type {
  ChatMessage,
  ChoiceResult,
  CompletionRequest,
  CompletionResult,
  RequestMessage,
  WireToolCall,
  ModelClient,
  ModelClientOptions,
  RetryPolicy,
  TokenizeInput,
} from './types.js';
