import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * A JSONL row with a key written twice (`"expect":[…],"expect":[…]`, a variable twice) was read as
 * JSON.parse reads it, the last value kept without a word: lint passed, and the case ran without its
 * first expectations or with the later variable. The same row in a YAML data file was an error
 * already ("duplicate key"); in JSONL it now is too, at the second key's line, column and field.
 */

afterAll(() => cleanupTempDirs());

const SUITE = 'evalsets/support-answer/faq.yaml';
const FILE = 'data/faq.jsonl';

describe('a JSONL data file row with a duplicate key', () => {
  it('is an error at the second key (lint and eval), and nothing is sent or recorded', async () => {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'versions: ">=1.1.0"', 'kind: golden', 'cases_from:', `  file: ${FILE}`, ''].join('\n'));
    const rows = [
      '{"id":"hours","vars":{"question":"What are your support hours?"},"expect":[{"icontains":"24/7"}],"expect":[{"no-pii":true}]}',
      '{"id":"refund","vars":{"question":"How long for a refund?","question":"What are your support hours?"},"expect":[{"icontains":"30 days"}]}',
      '{"id":"fine","vars":{"question":"Hi?"},"expect":[{"icontains":"a"},{"not-contains":"b"}]}',
      '{"id":"inner","vars":{"question":"Hi?"},"expect":[{"icontains":"a","icontains":"b"}]}',
    ];
    writeProjectFile(dir, FILE, `${rows.join('\n')}\n`);
    const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    const problems = (JSON.parse(r.stdout).problems as Array<{ file: string; line: number; col: number; field: string; message: string }>).filter((p) => p.file === FILE);
    expect(problems.map((p) => `${p.line}:${p.col} ${p.field}`)).toEqual([
      `1:${rows[0]!.lastIndexOf('"expect"') + 1} expect`,
      `2:${rows[1]!.lastIndexOf('"question"') + 1} vars.question`,
      `4:${rows[3]!.lastIndexOf('"icontains"') + 1} expect.0.icontains`,
    ]);
    expect(problems[0]!.message).toBe(`duplicate key "expect": an object holds each key once, and JSON readers keep only its last value; merge the two or remove one (read by suite: ${SUITE})`);

    const evaluated = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'faq'], { cwd: dir });
    expect(evaluated.code, evaluated.output).toBe(2);
    expect(evaluated.stderr).toContain(`cases_from: ${FILE}:1 (column "expect"): duplicate key "expect"`);
  });
});
