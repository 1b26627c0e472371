/**
 * A number in a YAML or JSON file is parsed before promptctl sees it, and a variable takes the
 * parsed number's text (`String(value)`, core/template.ts): `02134` is sent as `2134`, `1.50` as
 * `1.5`, and `12345678901234567890` as `12345678901234567000`, another number. The one rule for
 * what such a rewrite is: a changed value (digits a double cannot hold) is an error, since what is
 * sent is not what the author wrote; a changed form of the same value (a leading zero, trailing
 * zeros, an exponent, hex) is a warning. Either way, quoting the value sends it as written.
 */

export interface WrittenNumber {
  severity: 'error' | 'warning';
  rule: 'vars/number-changed' | 'vars/number-rewritten';
  message: string;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The exact value a number's text denotes, as one canonical text (`-12e3` for `-12000`), or undefined for text no rule here reads. */
function exactValue(text: string): string | undefined {
  if (/^0[xo][0-9a-fA-F]+$/.test(text)) return exactValue(BigInt(text).toString());
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && !m[3])) return undefined;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  let exponent = Number(m[4] ?? 0) - fraction.length;
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${m[1] === '-' ? '-' : ''}${digits}e${exponent}`;
}

/**
 * What is wrong with a number written as `written` and parsed as `value`, if anything. `written`
 * undefined (a value not read from a file's text, or a parser that kept no text) says nothing.
 */
export function writtenNumber(written: string | undefined, value: number): WrittenNumber | undefined {
  const sent = String(value);
  if (written === undefined || written === sent) return undefined;
  const quote = `quote it ("${written}") to send it as written`;
  if (exactValue(written) !== exactValue(sent)) {
    const why = Number.isInteger(value) && !Number.isSafeInteger(value) ? 'an integer beyond 2^53 is not held exactly' : 'a number holds about 16 significant digits';
    return { severity: 'error', rule: 'vars/number-changed', message: `${written} is read as the number ${sent} (${why}) and would be sent as "${sent}", another number: ${quote}` };
  }
  return { severity: 'warning', rule: 'vars/number-rewritten', message: `${written} is read as the number ${sent} and sent as "${sent}", not as written: ${quote}, or write ${sent}` };
}
