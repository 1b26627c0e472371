import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, rollback } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';
import { commitAll, initRepo } from '../support/ci-repo.js';

/**
 * A rollback onto a version whose file is gone (pruned, or deleted) still goes ahead (an emergency
 * path), serving the registered content, and says the file should be restored, as it says for an
 * edited one. Before, it said nothing.
 */

const ID = 'support-answer';
const env = {};

describe('rollback onto a version without a file', () => {
  it('goes ahead and warns, naming the file to restore', async () => {
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
    for (const v of ['1.0.0', '1.1.0']) expect((await deploy({ cwd, env, ref: `${ID}@${v}`, environment: 'staging', actor: 'a@example.com' })).exitCode).toBe(0);
    rmSync(path.join(cwd, 'prompts', ID, '1.0.0.yaml'));
    const dry = await rollback({ cwd, env, id: ID, environment: 'staging', dryRun: true, actor: 'a@example.com' });
    expect(dry).toMatchObject({ allowed: true, missingFile: `prompts/${ID}/1.0.0.yaml` });
    const json = await runCliInProcess(['rollback', ID, '--env', 'staging', '--dry-run', '--json'], { cwd });
    expect(JSON.parse(json.stdout)).toMatchObject({ missingFile: `prompts/${ID}/1.0.0.yaml` });
    const r = await runCliInProcess(['rollback', ID, '--env', 'staging', '--actor', 'a@example.com'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`warning: ${ID}@1.0.0 has no file in this project (prompts/${ID}/1.0.0.yaml): its registered content is what runs.`);
  });

  it('names the restore that works for how git deleted the file, in the words status and deploy use', async () => {
    const cwd = makeProject();
    initRepo(cwd);
    markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
    for (const v of ['1.0.0', '1.1.0']) expect((await deploy({ cwd, env, ref: `${ID}@${v}`, environment: 'staging', actor: 'a@example.com' })).exitCode).toBe(0);
    const FILE = `prompts/${ID}/1.0.0.yaml`;
    rmSync(path.join(cwd, FILE));
    const dry = await runCliInProcess(['rollback', ID, '--env', 'staging', '--dry-run', '--actor', 'a@example.com'], { cwd });
    expect(dry.output).toContain(`Restore the file from git, so the deployed version stays rebuildable: git checkout -- ${FILE}.`);
    // Deleted by a commit: not in HEAD, so it comes from the commit before the deleting one.
    commitAll(cwd, 'remove 1.0.0');
    const r = await runCliInProcess(['rollback', ID, '--env', 'staging', '--actor', 'a@example.com'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`\`git log --all -- ${FILE}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${FILE}\` brings it back`);
  });
});
