import { describe, expect, it } from 'vitest';
import { branchOf, ciRepoForFile, cliWith, commitAll, failureText, ID, readJUnit, suiteNamed } from '../support/ci-repo.js';
import { readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A version file named against the layout (`1.4.yaml`, a folder that is no prompt id) is a lint
 * error in ci as in `promptctl lint`: the text, JUnit and the Actions annotation name the file, exit 2.
 * Before, ci read it as `support-answer@1.4` and stopped with a command-line error naming no file,
 * while its own lint line said 0 errors.
 */

const repo = ciRepoForFile();

describe('ci and a version file named against the layout', () => {
  it.each([
    ['a file name that is no semantic version', `prompts/${ID}/1.4.yaml`, 'file name "1.4.yaml" must be a semantic version'],
    ['a folder that is no prompt id', 'prompts/Order_Bot/1.2.0.yaml', 'folder name "Order_Bot" is not a valid prompt id'],
  ])('%s: the lint error, in text, JUnit and the annotation, exit 2', async (_name, file, message) => {
    const dir = branchOf(repo.base, 'misnamed');
    writeProjectFile(dir, file, readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace(/^version: .*$/m, `version: ${file.split('/').pop()!.replace('.yaml', '')}`));
    commitAll(dir, 'misnamed');
    const r = await cliWith(dir, { GITHUB_ACTIONS: 'true' }, 'ci', '--base', 'main', '--junit', 'j.xml');
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`${file}:1:1 error ${message}`);
    expect(r.stdout).toMatch(/^lint: 1 error, 0 warnings in 1 file \(changed\)$/m);
    expect(r.output).not.toMatch(/is not a (semantic version|prompt reference)/);
    expect(r.stdout).toContain(`::error file=${file},line=1,col=1,title=promptctl::${message}`);
    const lint = suiteNamed(readJUnit(dir), 'lint');
    expect(lint.testcase.map((c) => c.name)).toEqual([file]);
    expect(failureText(lint.testcase[0]!)).toContain(message);
  });
});
