import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/infra/yaml-text.js';

/**
 * Invalid UTF-8 is reported at the field that holds it, found in a lossy decoding of the file. Bad
 * bytes where a key would be (at the end of a file) decode to U+FFFD, which is no field of the
 * file: `.promptrc.yaml:37:1 ��: invalid UTF-8 byte sequence` named the replacement characters.
 */

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('decodeUtf8 names the field of a bad byte', () => {
  it('bad bytes at the end of a file, read as a key, name no field', () => {
    expect(decodeUtf8(bytes('server:\n  model: sim\n', [0xff, 0xfe]), 'c.yaml').problems).toEqual([
      { file: 'c.yaml', line: 3, col: 1, field: '', message: 'invalid UTF-8 byte sequence; save the file as UTF-8', severity: 'error' },
    ]);
  });

  it('a bad byte in a nested key names the field above it', () => {
    expect(decodeUtf8(bytes('server:\n  mo', [0xff], 'del: sim\n'), 'c.yaml').problems.map((p) => p.field)).toEqual(['server']);
  });

  it('a bad byte in a value still names its field', () => {
    expect(decodeUtf8(bytes('server:\n  model: si', [0xff], '\n'), 'c.yaml').problems.map((p) => p.field)).toEqual(['server.model']);
  });
});
