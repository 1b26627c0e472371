import type { ChatMessage, PromptVersion, VariableSpec } from './schemas/prompt.js';
import { characterCount } from './character-count.js';
import { booleanText } from './boolean-text.js';
import { isDecimalNumber } from './decimal-number.js';
import { ownValue } from './own-key.js';

/**
 * Logic-less templates: `{{ name }}` and nothing else. We use a thirty-line renderer rather than
 * mustache because we need what mustache does not give: every placeholder's offset (for lint
 * positions and the injection/prefix-cache rules), an error instead of an empty string for a
 * missing variable, no HTML escaping, and no sections or partials that would make prompts logic-ful.
 * `\{{` writes a literal `{{`; `\\{{name}}` writes one backslash, then the value (Handlebars' rule
 * for the same escape), so a Windows path can end in a value. Any other backslash is text.
 */

export type Segment =
  | { kind: 'text'; text: string; offset: number }
  | { kind: 'var'; name: string; offset: number; length: number };

export interface TemplateSyntaxError {
  offset: number;
  message: string;
}

/** A `\{{name}}`: a placeholder of a valid name escaped into the literal text `{{name}}`. */
export interface EscapedPlaceholder {
  offset: number;
  name: string;
}

// Linear on any input: the name is captured with its spaces and trimmed in code. The former
// `\{\{\s*([^{}]*?)\s*\}\}` matched the same spans, but its three overlapping ways of taking a run of
// spaces backtracked cubically (a 4 KB file held lint for half a minute, deaf to signals).
// JavaScript's trim() removes exactly what `\s` matches.
// A backslash before an escaped `\{{` is matched alone, so the `{{` after it is read as usual.
const PLACEHOLDER = /\\\\(?=\{\{)|\\\{\{|\{\{([^{}]*)\}\}|\{\{|\}\}/g;
const ESCAPED = /^\{\{([^{}]*)\}\}/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseTemplate(template: string): { segments: Segment[]; errors: TemplateSyntaxError[]; escaped: EscapedPlaceholder[] } {
  const segments: Segment[] = [];
  const errors: TemplateSyntaxError[] = [];
  const escaped: EscapedPlaceholder[] = [];
  let text = '';
  let textStart = 0;
  let last = 0;
  const flush = (end: number) => {
    if (text) segments.push({ kind: 'text', text, offset: textStart });
    text = '';
    textStart = end;
  };
  for (const m of template.matchAll(PLACEHOLDER)) {
    const at = m.index;
    text += template.slice(last, at);
    last = at + m[0].length;
    if (m[0] === '\\\\') {
      text += '\\';
      continue;
    }
    if (m[0] === '\\{{') {
      text += '{{';
      const name = ESCAPED.exec(template.slice(at + 1))?.[1]?.trim();
      if (name !== undefined && IDENT.test(name)) escaped.push({ offset: at, name });
      continue;
    }
    if (m[0] === '}}') {
      text += '}}'; // a lone closing brace pair is harmless literal text
      continue;
    }
    if (m[0] === '{{' && template.startsWith('{{{', at)) {
      // Mustache's triple braces mean "do not HTML-escape"; promptctl never escapes, so {{name}} is enough.
      errors.push({ offset: at, message: '"{{{" is not supported: write {{name}} (promptctl never HTML-escapes values)' });
      text += '{{';
      continue;
    }
    if (m[0] === '{{') {
      errors.push({ offset: at, message: 'unclosed "{{": write \\{{ for a literal "{{"' });
      text += '{{';
      continue;
    }
    const name = (m[1] ?? '').trim();
    if (!IDENT.test(name)) {
      errors.push({ offset: at, message: `"${m[0]}" is not a variable: templates are logic-less, only {{name}} is allowed` });
      text += m[0];
      continue;
    }
    flush(at);
    segments.push({ kind: 'var', name, offset: at, length: m[0].length });
    textStart = last;
  }
  text += template.slice(last);
  if (text) segments.push({ kind: 'text', text, offset: textStart });
  return { segments, errors, escaped };
}

export function templateVariables(template: string): string[] {
  return parseTemplate(template).segments.flatMap((s) => (s.kind === 'var' ? [s.name] : []));
}

/**
 * The variables a request renders: those any of its templated texts (a version's messages, a
 * case's conversation turns; an open turn has no text) use. Tool definitions and the rest of the
 * request surface are sent as written, never rendered. The one rule of "used": lint's
 * unused-variable warning and the refusal of an attack injected into a variable no message carries
 * (core/attacks/generated-check.ts) both ask it.
 */
export function usedVariables(...texts: ReadonlyArray<ReadonlyArray<{ content?: string }>>): Set<string> {
  const used = new Set<string>();
  for (const list of texts) for (const t of list) if (t.content !== undefined) for (const name of templateVariables(t.content)) used.add(name);
  return used;
}

export type VarValues = Record<string, string | number | boolean>;

export interface RenderProblem {
  variable: string;
  message: string;
  /** What is wrong with a value (checkValues): lets a caller group the same problem across many cases. */
  issue?: 'undeclared' | 'missing' | 'type' | 'max_length';
  /** A problem of a template rather than of a value: the index of its message (`messages.<i>.content`). */
  messageIndex?: number;
  /** A template's problem: the offset in its text of the placeholder (or brace) at fault. */
  offset?: number;
}

/** Checks and coerces values against the declared variables. CLI values arrive as strings. */
export function checkValues(specs: VariableSpec[], values: VarValues): { values: Record<string, string>; problems: RenderProblem[] } {
  const problems: RenderProblem[] = [];
  const out: Record<string, string> = {};
  const declared = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(values)) {
    if (!declared.has(name)) problems.push({ variable: name, issue: 'undeclared', message: `"${name}" is not a declared variable (declared: ${[...declared.keys()].join(', ') || 'none'})` });
  }
  for (const spec of specs) {
    const raw = ownValue(values, spec.name);
    if (raw === undefined) {
      if (spec.required) problems.push({ variable: spec.name, issue: 'missing', message: `required variable "${spec.name}" is missing` });
      continue;
    }
    const value = coerce(spec, raw);
    if (typeof value === 'object') {
      problems.push({ variable: spec.name, issue: 'type', message: value.error });
      continue;
    }
    // The UTF-16 units bound the characters from above, so only a value longer in units is counted.
    const chars = spec.max_length !== undefined && value.length > spec.max_length ? characterCount(value) : 0;
    if (spec.max_length !== undefined && chars > spec.max_length) {
      problems.push({ variable: spec.name, issue: 'max_length', message: `"${spec.name}" is ${chars} characters; max_length is ${spec.max_length}` });
      continue;
    }
    out[spec.name] = value;
  }
  return { values: out, problems };
}


/**
 * A value a variable takes: a string, a finite number or a boolean, as every CLI path allows
 * (`VarValue` in core/schemas/evalset.ts, for --vars-file, suites and datasets). Checked here too
 * because the library's `render` takes whatever a script passes: an object, an array or null
 * would otherwise reach the prompt as "[object Object]", "x,y" or "null".
 */
function isVarValue(raw: unknown): raw is string | number | boolean {
  return typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw));
}

const EXPECTED: Record<VariableSpec['type'], string> = { string: 'a string (or a number or boolean)', number: 'a number', boolean: 'true or false' };

function coerce(spec: VariableSpec, raw: unknown): string | { error: string } {
  if (!isVarValue(raw)) return { error: `"${spec.name}" must be ${EXPECTED[spec.type]}, got ${shownValue(raw)}` };
  if (spec.type === 'string') return String(raw);
  if (spec.type === 'number') {
    // Sent as given: a number's text is checked, never rewritten (Number() made `19.90` 19.9,
    // `0x1F` 31 and a 20-digit order number another number). A YAML or JSON number is its own text.
    // Spaces around it (a CSV cell written `r1, 5`) are not part of the number, as dataset
    // expectations read a cell: the trimmed text is sent.
    if (typeof raw === 'number') return String(raw);
    if (typeof raw === 'string' && isDecimalNumber(raw.trim())) return raw.trim();
    const elsewhere = typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw));
    return { error: `"${spec.name}" must be a number, got ${JSON.stringify(raw)}${elsewhere ? ': write it in decimal digits (such as 31, -0.5 or 1e3), as it is sent as written' : ''}` };
  }
  // A CSV cell or --var value `TRUE` (as a spreadsheet saves it) is true, as a dataset's `refusal: "{{refuse}}"` reads it: sent as `true`.
  const flag = typeof raw === 'boolean' ? raw : typeof raw === 'string' ? booleanText(raw) : undefined;
  if (flag !== undefined) return String(flag);
  return { error: `"${spec.name}" must be true or false, got ${JSON.stringify(raw)}` };
}

/** What a value that is no variable value was (its content is not repeated: it may be anything). */
function shownValue(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (typeof raw === 'number') return String(raw);
  return `${typeof raw === 'object' ? 'an' : 'a'} ${typeof raw}`;
}

export function renderTemplate(template: string, values: Record<string, string>): string {
  return fill(parseTemplate(template).segments, values);
}

function fill(segments: Segment[], values: Record<string, string>): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : (ownValue(values, s.name) ?? ''))).join('');
}

/**
 * What stands for a variable's value in a message's own text: U+FFFF, a noncharacter no exchanged
 * text carries, so no run shared with an output reaches across a value's place.
 */
export const VALUE_GAP = '\uffff';

/**
 * A message's own text: its template's text, each non-empty value replaced by `VALUE_GAP` (an empty
 * one leaves the text on both sides adjacent, as it is sent). What the leak scan counts as the system
 * prompt: a value is the case's input (an attacker's document, retrieved text), not the prompt's.
 */
function ownText(segments: Segment[], values: Record<string, string>): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : (ownValue(values, s.name) ?? '') === '' ? '' : VALUE_GAP)).join('');
}

/**
 * Renders a version's messages. Throws nothing: returns problems so the caller can raise a typed
 * error naming the file. A variable used but undeclared is a problem even if a value is given.
 */
export function renderMessages(
  prompt: Pick<PromptVersion, 'messages' | 'variables'>,
  values: VarValues,
): { messages: ChatMessage[]; problems: RenderProblem[] } {
  const { messages, problems } = compileMessages(prompt)(values);
  return { messages, problems };
}

/**
 * `renderMessages` for many sets of values: the templates are parsed and checked once (an eval
 * renders every case of a suite against the same version), then each call checks its values and fills.
 */
export type MessageRenderer = (values: VarValues) => {
  messages: ChatMessage[];
  problems: RenderProblem[];
  /** Each message's own text (`ownText`: values cut out), in the order of `messages`; empty with problems. */
  ownTexts: string[];
};

export function compileMessages(prompt: Pick<PromptVersion, 'messages' | 'variables'>): MessageRenderer {
  const declared = new Set(prompt.variables.map((v) => v.name));
  const parsedMessages = prompt.messages.map((m) => parseTemplate(m.content));
  const templateProblems: RenderProblem[] = [];
  parsedMessages.forEach((parsed, i) => {
    for (const e of parsed.errors) templateProblems.push({ variable: '', message: e.message, messageIndex: i, offset: e.offset });
    for (const s of parsed.segments) {
      if (s.kind === 'var' && !declared.has(s.name)) {
        templateProblems.push({ variable: s.name, message: `template uses "${s.name}", which is not declared under variables`, messageIndex: i, offset: s.offset });
      }
    }
  });
  return (values) => {
    const checked = checkValues(prompt.variables, values);
    const problems = [...checked.problems, ...templateProblems];
    if (problems.length) return { messages: [], problems, ownTexts: [] };
    return {
      messages: prompt.messages.map((m, i) => ({ role: m.role, content: fill(parsedMessages[i]!.segments, checked.values) })),
      problems,
      ownTexts: parsedMessages.map((parsed) => ownText(parsed.segments, checked.values)),
    };
  };
}
