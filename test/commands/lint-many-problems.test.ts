import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A file under the size limit can hold more problems than a spread push can pass (130,000 broken
 * `{{` in one prompt, from an untrusted pull request): lint names them, exit 2, never a crash
 * (exit 70, "Maximum call stack size exceeded") that leaves ci without a report.
 */
describe('a prompt with 130,000 template errors', () => {
  it('is refused by lint and eval with exit 2 naming the file, not a crash', async () => {
    const dir = makeProject();
    const file = 'prompts/support-answer/1.1.0.yaml';
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('  - role: system\n    content: |\n', `  - role: system\n    content: |\n      ${'{{{'.repeat(130_000)}\n`));
    for (const args of [['lint'], ['eval', 'support-answer@1.1.0']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, r.output.slice(0, 2000)).toBe(2);
      expect(r.output).toContain(file);
      expect(r.output).not.toMatch(/Maximum call stack|hit a bug/);
    }
  }, 120_000);
});
