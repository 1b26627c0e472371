import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplate, type Segment } from '../../src/core/template.js';
import { expandTemplate, templateColumns } from '../../src/core/dataset-rows.js';
import { delimitedPlaceholders } from '../../src/core/lint/delimited.js';
import { runs } from '../support/property-seed.js';

/**
 * Placeholders are found in linear time, with the answers the former patterns gave. The former
 * `\{\{\s*([^{}]*?)\s*\}\}` backtracked cubically on a run of spaces (4 KB: half a minute; 10,000
 * spaces: minutes, deaf to signals), and the undelimited-untrusted rule re-read the whole message
 * for every placeholder. Each former implementation is kept here as the oracle; the size tests
 * assert only that a 100,000-character input is answered (never a wall-clock bound).
 */

// With the later rule that `\\{{` is a backslash, then a placeholder (the first alternative).
const OLD_TEMPLATE = /\\\\(?=\{\{)|\\\{\{|\{\{\s*([^{}]*?)\s*\}\}|\{\{|\}\}/g;
const OLD_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** parseTemplate with the former pattern: segments and error offsets. */
function oldParse(template: string): { segments: Segment[]; errors: number[] } {
  const segments: Segment[] = [];
  const errors: number[] = [];
  let text = '';
  let textStart = 0;
  let last = 0;
  for (const m of template.matchAll(OLD_TEMPLATE)) {
    const at = m.index;
    text += template.slice(last, at);
    last = at + m[0].length;
    if (m[0] === '\\\\') text += '\\';
    else if (m[0] === '\\{{') text += '{{';
    else if (m[0] === '}}') text += '}}';
    else if (m[0] === '{{') (errors.push(at), (text += '{{'));
    else if (!OLD_IDENT.test(m[1] ?? '')) (errors.push(at), (text += m[0]));
    else {
      if (text) segments.push({ kind: 'text', text, offset: textStart });
      text = '';
      segments.push({ kind: 'var', name: m[1]!, offset: at, length: m[0].length });
      textStart = last;
    }
  }
  text += template.slice(last);
  if (text) segments.push({ kind: 'text', text, offset: textStart });
  return { segments, errors };
}

const OLD_DATASET = /\{\{\s*([^{}]+?)\s*\}\}/g;
const OLD_WHOLE = /^\{\{\s*([^{}]+?)\s*\}\}$/;

/** The former undelimited-untrusted reading, one placeholder at a time. */
function oldIsDelimited(content: string, segments: Segment[], seg: Extract<Segment, { kind: 'var' }>): boolean {
  let text = content;
  for (const s of segments) if (s.kind === 'var') text = text.slice(0, s.offset) + ' '.repeat(s.length) + text.slice(s.offset + s.length);
  const before = text.slice(0, seg.offset);
  const after = text.slice(seg.offset + seg.length);
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of before.matchAll(/<(\/?)([A-Za-z][\w-]*)[^<>]*?(\/?)>/g)) {
    if (selfClosing || !name) continue;
    if (!closing) open.push(name);
    else if (open.includes(name)) open.splice(open.lastIndexOf(name));
  }
  if (open.some((name) => after.includes(`</${name}>`))) return true;
  if (['```', '"""', "'''"].some((f) => before.split(f).length % 2 === 0 && after.includes(f))) return true;
  const marker = before.trimEnd().match(/(---|###)[\w-]*$/);
  return !!marker?.[1] && after.trimStart().startsWith(marker[1]);
}

const oldDelimited = (content: string): number[] => {
  const { segments } = parseTemplate(content);
  return segments.flatMap((s) => (s.kind === 'var' && oldIsDelimited(content, segments, s) ? [s.offset] : []));
};
const newDelimited = (content: string): number[] => [...delimitedPlaceholders(content, parseTemplate(content).segments)].sort((a, b) => a - b);

/** Texts from pieces that meet at every edge the patterns care about. */
const pieces = (alphabet: string[]) => fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((p) => p.join(''));
const TEMPLATE_PIECES = ['{', '}', '{{', '}}', '\\', ' ', '  ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', 'a', 'x1', '_', '.', '#', '>'];
const MESSAGE_PIECES = ['{{q}}', '{{ q }}', '{{x}}', '<b>', '</b>', '<q a="1">', '</q>', '<br/>', '<', '>', '/', '```', '"""', "'''", '`', '---', '###', '-', '#', 'a', ' ', '\n', '\t'];

const TEMPLATES = [
  '', 'Hi {{name}}!', 'Hi {{  name  }}!', 'Hi {{\nname\n}}!', '{{ }}', '{{}}', '{{   }}', '{{ a b }}', '{{\u00a0a\u2028}}', '{{\ufeffa}}',
  '\\{{a}}', '\\\\{{a}}', '{{{a}}}', '{{a}b}}', '{{a}}}', '{{{{a}}', '}}{{', '{{ a', 'x {{ {{ a }} }}', '{{#if a}}x{{/if}}', '{{> p}}',
];

describe('template placeholders: linear, with the former matches', () => {
  it.each(TEMPLATES.map((t) => [JSON.stringify(t), t] as const))('%s', (_name, t) => {
    const parsed = parseTemplate(t);
    expect({ segments: parsed.segments, errors: parsed.errors.map((e) => e.offset) }).toEqual(oldParse(t));
  });

  it('equals the former parse on generated templates', () => {
    fc.assert(
      fc.property(pieces(TEMPLATE_PIECES), (t) => {
        const parsed = parseTemplate(t);
        expect({ segments: parsed.segments, errors: parsed.errors.map((e) => e.offset) }).toEqual(oldParse(t));
      }),
      { numRuns: runs(3000) },
    );
  });

  it('answers 100,000 spaces inside braces, closed or not', () => {
    const spaces = ' '.repeat(100_000);
    expect(parseTemplate(`{{${spaces}x`).errors).toEqual([{ offset: 0, message: 'unclosed "{{": write \\{{ for a literal "{{"' }]);
    expect(parseTemplate(`{{${spaces}x${spaces}}}`).segments).toEqual([{ kind: 'var', name: 'x', offset: 0, length: 200_005 }]);
    expect(parseTemplate(`{{${spaces}x y${spaces}}}`).errors).toHaveLength(1);
    expect(parseTemplate('{{ '.repeat(30_000)).errors).toHaveLength(30_000);
  });
});

describe('dataset {{column}} templates: linear, with the former matches', () => {
  const oldColumns = (t: string) => [...t.matchAll(OLD_DATASET)].map((m) => m[1]!);
  const rowFor = (names: string[]) => Object.fromEntries(names.map((n) => [n, `<${n}>`]));
  const oldExpand = (t: string) => {
    const whole = OLD_WHOLE.exec(t);
    return whole ? `<${whole[1]}>` : t.replace(OLD_DATASET, (_m, n: string) => `<${n}>`);
  };

  it('equals the former columns and filled text on listed and generated texts', () => {
    const check = (t: string) => {
      const names = oldColumns(t);
      expect(templateColumns(t).map((c) => c.column)).toEqual(names);
      expect(expandTemplate(t, rowFor(names))).toEqual({ value: oldExpand(t) });
    };
    for (const t of TEMPLATES) check(t);
    fc.assert(fc.property(pieces(TEMPLATE_PIECES), check), { numRuns: runs(3000) });
  });

  it('answers 100,000 spaces inside braces', () => {
    const spaces = ' '.repeat(100_000);
    expect(templateColumns(`{{${spaces}x`)).toEqual([]);
    expect(templateColumns(`{{${spaces}x${spaces}}} days`)).toEqual([{ path: [], column: 'x' }]);
    expect(expandTemplate(`{{${spaces}x${spaces}}}`, { x: 'y' })).toEqual({ value: 'y' });
    expect(expandTemplate(`{{${spaces}x`, {})).toEqual({ value: `{{${spaces}x` });
  });
});

describe('delimited placeholders: one pass per message, with the former answers', () => {
  const MESSAGES = [
    '<q>\n{{q}} {{x}}\n</q>', '<q>{{q}}', '{{q}}</q>', '<a><b></a>{{q}}</b>', '<a><b></a>{{q}}</a>', '<a><b>{{q}}</b></a>', '<br/>{{q}}</br>',
    '```\n{{q}}\n```', '``` ``` {{q}} ```', '````{{q}}```', '"""{{q}}"""', "'''{{q}}'''", '---\n{{q}}\n---', '###q {{q}} ###', '---a{{q}}---',
    'x---{{q}}---', '# {{q}} #', '--- {{q}} ### {{q}} ---', '<q a="{{x}}">{{q}}</q>', '<b>{{q}}</b>{{q}}<b>{{q}}</b>', '{{q}}',
  ];
  it.each(MESSAGES.map((m) => [JSON.stringify(m), m] as const))('%s', (_name, m) => {
    expect(newDelimited(m)).toEqual(oldDelimited(m));
  });

  it('equals the former answers on generated messages', () => {
    fc.assert(fc.property(pieces(MESSAGE_PIECES), (m) => {
      expect(newDelimited(m)).toEqual(oldDelimited(m));
    }), { numRuns: runs(3000) });
  });

  it('answers a 100,000-character message with thousands of placeholders and tags', () => {
    const tagged = `<b>${'x '.repeat(20_000)}</b>${'<b>{{q}} '.repeat(6_000)}${'</b>'.repeat(3_000)}`;
    expect(newDelimited(tagged)).toHaveLength(6_000);
    const bare = `${'---'.repeat(10_000)}${' {{q}}'.repeat(10_000)} ${'-'.repeat(30_000)}`;
    expect(newDelimited(bare)).toHaveLength(10_000);
    expect(newDelimited('{{q}}\n'.repeat(20_000))).toEqual([]);
  });

  it('reads a tag name of 1,000,000 characters with no `>` once (the tag pattern gave its name back one character at a time)', () => {
    expect(newDelimited(`<a${'b'.repeat(1_000_000)} {{q}}`)).toEqual([]);
    expect(newDelimited(`<a${'b'.repeat(1_000_000)}>{{q}}</a${'b'.repeat(1_000_000)}>`)).toEqual([1_000_003]);
  });
});
