import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/app/index.js';
import { formatProblem } from '../../src/core/errors.js';
import { git, initRepo } from '../support/ci-repo.js';
import { makeProject, removeProjectFile } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';

/**
 * lint says what eval and deploy would refuse about suites going: a tracked suite file deleted and
 * not committed is an error with its restore; a `retired_suites` entry that retires nothing (its file
 * still there, or a prompt the project does not have) is a warning at the entry. Before, lint passed
 * all three in silence.
 */

const ID = 'support-answer';
const GOLDEN = `evalsets/${ID}/golden.yaml`;
const rows = (r: Awaited<ReturnType<typeof lint>>) => r.outcome.problems.filter((p) => p.rule?.startsWith('suite/')).map((p) => formatProblem(p));

describe('lint and suites going', () => {
  it.each([
    ['deleted from the working tree', (dir: string) => removeProjectFile(dir, GOLDEN), `git checkout -- ${GOLDEN}`],
    ['its removal staged', (dir: string) => git(dir, 'rm', '-q', GOLDEN), `git checkout HEAD -- ${GOLDEN}`],
  ])('a tracked suite file %s is an error naming its restore', async (_name, remove, restore) => {
    const dir = makeProject();
    initRepo(dir);
    remove(dir);
    const r = await lint({ cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(rows(r)).toEqual([
      `${GOLDEN} suite 'golden' of ${ID} was deleted in this checkout and the deletion is not committed: restore it (${restore}), or to retire the suite deliberately, list ${ID}/golden under retired_suites in .promptrc.yaml (a reviewed change) [suite/deleted]`,
    ]);
  });

  it('retired and deleted is clean; an entry whose file is still there, or naming no prompt of the project, is a warning at its line', async () => {
    const dir = makeProject();
    initRepo(dir);
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/golden`, `${ID}/adversarial`, 'suport-answer/golden']));
    removeProjectFile(dir, GOLDEN);
    const r = await lint({ cwd: dir });
    const config = readFileSync(path.join(dir, '.promptrc.yaml'), 'utf8').split('\n');
    const lineOf = (entry: string) => config.findIndex((l) => l.includes(`- ${entry}`)) + 1;
    expect(r.exitCode).toBe(0);
    expect(rows(r)).toEqual([
      `.promptrc.yaml:${lineOf(`${ID}/adversarial`)}:5 warning retired_suites.1: retired_suites lists ${ID}/adversarial, but its file is still in the project, so the suite still runs and gates: delete the file in the same reviewed change, or remove the entry [suite/retired-idle]`,
      `.promptrc.yaml:${lineOf('suport-answer/golden')}:5 warning retired_suites.2: retired_suites lists suport-answer/golden, but this project has no prompt suport-answer: check the spelling (<prompt-id>/<suite>), or remove the entry [suite/retired-idle]`,
    ]);
  });
});
