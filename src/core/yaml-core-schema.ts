import { FAILSAFE_SCHEMA, Type } from 'js-yaml';

/**
 * The YAML 1.2 core schema exactly as the `yaml` library resolves plain scalars, for js-yaml's fast
 * path. js-yaml's own CORE_SCHEMA keeps YAML 1.1 habits (`0b1` and `1_000` are numbers, `+.5e3`
 * and `0o7` follow other rules), so the same file would hash differently depending on which parser
 * read it. Each regular expression and conversion below is the `yaml` library's, tag for tag.
 */

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

function toInt(text: string): number {
  if (INT_OCT.test(text)) return parseInt(text.slice(2), 8);
  if (INT_HEX.test(text)) return parseInt(text.slice(2), 16);
  return parseInt(text, 10);
}

function toFloat(text: string): number {
  if (!FLOAT_SPECIAL.test(text)) return parseFloat(text);
  if (text.slice(-3).toLowerCase() === 'nan') return NaN;
  return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (text: string) => NULL.test(text),
  construct: () => null,
  predicate: (v: unknown) => v === null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (text: string) => BOOL.test(text),
  construct: (text: string) => text[0] === 't' || text[0] === 'T',
  predicate: (v: unknown) => typeof v === 'boolean',
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (text: string) => INT_DEC.test(text) || INT_OCT.test(text) || INT_HEX.test(text),
  construct: toInt,
  predicate: (v: unknown) => Number.isInteger(v),
});

const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (text: string) => FLOAT_SPECIAL.test(text) || FLOAT_EXP.test(text) || FLOAT.test(text),
  construct: toFloat,
  predicate: (v: unknown) => typeof v === 'number',
});

export const YAML12_CORE_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });
