import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/** A misspelt key is named with the key it was probably meant to be, wherever it sits in a file. */

/** `lint` on the example project with its golden suite edited by `edit`. */
function lintGolden(edit: (golden: string) => string) {
  return lintEdited('evalsets/support-answer/golden.yaml', edit);
}

/** `lint` on the example project with `file` edited by `edit`. */
async function lintEdited(file: string, edit: (text: string) => string) {
  const dir = makeProject();
  writeProjectFile(dir, file, edit(readProjectFile(dir, file)));
  return runCliInProcess(['lint'], { cwd: dir });
}

describe('unknown keys', () => {
  it.each([
    ['a suite expectation', 'evalsets/support-answer/golden.yaml', (t: string) => t.replace('icontains: "30 days"', 'contain: "30 days"'), 'unknown key "contain" (did you mean "contains"?)'],
    ["a version's model setting", 'prompts/support-answer/1.1.0.yaml', (t: string) => t.replace(/^(model:\n {2})temperature:/m, '$1temprature:'), 'unknown key "temprature" (did you mean "temperature"?)'],
    ["an environment's gate", '.promptrc.yaml', (t: string) => t.replace('requires_tested: true', 'requires_testd: true'), 'unknown key "requires_testd" (did you mean "requires_tested"?)'],
    ['a key close to nothing', '.promptrc.yaml', (t: string) => t.replace('registry:', 'zzzzzzzz: 1\nregistry:'), 'unknown key "zzzzzzzz" (check the spelling)'],
  ])('%s', async (_name, file, edit, message) => {
    const r = await lintEdited(file, edit);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(message);
  });

  it('a misspelt required key is one problem, not also that the key it meant "is required"', async () => {
    const r = await lintGolden((golden) => golden.replace('      - no-pii: true', '      - judge: { rubrik: "polite" }'));
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('unknown key "rubrik" (did you mean "rubric"?)');
    expect(r.output).not.toContain('is required');
  });

  it('matches-response-format at the top of an expectation says where it goes', async () => {
    const r = await lintGolden((golden) => golden.replace('      - no-pii: true', '      - matches-response-format: true'));
    expect(r.output).toContain('unknown key "matches-response-format" (it goes inside is-json or json-schema: - json-schema: { matches-response-format: true })');
  });

  it('a YAML merge key says merge keys are not read, not "check the spelling"', async () => {
    const r = await lintGolden((golden) => golden.replace('  - id: refund-window', '  - &first\n    id: refund-window').replace(/\n$/, '\n  - <<: *first\n    id: refund-window-again\n'));
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('unknown key "<<" (YAML merge keys are not read (YAML 1.2 has none): write the keys out)');
  });

  it('a YAML merge key where any key is taken (a case\'s vars) says the same, not that its value is of the wrong type', async () => {
    const r = await lintGolden((golden) => `${golden.replace('cases:', 'common: &common { question: "What are your hours?" }\ncases:')}  - id: merged\n    vars: { <<: *common }\n    expect: [{ contains: "9am" }]\n`);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(/cases\.\d+\.vars\.<<: "<<": YAML merge keys are not read \(YAML 1\.2 has none\): write the keys out/);
    expect(r.output).not.toContain('must be a string, number or boolean');
  });

  it('regex flags it does not take are one error, on flags, not also an invalid pattern (exit 2)', async () => {
    const r = await lintGolden((golden) => golden.replace('      - regex: "9am to 5pm"', '      - regex: { pattern: "9am to 5pm", flags: "qz" }'));
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(/golden\.yaml:\d+:\d+ error cases\.\d+\.expect\.0\.regex\.flags: flags are some of i, m and s, each at most once \(u is always on\)/);
    expect(r.output).not.toContain('invalid regular expression');
  });
});
