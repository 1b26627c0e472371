/**
 * The parameters of a batched statement, each added with its type (`$n::type`). A column travels
 * as one array literal built here: the driver's own array conversion quotes and escapes every
 * element, numbers included, and cost more than the server's work on a batch of samples. Texts
 * are quoted exactly as the driver would (only `\` and `"` escaped inside the quotes), numbers
 * written as JavaScript prints them (the shortest text that reads back to the same double), and
 * null is NULL.
 */
export class BatchParams {
  readonly values: unknown[] = [];

  value(value: unknown, type: string): string {
    return `$${this.values.push(value)}::${type}`;
  }

  texts(values: ReadonlyArray<string | null>): string {
    let literal = '{';
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (i > 0) literal += ',';
      literal += v === null ? 'NULL' : `"${NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, '\\$&') : v}"`;
    }
    return this.value(`${literal}}`, 'text[]');
  }

  numbers(values: ReadonlyArray<number | null>, type: 'int' | 'int8' | 'float8'): string {
    return this.value(`{${values.map((v) => v ?? 'NULL').join(',')}}`, `${type}[]`);
  }

  /**
   * Texts as their UTF-8 bytes in one bytea (a Buffer travels in binary, not as hex), with each
   * one's 1-based start and byte length for `substring(bytes FROM start FOR length)`. Texts with a
   * surrogate are encoded one by one, as a single output would be: joined first, a lone surrogate
   * at the end of one and the start of the next would pair up. A null text has a NULL length, so
   * its substring is NULL.
   */
  utf8(texts: ReadonlyArray<string | null>): { bytes: string; starts: string; lengths: string } {
    const present = texts.map((t) => t ?? '');
    const lengths = texts.map((t) => (t === null ? null : Buffer.byteLength(t, 'utf8')));
    const bytes = present.some((t) => SURROGATE.test(t)) ? Buffer.concat(present.map((t) => Buffer.from(t, 'utf8'))) : Buffer.from(present.join(''), 'utf8');
    const starts: number[] = [];
    let at = 1;
    for (const n of lengths) {
      starts.push(at);
      at += n ?? 0;
    }
    return { bytes: this.value(bytes, 'bytea'), starts: this.numbers(starts, 'int'), lengths: this.numbers(lengths, 'int') };
  }
}

const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;
const SURROGATE = /[\uD800-\uDFFF]/;
