import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../src/core/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['staging', 'staging', 0],
    ['prodcution', 'production', 1], // a swap of neighbours is one edit
    ['kitten', 'sitting', 3],
    ['1.0.1', '1.0.0', 1],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestName', () => {
  const envs = ['development', 'staging', 'production'];
  it.each([
    ['prodution', 'production'],
    ['Production', 'production'],
    ['stagign', 'staging'],
    ['prod', 'production'], // a prefix of a known name
    ['dev', 'development'],
    ['qa', undefined],
    ['sandbox', undefined],
    ['staging', undefined], // the name itself is not a suggestion
  ])('%s suggests %s', (typed, expected) => {
    expect(closestName(typed, envs)).toBe(expected);
  });

  it('prompt ids and versions', () => {
    expect(closestName('support-anwser', ['billing-faq', 'support-answer'])).toBe('support-answer');
    expect(closestName('1.1', ['1.0.0', '1.1.0'])).toBe('1.1.0');
    expect(closestName('9.9.9', ['1.0.0', '1.1.0'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });

  it('didYouMean phrases it, or says nothing', () => {
    expect(didYouMean('stagin', envs)).toBe('did you mean "staging"? ');
    expect(didYouMean('qa', envs)).toBe('');
  });

  // A name that prints exactly like the suggestion says how it differs, naming the code point.
  it.each([
    ['a Cyrillic е', 'developm\u0435nt', envs, 'did you mean "development"? ("developm\u0435nt" has U+0435 CYRILLIC SMALL LETTER IE, which looks like "e".) '],
    ['two Greek omicrons', 'pr\u03bfducti\u03bfn', envs, 'did you mean "production"? ("pr\u03bfducti\u03bfn" has U+03BF GREEK SMALL LETTER OMICRON, which looks like "o".) '],
    ['a decomposed é typed', 're\u0301ponse', ['id', 'r\u00e9ponse'], 'did you mean "r\u00e9ponse"? ("re\u0301ponse" is written decomposed (a letter followed by U+0301): the two differ only in Unicode normal form.) '],
    ['a decomposed é known', 'r\u00e9ponse', ['id', 're\u0301ponse'], 'did you mean "re\u0301ponse"? ("re\u0301ponse" is written decomposed (a letter followed by U+0301): the two differ only in Unicode normal form.) '],
    ['a plain typo says nothing more', 'stagign', envs, 'did you mean "staging"? '],
  ])('didYouMean with %s', (_name, typed, known, said) => {
    expect(didYouMean(typed, known)).toBe(said);
  });
});
