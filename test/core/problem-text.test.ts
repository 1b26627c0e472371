import { describe, expect, it } from 'vitest';
import { formatCiProblem } from '../../src/core/ci/checks.js';
import type { CiPlan } from '../../src/core/ci/plan.js';
import { formatErrorParts, formatProblem, GateError, formatError, type Problem } from '../../src/core/errors.js';

/**
 * Problems and errors quote what project files hold (YAML keys, CSV columns, values), which a pull
 * request writes: as text they show every control character escaped, so no message can forge a CI
 * annotation (`\n::error …`), mask the log or drive the terminal (hostile hunt #2).
 */

const FORGED = 'icontains\n::error file=README.md,line=1::PWNED\r\n::stop-commands::tok';
const ESCAPES = 'q\u001b]0;TITLE\u0007\u001b[2J\u009b31m';
const base: Problem = { file: 'evalsets/a/g.yaml', line: 9, col: 9, field: 'cases.0.expect.0', message: 'unknown key', severity: 'error' };

const lineBreakOrEscape = /[\u0000-\u001f\u007f-\u009f]/;

describe('problems and errors as text', () => {
  it.each([
    ['a message', { ...base, message: `unknown key "${FORGED}"` }, 'evalsets/a/g.yaml:9:9 cases.0.expect.0: unknown key "icontains\\n::error file=README.md,line=1::PWNED\\r\\n::stop-commands::tok"'],
    ['a field path', { ...base, field: `cases.0.expect.0.${FORGED}` }, 'evalsets/a/g.yaml:9:9 cases.0.expect.0.icontains\\n::error file=README.md,line=1::PWNED\\r\\n::stop-commands::tok: unknown key'],
    ['a CSV column with escapes', { ...base, message: `its columns: ${ESCAPES}` }, 'evalsets/a/g.yaml:9:9 cases.0.expect.0: its columns: q\\e]0;TITLE\\x07\\e[2J\\x9b31m'],
    ['a file name', { ...base, file: 'data/x\n::error::y.csv', field: '' }, 'data/x\\n::error::y.csv:9:9 unknown key'],
  ] as const)('formatProblem escapes %s', (_, p, text) => {
    expect(formatProblem(p)).toBe(text);
  });

  it('formatProblem prints no position for a problem that has none (a deleted file: line 0), never file:0:0', () => {
    const gone: Problem = { file: 'prompts/a/1.0.0.yaml', line: 0, col: 0, field: '', message: 'a@1.0.0 is active in production but its file was deleted', severity: 'error', rule: 'version/deleted-deployed' };
    expect(formatProblem(gone, { severity: true })).toBe('prompts/a/1.0.0.yaml error a@1.0.0 is active in production but its file was deleted [version/deleted-deployed]');
    expect(formatProblem({ ...gone, line: 1, col: 1 }, { severity: true })).toMatch(/^prompts\/a\/1\.0\.0\.yaml:1:1 error /);
  });

  it('formatCiProblem escapes a deleted file the same way', () => {
    const plan = { deleted: [{ file: 'prompts/a/1.0.0.yaml', kind: 'version' }] } as unknown as CiPlan;
    expect(formatCiProblem(plan, { ...base, file: 'prompts/a/1.0.0.yaml', message: `gone\n::error::x${ESCAPES}` })).toBe('prompts/a/1.0.0.yaml (deleted): gone\\n::error::xq\\e]0;TITLE\\x07\\e[2J\\x9b31m');
  });

  it('an error prints one line per part, each escaped', () => {
    const text = formatErrorParts({ message: `bad ${FORGED}`, why: `why ${ESCAPES}`, hint: 'a\nb', problems: [{ ...base, message: FORGED }], reasons: [`r\n::x`] });
    const lines = text.split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['error', '  evalsets/a/g.yaml', '  - r\\n', 'why', 'hint']);
    for (const l of lines) expect(l).not.toMatch(lineBreakOrEscape);
    const gate = new GateError({ message: 'refused', reasons: [`x\u001b[2J`], why: `w\n::error::z` });
    expect(formatError(gate)).toBe('error: refused\n  - x\\e[2J\nwhy: w\\n::error::z');
  });
});
