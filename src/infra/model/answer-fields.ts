import { InvalidResponseError } from './retry-policy.js';
import { serverText } from './server-text.js';

/**
 * The fields of a chat completion whose shape the server decides, read defensively: a proxy or an
 * OpenAI-compatible gateway may send shapes vLLM never does, and none of them may crash a run.
 */

/** A JSON value's shape for a message: "an object", "a number", "an array holding an image_url part". */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) {
    const odd = value.find((p) => !isTextPart(p));
    const type = (odd as { type?: unknown } | null)?.type;
    return `an array holding ${typeof type === 'string' ? `a "${type.slice(0, 40)}" part` : `${shapeOf(odd)} part`}`;
  }
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** OpenAI's content parts of an assistant message: text, or the model's refusal (also its words). */
function isTextPart(part: unknown): part is { type: 'text'; text: string } | { type: 'refusal'; refusal: string } {
  const p = part as { type?: unknown; text?: unknown; refusal?: unknown } | null;
  return (p?.type === 'text' && typeof p.text === 'string') || (p?.type === 'refusal' && typeof p.refusal === 'string');
}

/**
 * The text of `message.content`: a string; none (a tool call's answer) as ''; OpenAI's content-parts
 * array as its parts' text joined. Any other shape is an invalid answer (retried like a garbage body).
 * Always well-formed (`serverText`), joined first: the halves of a pair split over two parts are one character.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return serverText(content);
  if (content === null || content === undefined) return '';
  if (Array.isArray(content) && content.every(isTextPart)) return serverText(content.map((p) => (p.type === 'text' ? p.text : p.refusal)).join(''));
  throw new InvalidResponseError(`message.content is ${shapeOf(content)}, not text or text parts`);
}

/** A usage count the answer can be trusted for (a whole number, 0 or more); undefined when it is not one. */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
