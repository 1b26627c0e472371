import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * The hunt's suite, through the CLI without a terminal (a CI log): the FAIL line and the list after
 * the run show where the answer differs ("CEST" vs "CET", at character 61) and every reason of a
 * case; `--json` is the report, led by its verdict and exit code.
 */

const SUITE = `prompt: support-answer
versions: ">=1.1.0"
kind: golden
threshold: 0.9
cases:
  - id: eqlong
    vars: { question: "What are your support hours?" }
    expect:
      - equals: '{"answer":"Support hours are Monday to Friday, 9am to 5pm CEST."}'
  - id: many
    vars: { question: "What are your support hours?" }
    expect:
      - contains: "banana"
      - regex: "^Yes"
      - starts-with: "Hello"
`;

const sim = simulatorForFile();

describe('eval says why each case failed', () => {
  it('in the FAIL lines and the list after the run; --json unchanged', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-why-failed-');
    writeProjectFile(dir, 'evalsets/support-answer/strict.yaml', SUITE);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'strict'], { cwd: dir, env: SCRIPT_ENV });
    expect(r.code, r.stderr).toBe(1);
    const window = 'expected "…9am to 5pm CEST.\\"}", got "…9am to 5pm CET.\\"}"';
    expect(r.stderr).toContain(`FAIL support-answer@1.1.0 strict/eqlong#0: equals: output differs from the expected text at character 61 — ${window}`);
    expect(r.stderr).toContain('FAIL support-answer@1.1.0 strict/many#0: contains: output does not contain "banana" — got "{\\"answer\\":');
    expect(r.stderr).toContain('(+2 more: regex, starts-with)');
    const why = r.stdout.split('\n\n')[0]!.split('\n');
    expect(why[0]).toBe('Why cases failed (2)');
    expect(why).toContain('FAIL support-answer@1.1.0 strict/eqlong (0/1 samples passed)');
    expect(why).toContain('  inputs: question: What are your support hours?');
    expect(why.find((l) => l.startsWith('  equals: '))).toContain('at character 61 — expected "…riday, 9am to 5pm CEST.\\"}", got "…riday, 9am to 5pm CET.\\"}"');
    expect(why.filter((l) => /^ {2}(contains|regex|starts-with): /.test(l))).toHaveLength(3);

    const json = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'strict', '--json'], { cwd: dir, env: SCRIPT_ENV });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { verdict: string; exitCode: number; runs: Array<{ cases: Array<{ caseId: string; samples: Array<{ reasons: Array<Record<string, string>> }> }> }> };
    // What the run came to leads the document, as in ci --json: a consumer need not recompute it.
    expect(Object.keys(report).slice(0, 2)).toEqual(['verdict', 'exitCode']);
    expect(report).toMatchObject({ verdict: 'failed', exitCode: 1 });
    const eq = report.runs[0]!.cases.find((c) => c.caseId === 'eqlong')!.samples[0]!.reasons[0]!;
    expect(Object.keys(eq).sort()).toEqual(['actual', 'expectation', 'expected', 'message']);
    expect(eq.message).toBe('output differs from the expected text at character 61');
    expect(json.stdout).not.toContain('Why cases');
  });
});
