import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/infra/yaml-text.js';

/**
 * A carriage return that ends no line (CR CR LF from a CRLF file passed through a tool that turned
 * each LF into CRLF again, or CR-only line endings) is one problem naming its line and the fix.
 * Before, the parser read each CR as a line break and gave 30-odd errors on fields that were right
 * (platforms hunt #7). LF and CRLF files read the same.
 */

const SUITE = 'prompt: support-answer\nversions: ">=1.0.0"\nkind: golden\nthreshold: 0.9\ncases:\n  - id: a\n    vars: { question: "Q" }\n    expect:\n      - contains: x\n';

describe('YAML line endings', () => {
  it.each([
    ['CR CR LF', SUITE.replace(/\n/g, '\r\r\n'), 1, /^line 1 ends with CR CR LF .*save the file with LF or CRLF line endings/],
    ['CR alone', SUITE.replace(/\n/g, '\r'), 1, /^line 1 holds a carriage return \(CR\) without a line feed after it .*save the file with LF or CRLF/],
    ['CR CR LF from line 3 on', SUITE.split('\n').map((l, i) => (i >= 2 ? `${l}\r\r` : l)).join('\n'), 3, /^line 3 ends with CR CR LF/],
  ])('%s: one problem at its line', (_name, text, line, message) => {
    const parsed = parseYamlText(text, 'evalsets/support-answer/golden.yaml');
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ file: 'evalsets/support-answer/golden.yaml', line, message: expect.stringMatching(message) });
  });

  it('LF and CRLF read the same data', () => {
    expect(parseYamlText(SUITE.replace(/\n/g, '\r\n'), 'f.yaml')).toMatchObject({ problems: [], data: parseYamlText(SUITE, 'f.yaml').data });
  });

  it('a byte order mark does not move line 1 columns when positions are read from the file again', () => {
    const parsed = parseYamlText(SUITE, 'f.yaml', () => `\ufeff${SUITE}`);
    expect(parsed.locate(['prompt'])).toEqual({ line: 1, col: 1 });
    expect(parsed.locate(['kind'])).toEqual({ line: 3, col: 1 });
  });
});
