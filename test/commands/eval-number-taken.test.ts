import { afterAll, describe, expect, it } from 'vitest';
import { cliWith, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeSimProject, readProjectFile, withRegistry, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * eval on a branch that left main before main's own 1.2.0 was merged and evaluated: the branch's
 * 1.2.0 is another content under a number main holds. Recorded, it would replace main's registered
 * draft (superseding it, with its runs and marks); eval refuses it as deploy and ci do, and names
 * the next free number (app/deploy-number.ts, the one rule).
 */

afterAll(() => cleanupTempDirs());

const sim = simulatorForFile();
const ID = 'support-answer';
const FILE = `prompts/${ID}/1.2.0.yaml`;
const eval12 = (dir: string, version = '1.2.0') => cliWith(dir, SCRIPT_ENV, 'eval', `${ID}@${version}`, '--suite', 'golden');
const registered = (dir: string) => withRegistry(dir, (db) => db.prepare('SELECT content_hash FROM prompt_versions WHERE prompt_id = ? AND version = ?').get(ID, '1.2.0') as { content_hash: string } | undefined);

function draft(dir: string, text: string, version = '1.2.0'): string {
  return readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', `version: ${version}`).replace('within 30 days', text);
}

describe('eval of a draft whose number the default branch holds with other content', () => {
  it('is refused before anything is sent or recorded, leaving main\'s registered draft; renamed as it says, it evaluates', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-eval-taken-');
    initRepo(dir);
    git(dir, 'branch', 'feat-b');
    // main's 1.2.0, merged and evaluated: the registry holds it as a draft.
    writeProjectFile(dir, FILE, draft(dir, 'within 45 days'));
    commitAll(dir, 'support-answer 1.2.0 (#1)');
    expect((await eval12(dir)).code).not.toBe(2);
    const mains = registered(dir);
    expect(mains).toBeDefined();

    git(dir, 'checkout', '-q', 'feat-b');
    writeProjectFile(dir, FILE, draft(dir, 'within 90 days'));
    commitAll(dir, 'b: 1.2.0');
    const requests = sim.stats().chatCompletions;
    const refused = await eval12(dir);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stderr).toContain(`${ID}@1.2.0 cannot be evaluated from this branch: its number is taken on main`);
    expect(refused.stderr).toContain(`${FILE}:1:1 ${ID}@1.2.0 is already on main, with other content (merged there, not deployed yet)`);
    expect(refused.stderr).toContain(`rename it to the next free number, ${ID}@1.3.0`);
    expect(refused.stderr).toContain('[version/number-taken]');
    expect(registered(dir)).toEqual(mains);
    expect(sim.stats().chatCompletions).toBe(requests);

    // Renamed to the number named, it evaluates from the branch; main's 1.2.0 stays registered as it was.
    git(dir, 'mv', FILE, `prompts/${ID}/1.3.0.yaml`);
    writeProjectFile(dir, `prompts/${ID}/1.3.0.yaml`, draft(dir, 'within 90 days', '1.3.0'));
    expect((await eval12(dir, '1.3.0')).code).not.toBe(2);
    expect(registered(dir)).toEqual(mains);
  });
});
