/**
 * The one rule for text that is a number: decimal digits with an optional sign, point and
 * exponent (`12`, `-0.5`, `19.90`, `007`, `1e3`). Not what `Number()` takes besides: hex (`0x1F`),
 * binary, octal, `Infinity`, surrounding spaces or an empty text, which a person writing a number
 * does not mean and which `Number()` would turn into another number's text.
 */
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const isDecimalNumber = (text: string): boolean => DECIMAL_NUMBER.test(text);
