import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/** Names lint refuses say what is wrong with them, not a rule they seem to follow. */

describe('lint names what is wrong with a name', () => {
  it('a version file with build metadata: semver ignores it in ordering, so it is refused saying so', async () => {
    const dir = makeProject();
    const v = readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.3.0+b1');
    writeProjectFile(dir, 'prompts/support-answer/1.3.0+b1.yaml', v);
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain('file name "1.3.0+b1.yaml" has build metadata (+b1), which semver ignores in ordering, so it would sort as 1.3.0: name it 1.3.0.yaml, or 1.3.0-b1.yaml for a prerelease');
  });

  it('a case id starting with an underscore: the rule says ids start with a letter or digit', async () => {
    const dir = makeProject();
    const suite = readProjectFile(dir, 'evalsets/support-answer/golden.yaml').replace(/- id: [\w-]+/, '- id: _under');
    writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', suite);
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toMatch(/cases\.0\.id: must start with a letter or digit \(A-Z, a-z, 0-9\), then letters, digits, _ \. - \(at most 128 characters\)/);
  });

  it('eval of every prompt names only the prompts whose files are broken', async () => {
    const dir = makeProject();
    for (const f of ['prompts/support-answer/1.0.0.yaml']) writeProjectFile(dir, f.replace('support-answer', 'other'), readProjectFile(dir, f).replace('id: support-answer', 'id: other'));
    writeProjectFile(dir, 'evalsets/other/golden.yaml', 'prompt: other\nversions: ">=1.0.0"\nkind: golden\nthreshold: 2\ncases: []\n');
    const r = await runCliInProcess(['eval'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(/^error: \d+ problems? in the files of other$/m);
  });
});

describe('eval --suite naming no suite that applies', () => {
  it('lists the suites that do, and the one it probably meant', async () => {
    const dir = makeProject();
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'goldn'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: no suite applies to support-answer@1.1.0 (with --suite goldn)');
    expect(r.stderr).toContain('why: the suites that apply are adversarial, golden; "goldn" is not among them.');
    expect(r.stderr).toContain('hint: did you mean "golden"? pass one of them to --suite, or leave --suite out to run them all.');
  });
});
