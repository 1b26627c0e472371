import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';

/**
 * `report <a> <b>` reads its two sides as `compare` does, and refuses a side that names a model
 * (`id@version:model`, which compare takes) saying that report takes none and what to run instead.
 * Before, it said "1.0.0:sim-model" was not a semantic version, to be written as in the file name.
 */

describe('report of two versions with a model named', () => {
  it.each([
    [['support-answer@1.0.0:sim-model', 'support-answer@1.0.0:sim-b'], 'report takes no model (support-answer@1.0.0:sim-model, support-answer@1.0.0:sim-b): it compares two versions'],
    [['support-answer@1.0.0', 'support-answer@1.1.0:sim-b'], 'report takes no model (support-answer@1.1.0:sim-b)'],
    [['support-answer@1.0.0', ':sim-b'], 'report takes no model (support-answer@1.0.0:sim-b)'],
  ])('%j is exit 2: report takes no model; compare, or eval --model then report, shows it', async (refs, named) => {
    // The server is never asked: nothing is read past the refs.
    const dir = makeSimProject('http://127.0.0.1:9/v1', {}, 'promptctl-report-model-');
    const r = await runCliInProcess(['report', ...refs, '-o', 'm.html'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(named);
    expect(r.stderr).not.toContain('semantic version');
    expect(r.stderr).toContain(`promptctl compare ${refs.join(' ')}`);
    expect(r.stderr).toMatch(/promptctl eval support-answer@1\.[01]\.0 --model sim-\w+ and then promptctl report/);
    expect(existsSync(path.join(dir, 'm.html'))).toBe(false);
  });
});
