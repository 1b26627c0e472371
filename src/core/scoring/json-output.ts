import { codePointLabel, hardToSeeName } from '../character-names.js';
import { isJsonSpace, jsonParseFaultAt } from '../json-position.js';

/** An output read as JSON by is-json and json-schema (check-expectation.ts). */
export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; at: number };

/**
 * Strict JSON parse of the output without the JSON whitespace around it, with a position and a
 * fence hint on failure. Only JSON's whitespace (not String.prototype.trim's): a byte order mark or
 * a no-break space before the value fails JSON.parse in the application too, so it fails here, and
 * the reason names the character, which no excerpt would show.
 */
export function parseJsonOutput(output: string): JsonParse {
  let [start, end] = [0, output.length];
  while (start < end && isJsonSpace(output.charCodeAt(start))) start++;
  while (end > start && isJsonSpace(output.charCodeAt(end - 1))) end--;
  const text = output.slice(start, end);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const edge = unseenEdge(text);
    if (edge) return { ok: false, message: `output is not valid JSON: it ${edge.said}, which JSON does not allow around a value (only spaces, tabs and line breaks)`, at: start + edge.at };
    const detail = (err as Error).message;
    const at = jsonParseFaultAt(detail, text) ?? 0;
    const fence = fenceOf(text);
    const why = fence ? `it ${fence} (the reply must be bare JSON)` : detail;
    return { ok: false, message: `output is not valid JSON: ${why}`, at: at + start };
  }
}

/** `starts with U+FEFF BYTE ORDER MARK`: a character around the value that reads as whitespace or not at all. */
function unseenEdge(text: string): { said: string; at: number } | undefined {
  if (!text) return undefined;
  const first = [...text.slice(0, 2)][0]!;
  const last = [...text.slice(-2)].pop()!;
  if (isUnseen(first)) return { said: `starts with ${nameOf(first)}`, at: 0 };
  if (isUnseen(last)) return { said: `ends with ${nameOf(last)}`, at: text.length - last.length };
  return undefined;
}

const isUnseen = (c: string): boolean => /^\s$/u.test(c) || hardToSeeName(c) !== undefined;
const nameOf = (c: string): string => hardToSeeName(c) ?? codePointLabel(c);

/**
 * `is wrapped in a ``` code fence` when the output opens with a Markdown code fence (three or more
 * backticks or tildes, as CommonMark writes them), `starts with …` when text follows its closing one.
 * Any shape: the closing fence right after the JSON (`}```), all on one line, four backticks. JSON
 * can never start with ` or ~, so it is always the fence that fails, and V8's "Unexpected token '`'"
 * would not say so.
 */
function fenceOf(text: string): string | undefined {
  const open = /^(`{3,}|~{3,})/.exec(text)?.[1];
  if (!open) return undefined;
  const shown = open.slice(0, 3);
  const closed = text.length > open.length && text.endsWith(open[0]!.repeat(3));
  return closed ? `is wrapped in a ${shown} code fence` : `starts with a ${shown} code fence`;
}
