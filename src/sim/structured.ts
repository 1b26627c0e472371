/**
 * Structured outputs in the simulator: an answer constrained by a JSON schema (response_format
 * json_schema, structured_outputs.json), a choice, a regex or a grammar. vLLM constrains decoding;
 * the simulator reshapes its plain answer into something that conforms, deterministically:
 *  - json: an answer that already conforms (the judge's, `{"answer": ...}` against a schema that
 *    wants `answer`) is kept; otherwise an instance is built from the schema, the answer text
 *    going into the first string field, the first enum / const / minimum / default elsewhere;
 *  - choice: the choice the answer (or the question) mentions, else the first;
 *  - regex: the answer when it matches, else a string generated from the pattern (literals,
 *    classes, groups with alternatives, quantifiers); a pattern it cannot read gives the answer;
 *  - grammar: the first string literal of the grammar's root rule (a fixed conforming string).
 */

type Schema = Record<string, unknown>;

export type Constraint = { kind: 'json'; schema: unknown } | { kind: 'regex'; pattern: string } | { kind: 'choice'; choices: string[] } | { kind: 'grammar'; grammar: string };

export function constrain(text: string, question: string, c: Constraint): string {
  switch (c.kind) {
    case 'json':
      return conformingJson(text, c.schema);
    case 'choice': {
      const lower = (s: string) => s.toLowerCase();
      return c.choices.find((x) => lower(text).includes(lower(x))) ?? c.choices.find((x) => lower(question).includes(lower(x))) ?? c.choices[0] ?? '';
    }
    case 'regex':
      return matchingRegex(text, c.pattern);
    case 'grammar':
      return /^\s*root\s*::=\s*[^"\n]*"((?:[^"\\]|\\.)*)"/m.exec(c.grammar)?.[1] ?? text;
  }
}

const isObj = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);

function conformingJson(text: string, schema: unknown): string {
  let seed = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (looksConforming(parsed, schema)) return text;
    if (isObj(parsed) && typeof parsed.answer === 'string') seed = parsed.answer;
  } catch {
    // a plain answer: it becomes the instance's first string
  }
  const state = { seed, used: false };
  return JSON.stringify(instance(schema, state, 0));
}

/** Required keys present with the declared primitive types: good enough to keep an answer as it is. */
function looksConforming(value: unknown, schema: unknown): boolean {
  if (!isObj(schema)) return true;
  if (schema.type === 'object' || isObj(schema.properties)) {
    if (!isObj(value)) return false;
    const props = isObj(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    if (!required.every((k) => k in value)) return false;
    if (schema.additionalProperties === false && Object.keys(value).some((k) => !(k in props))) return false;
    return Object.entries(value).every(([k, v]) => !(k in props) || looksConforming(v, props[k]));
  }
  const t = schema.type;
  if (t === 'string') return typeof v0(value) === 'string' && (!Array.isArray(schema.enum) || schema.enum.includes(value));
  if (t === 'number' || t === 'integer') return typeof value === 'number';
  if (t === 'boolean') return typeof value === 'boolean';
  if (t === 'array') return Array.isArray(value);
  return true;
}
const v0 = (v: unknown) => v;

function instance(schema: unknown, state: { seed: string; used: boolean }, depth: number): unknown {
  if (!isObj(schema) || depth > 8) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length) return instance(key === 'allOf' ? Object.assign({}, ...list.filter(isObj)) : list[0], state, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || isObj(schema.properties)) {
    const props = isObj(schema.properties) ? schema.properties : {};
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(props)) out[k] = instance(s, state, depth + 1);
    return out;
  }
  if (type === 'array') {
    const n = typeof schema.minItems === 'number' ? schema.minItems : 1;
    return Array.from({ length: n }, () => instance(schema.items, state, depth + 1));
  }
  if (type === 'integer' || type === 'number') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 0;
    return type === 'integer' ? Math.ceil(min) : min;
  }
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  let s = state.used ? 'n/a' : state.seed;
  state.used = true;
  if (typeof schema.pattern === 'string') s = matchingRegex(s, schema.pattern);
  if (typeof schema.maxLength === 'number') s = [...s].slice(0, schema.maxLength).join('');
  if (typeof schema.minLength === 'number' && [...s].length < schema.minLength) s = s.padEnd(schema.minLength, '.');
  return s;
}

function matchingRegex(text: string, pattern: string): string {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern.replace(/^\^/, '').replace(/\$$/, '')})$`);
  } catch {
    return text;
  }
  if (re.test(text)) return text;
  const generated = generate(pattern.replace(/^\^/, '').replace(/\$$/, ''));
  return generated !== undefined && re.test(generated) ? generated : text;
}

/** The shortest-ish string a simple pattern matches; undefined for what it cannot read. */
function generate(p: string): string | undefined {
  let i = 0;
  const alternatives = (): string | undefined => {
    const first = sequence();
    while (p[i] === '|') {
      i++;
      sequence();
    }
    return first;
  };
  const sequence = (): string | undefined => {
    let out = '';
    while (i < p.length && p[i] !== '|' && p[i] !== ')') {
      const atom = unit();
      if (atom === undefined) return undefined;
      const q = p[i];
      let times = 1;
      if (q === '?' || q === '*') (times = 0), i++;
      else if (q === '+') i++;
      else if (q === '{') {
        const m = /^\{(\d+)(,\d*)?\}/.exec(p.slice(i));
        if (!m) return undefined;
        times = Number(m[1]);
        i += m[0].length;
      }
      if (p[i] === '?') i++;
      out += atom.repeat(times);
    }
    return out;
  };
  const unit = (): string | undefined => {
    const c = p[i++];
    if (c === '(') {
      if (p.startsWith('?:', i)) i += 2;
      const inner = alternatives();
      if (p[i++] !== ')') return undefined;
      return inner;
    }
    if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) return undefined;
      const body = p.slice(i, end);
      i = end + 1;
      if (body.startsWith('^')) return body.includes('a') ? 'z' : 'a';
      if (body.startsWith('\\d')) return '0';
      if (body.startsWith('\\w')) return 'a';
      return body[0] === '\\' ? body[1] : body[0];
    }
    if (c === '\\') {
      const e = p[i++];
      return e === 'd' ? '0' : e === 'w' ? 'a' : e === 's' ? ' ' : e;
    }
    if (c === '.') return 'a';
    return c;
  };
  const out = alternatives();
  return i === p.length ? out : undefined;
}
