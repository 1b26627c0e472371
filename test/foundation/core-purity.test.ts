import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * src/core is pure: no module-level mutable state, no clock, no randomness, no process globals.
 * dependency-cruiser (`npm run check:deps`) checks what core imports; this checks what it does,
 * on the syntax tree of every file. It is syntactic on purpose, so it is simple and never misses
 * a case: a local variable that happens to be called `process` is refused too (rename it).
 *
 * Allowed: top-level `const` bindings of immutable values, and `new Set`/`new Map` lookup tables
 * declared `ReadonlySet`/`ReadonlyMap`, which the compiler stops anyone from changing. A cache
 * belongs to its caller (a factory such as `lastLeakDetector()` returns one) or to infra.
 */

const CORE = path.resolve(import.meta.dirname, '../../src/core');

type Rule =
  | 'module-let-var'
  | 'module-collection'
  | 'clock'
  | 'random'
  | 'timer'
  | 'process-global'
  | 'crypto-not-hash';

interface Finding {
  rule: Rule;
  line: number;
  text: string;
}

/** `Object.property` reads that give the time or a random number: the clock and randomness are injected. */
const FORBIDDEN_MEMBERS: Record<string, Partial<Record<string, Rule>>> = {
  Date: { now: 'clock' },
  performance: { now: 'clock' },
  Math: { random: 'random' },
};
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
const GLOBAL_HANDLES = new Set(['process', 'globalThis']);
const MUTABLE_COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
const READONLY_TYPES = new Set(['ReadonlyMap', 'ReadonlySet']);

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** An identifier used as a value in its own right: not `x.name`, not `{ name: … }`, not a declared name. */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === id) return false;
  if (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p)) return p.name !== id;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isQualifiedName(p) || ts.isTypeReferenceNode(p)) return false;
  return true;
}

export function impurities(fileName: string, source: string): Finding[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const add = (rule: Rule, node: ts.Node) =>
    found.push({ rule, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf).split('\n')[0]!.slice(0, 80) });

  for (const statement of sf.statements) {
    if (ts.isVariableStatement(statement)) {
      const list = statement.declarationList;
      if (!(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing))) add('module-let-var', statement);
      for (const d of list.declarations) {
        const init = d.initializer && unwrap(d.initializer);
        if (!init || !ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || !MUTABLE_COLLECTIONS.has(init.expression.text)) continue;
        const declared = d.type && ts.isTypeReferenceNode(d.type) && ts.isIdentifier(d.type.typeName) ? d.type.typeName.text : undefined;
        if (!declared || !READONLY_TYPES.has(declared)) add('module-collection', d);
      }
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && /^(node:)?crypto$/.test(statement.moduleSpecifier.text)) {
      // Hashing is a pure function of its input; randomBytes, randomUUID and the rest are not.
      const clause = statement.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      if (!clause || clause.name || !named || named.some((s) => (s.propertyName ?? s.name).text !== 'createHash')) add('crypto-not-hash', statement);
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const rule = FORBIDDEN_MEMBERS[node.expression.text]?.[node.name.text];
      if (rule) add(rule, node);
    }
    // `new Date()` and `Date()` read the clock; `new Date(ms)` and `new Date(text)` do not.
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'Date') {
      if (ts.isCallExpression(node) || !node.arguments?.length) add('clock', node);
    }
    if (ts.isIdentifier(node) && isReference(node)) {
      if (GLOBAL_HANDLES.has(node.text)) add('process-global', node);
      if (TIMERS.has(node.text)) add('timer', node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('the purity checker finds each forbidden pattern', () => {
  const rows: Array<[string, string, Rule[]]> = [
    ['a module-level let', 'let cache: string | undefined;', ['module-let-var']],
    ['an exported module-level var', 'export var count = 0;', ['module-let-var']],
    ['a module-level Map', 'const byId = new Map<string, number>();', ['module-collection']],
    ['a module-level Set behind parentheses and `as`', 'export const seen = (new Set() as Set<string>);', ['module-collection']],
    ['a module-level WeakMap, even typed readonly-ish', 'const memo: Map<object, string> = new WeakMap() as never;', ['module-collection']],
    ['a module-level WeakSet', 'const marked = new WeakSet<object>();', ['module-collection']],
    ['Date.now()', 'export function stamp() { return Date.now(); }', ['clock']],
    ['Date.now passed as a function', 'export const clock = { now: Date.now };', ['clock']],
    ['new Date() without arguments', 'export function today() { return new Date().toISOString(); }', ['clock']],
    ['new Date without parentheses', 'export function today() { return new Date; }', ['clock']],
    ['Date() called as a function', 'export function today() { return Date(); }', ['clock']],
    ['performance.now()', 'export function t() { return performance.now(); }', ['clock']],
    ['Math.random()', 'export function pick<T>(xs: T[]) { return xs[Math.floor(Math.random() * xs.length)]; }', ['random']],
    ['Math.random as a default', 'export function canary(random = Math.random) { return random(); }', ['random']],
    ['process.env', "export function home() { return process.env['HOME']; }", ['process-global']],
    ['process passed along', 'export function cwdOf(p = process) { return p.cwd(); }', ['process-global']],
    ['globalThis', "export function env() { return (globalThis as any)['process']; }", ['process-global']],
    ['a timer', 'export function later(f: () => void) { setTimeout(f, 10); }', ['timer']],
    ['randomBytes from node:crypto', "import { createHash, randomBytes } from 'node:crypto';", ['crypto-not-hash']],
    ['the whole of crypto', "import * as crypto from 'crypto';", ['crypto-not-hash']],
    ['crypto default import', "import crypto from 'node:crypto';", ['crypto-not-hash']],
  ];
  it.each(rows)('%s', (_label, source, rules) => {
    expect(impurities('snippet.ts', source).map((f) => f.rule)).toEqual(rules);
  });

  const allowed: Array<[string, string]> = [
    ['a const of an immutable value', "export const MAX = 10; const NAMES = ['a', 'b'] as const;"],
    ['a ReadonlySet lookup table', "const KEYWORDS: ReadonlySet<string> = new Set(['type', 'enum']);"],
    ['a ReadonlyMap lookup table', "const CODES: ReadonlyMap<string, number> = new Map([['ok', 0]]);"],
    ['let and collections inside a function', 'export function f() { let n = 0; const seen = new Set<number>(); seen.add(n++); return seen; }'],
    ['a cache owned by a factory', 'export function memo() { let last: string | undefined; return (x: string) => (last ??= x); }'],
    ['a date from a value', 'export function at(ms: number) { return new Date(ms).toISOString(); }'],
    ['an injected clock and random source', 'export function f(now: () => Date, random: () => number) { return [now(), random()]; }'],
    ['properties that share a forbidden name', "export function f(o: { process: string; now: number }) { const x = { process: 1 }; return o.process + x.process; }"],
    ['createHash from node:crypto', "import { createHash } from 'node:crypto';"],
    ['a declared global', 'declare const require: ((id: string) => unknown) | undefined;'],
  ];
  it.each(allowed)('allows %s', (_label, source) => {
    expect(impurities('snippet.ts', source)).toEqual([]);
  });
});

describe('src/core', () => {
  const files = readdirSync(CORE, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => f.split(path.sep).join('/'))
    .sort();

  it('is scanned whole (every .ts file under it)', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files).toEqual(expect.arrayContaining(['gates.ts', 'detectors/leak.ts', 'yaml-source.ts']));
  });

  it('keeps no module-level mutable state, reads no clock, randomness or process globals', () => {
    const findings = files.flatMap((f) =>
      impurities(f, readFileSync(path.join(CORE, f), 'utf8')).map((x) => `src/core/${f}:${x.line} ${x.rule}: ${x.text}`),
    );
    expect(findings).toEqual([]);
  });
});
