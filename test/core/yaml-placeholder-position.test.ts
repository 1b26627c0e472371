import { describe, expect, it } from 'vitest';
import * as yaml from 'yaml';
import { yamlReader } from '../../src/core/yaml-source.js';

/**
 * `locate(path, at)`: the line and column of the character `at` of the string value at `path`,
 * where the file's text tells it exactly (core/yaml-scalar-offset.ts), else the key's position. A
 * template problem is placed at its placeholder this way; before, always at the key.
 */

const reader = yamlReader(() => yaml);
const KEY = { line: 2, col: 3 };

// [style, the file (its value under a.content, whose key is at 2:3), the text located, where (line:col) or KEY]
const CASES: Array<[string, string, string, { line: number; col: number }]> = [
  ['literal |', 'a:\n  content: |\n    Hello\n    you {{name}} there\n', '{{name}}', { line: 4, col: 9 }],
  ['literal |-', 'a:\n  content: |-\n    Hello\n\n    {{x}}\n', '{{x}}', { line: 5, col: 5 }],
  ['literal |+ with trailing blank lines', 'a:\n  content: |+\n    one\n    two {{x}}\n\n\nb: 1\n', '{{x}}', { line: 4, col: 9 }],
  ['literal |2 (explicit indentation, a deeper first line)', 'a:\n  content: |2\n       deep {{x}}\n    {{y}}\n', '{{y}}', { line: 4, col: 5 }],
  ['literal |2 on the deeper line', 'a:\n  content: |2\n       deep {{x}}\n    {{y}}\n', '{{x}}', { line: 3, col: 13 }],
  ['literal | with a comment on its header', 'a:\n  content: | # the system prompt\n    a {{x}}\n', '{{x}}', { line: 3, col: 7 }],
  ['literal | with leading blank lines', 'a:\n  content: |\n\n\n    {{x}}\n', '{{x}}', { line: 5, col: 5 }],
  ['literal | with CRLF line ends', 'a:\r\n  content: |\r\n    one\r\n    two {{x}}\r\n', '{{x}}', { line: 4, col: 9 }],
  ['literal | after a byte order mark', '\ufeffa:\n  content: |\n    {{x}}\n', '{{x}}', { line: 3, col: 5 }],
  ['plain on one line', 'a:\n  content: Hi {{x}} there # note\n', '{{x}}', { line: 2, col: 15 }],
  ["single-quoted with ''", "a:\n  content: 'it''s {{x}}'\n", '{{x}}', { line: 2, col: 19 }],
  ['double-quoted with escapes', 'a:\n  content: "\\"q\\" \\u00e9\\t{{x}}"\n', '{{x}}', { line: 2, col: 27 }],
  ['double-quoted with an escape of two UTF-16 units', 'a:\n  content: "\\U0001F600 {{x}}"\n', '{{x}}', { line: 2, col: 24 }],
  ['double-quoted with a literal emoji', 'a:\n  content: "😀 {{x}}"\n', '{{x}}', { line: 2, col: 16 }],
  ['a flow mapping on one line', 'a:\n  content: x\nb: { content: "x {{y}}" }\n', '{{y}}', { line: 3, col: 18 }],
  ['folded >: the key', 'a:\n  content: >\n    Hello\n    {{x}}\n', '{{x}}', KEY],
  ['plain over two lines: the key', 'a:\n  content: Hello\n    {{x}}\n', '{{x}}', KEY],
  ['double-quoted over two lines: the key', 'a:\n  content: "Hello\n    {{x}}"\n', '{{x}}', KEY],
];

describe('locate: a character inside a string value', () => {
  it.each(CASES)('%s', (_style, text, needle, expected) => {
    const parsed = reader.parseYamlText(text, 'f.yaml');
    expect(parsed.problems).toEqual([]);
    const data = parsed.data as Record<string, { content: string }>;
    const key = text.includes('b: {') ? 'b' : 'a';
    const at = data[key]!.content.indexOf(needle);
    expect(at).toBeGreaterThanOrEqual(0);
    const pos = parsed.locate([key, 'content'], at);
    expect({ line: pos.line, col: pos.col }).toEqual(key === 'b' && expected === KEY ? parsed.locate(['b', 'content']) : expected);
    // Without an offset, or one past the value, it is the key's as before.
    expect(parsed.locate([key, 'content'], data[key]!.content.length)).toEqual(parsed.locate([key, 'content']));
  });

  it("keeps the key's position for a path that is not a string, or goes no deeper than the file", () => {
    const parsed = reader.parseYamlText('a:\n  n: 12\n  s: "x"\n', 'f.yaml');
    expect(parsed.locate(['a', 'n'], 0)).toEqual({ line: 2, col: 3 });
    expect(parsed.locate(['a', 'missing'], 0)).toEqual({ line: 1, col: 1 });
  });
});
