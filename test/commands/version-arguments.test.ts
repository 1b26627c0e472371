import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/**
 * Versions written where a command does not expect them are told so: `diff` takes `id@a id@b` as
 * every other command does, and `compare` says that `--suite` took the versions written after it
 * (as `eval` does), where both said "missing required argument".
 */

describe('version arguments of diff and compare', () => {
  const dir = makeProject();
  it.each<{ args: string[]; code: number; out: RegExp }>([
    { args: ['diff', 'support-answer@1.0.0', 'support-answer@1.1.0'], code: 0, out: /^\+\+\+ prompts\/support-answer\/1\.1\.0\.yaml/m },
    { args: ['diff', 'support-answer', '1.0.0', 'support-answer@1.1.0'], code: 0, out: /^\+\+\+ prompts\/support-answer\/1\.1\.0\.yaml/m },
    { args: ['compare', '--suite', 'golden', 'support-answer@1.0.0', 'support-answer@1.1.0'], code: 2, out: /error: "support-answer@1\.0\.0", "support-answer@1\.1\.0" after --suite are prompt versions[^]*takes every word after it[^]*hint: put the versions before --suite: promptctl compare support-answer@1\.0\.0 support-answer@1\.1\.0 --suite golden/ },
    { args: ['compare', 'support-answer@1.0.0', '--suite', 'golden', 'support-answer@1.1.0'], code: 2, out: /hint: put the versions before --suite: promptctl compare support-answer@1\.0\.0 support-answer@1\.1\.0 --suite golden/ },
    { args: ['compare', 'support-answer@1.0.0'], code: 2, out: /error: compare needs two versions, got only support-answer@1\.0\.0/ },
  ])('$args', async ({ args, code, out }) => {
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(code);
    expect(r.output).toMatch(out);
  });
});
