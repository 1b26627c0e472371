/**
 * The shape of a content object given to the library's `render` (registry-api.ts): registered
 * content always has it, but an application may pass one it read elsewhere (a hand-edited
 * bundle.json). Checked by hand, naming the field (`content.messages[0].content`), because the
 * library entry loads no zod (test/e2e/library-load.test.ts): without it a malformed object met
 * the renderer as a raw TypeError with no exit code.
 */

const ROLES = ['system', 'user', 'assistant'];
const TYPES = ['string', 'number', 'boolean'];

/** What is wrong with `content`'s messages and variables, one line per field; none when it renders. */
export function contentShapeProblems(content: { messages: unknown[]; variables?: unknown }): string[] {
  const problems: string[] = [];
  content.messages.forEach((m, i) => {
    const at = `content.messages[${i}]`;
    if (!isRecord(m)) return void problems.push(`${at} is ${kind(m)}, not a message object ({ role, content })`);
    if (typeof m.role !== 'string' || !ROLES.includes(m.role)) problems.push(`${at}.role is ${shown(m.role)}, not one of ${ROLES.join(', ')}`);
    if (typeof m.content !== 'string') problems.push(`${at}.content is ${kind(m.content)}, not a string`);
  });
  if (content.variables === undefined) return problems;
  if (!Array.isArray(content.variables)) return [...problems, `content.variables is ${kind(content.variables)}, not an array of variables ({ name, type?, required?, max_length? })`];
  content.variables.forEach((v, i) => {
    const at = `content.variables[${i}]`;
    if (!isRecord(v)) return void problems.push(`${at} is ${kind(v)}, not a variable object ({ name, type?, required?, max_length? })`);
    if (typeof v.name !== 'string' || v.name === '') problems.push(`${at}.name is ${shown(v.name)}, not a variable name`);
    if (v.type !== undefined && (typeof v.type !== 'string' || !TYPES.includes(v.type))) problems.push(`${at}.type is ${shown(v.type)}, not one of ${TYPES.join(', ')}`);
    if (v.required !== undefined && typeof v.required !== 'boolean') problems.push(`${at}.required is ${shown(v.required)}, not true or false`);
    if (v.max_length !== undefined && !(Number.isInteger(v.max_length) && (v.max_length as number) >= 1)) problems.push(`${at}.max_length is ${shown(v.max_length)}, not a whole number of at least 1`);
  });
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'missing';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A short value for a message: text and numbers as JSON, anything else by its kind. */
function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return kind(v);
}
