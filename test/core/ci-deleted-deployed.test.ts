import { describe, expect, it } from 'vitest';
import { deletedDeployedProblem, deletedDeployedProblems } from '../../src/core/ci/checks.js';
import type { CiPlan } from '../../src/core/ci/plan.js';
import { restoreDeletedFile } from '../../src/core/version-state.js';

/**
 * `version/deleted-deployed` names the exact command that brings the file back, as `status` and
 * `rollback` do: ci from its base, which still has the file the pull request deleted; lint by how git
 * knows the file deleted.
 */

const FILE = 'prompts/support-answer/1.1.0.yaml';
const SAID = 'support-answer@1.1.0 is active in staging, production but its file was deleted: every deployed version must be rebuildable from git; restore the file: ';

describe('version/deleted-deployed', () => {
  it('ci restores the file from its base', () => {
    const plan = { deleted: [{ file: FILE, kind: 'version', ref: 'support-answer@1.1.0' }, { file: 'prompts/support-answer/1.0.0.yaml', kind: 'version', ref: 'support-answer@1.0.0' }] } as unknown as CiPlan;
    const problems = deletedDeployedProblems(plan, new Map([['support-answer@1.1.0', ['staging', 'production']]]), 'origin/main');
    expect(problems).toEqual([{ file: FILE, line: 0, col: 0, field: '', severity: 'error', rule: 'version/deleted-deployed', message: `${SAID}git checkout origin/main -- ${FILE}` }]);
  });

  it.each([
    ['working-tree', `git checkout -- ${FILE}`],
    ['staged', `git checkout HEAD -- ${FILE}`],
    ['committed', `\`git log --all -- ${FILE}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${FILE}\` brings it back`],
  ] as const)('lint, for a file deleted %s, names the command status names', (how, command) => {
    expect(deletedDeployedProblem('support-answer@1.1.0', FILE, ['staging', 'production'], restoreDeletedFile(FILE, how)).message).toBe(`${SAID}${command}`);
  });
});
