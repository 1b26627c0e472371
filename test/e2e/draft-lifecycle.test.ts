import { describe, expect, it } from 'vitest';
import { ACTOR, branchOf, ci, expectExit, ID, ciRepoForFile } from '../support/ci-repo.js';
import { openRegistryReadonly, readProjectFile, writeProjectFile } from '../support/project.js';
import { registryFingerprint } from '../support/registry-cli.js';

/**
 * The draft life cycle of issue 14, through the CLI on SQLite and the simulator: a new version is
 * a draft (looking at it registers nothing; it may be edited and evaluated again and again), its
 * first deploy releases the latest content, with the marks of the latest eval, and from then on an
 * edit is refused by eval, deploy and lint alike. `ci` on the git branch agrees at every step.
 */

const FILE = `prompts/${ID}/1.2.0.yaml`;
const REFUSED = /support-answer@1\.2\.0 was edited after it was released \(deployed to staging\)/;

const repo = ciRepoForFile();


function describeAs(dir: string, text: string): void {
  writeProjectFile(dir, FILE, readProjectFile(dir, FILE).replace(/^description: .*$/m, `description: ${text}`));
}

async function hashOf(dir: string): Promise<string> {
  return JSON.parse((await expectExit(dir, 0, 'show', `${ID}@1.2.0`, '--json')).stdout).contentHash;
}

function runsByContent(dir: string): Map<string, number> {
  const db = openRegistryReadonly(dir);
  try {
    const rows = db.prepare(`SELECT prompt_hash AS hash, count(*) AS n FROM runs WHERE prompt_id = ? AND version = '1.2.0' GROUP BY prompt_hash`).all(ID) as Array<{ hash: string; n: number }>;
    return new Map(rows.map((r) => [r.hash, r.n]));
  } finally {
    db.close();
  }
}

describe('a draft, from new to released', () => {
  it('new → show → edit → eval → edit → eval → deploy; then an edit is refused everywhere, and ci agrees', async () => {
    const dir = branchOf(repo.base, 'draft-lifecycle');
    const created = await expectExit(dir, 0, 'new', ID, '--minor');
    expect(created.stdout).toMatch(/a draft until its first deploy/);
    const before = registryFingerprint(dir);
    const shown = await expectExit(dir, 0, 'show', `${ID}@1.2.0`);
    expect(shown.stdout).toMatch(/^state: {7}draft/m);
    expect(registryFingerprint(dir)).toBe(before);

    describeAs(dir, 'First draft.');
    await expectExit(dir, 0, 'eval', `${ID}@1.2.0`);
    const first = await hashOf(dir);

    describeAs(dir, 'Second draft.');
    // ci agrees it is a draft: the revision is accepted (the first content kept as superseded).
    const revised = await ci(dir);
    expect(revised.code, revised.output).toBe(0);
    expect(revised.stdout).toMatch(/revised support-answer@1\.2\.0: new content registered/);
    await expectExit(dir, 0, 'eval', `${ID}@1.2.0`);
    const second = await hashOf(dir);
    expect(second).not.toBe(first);
    expect(JSON.parse((await expectExit(dir, 0, 'list', '--json')).stdout).prompts[0].states['1.2.0']).toBe('draft');

    // staging requires a tested mark: the one the latest eval earned on the current content.
    const dry = await expectExit(dir, 0, 'deploy', `${ID}@1.2.0`, '--env', 'staging', '--dry-run', '--json');
    expect(JSON.parse(dry.stdout).checks).toContainEqual(expect.objectContaining({ kind: 'tested', ok: true }));
    const deployed = JSON.parse((await expectExit(dir, 0, 'deploy', `${ID}@1.2.0`, '--env', 'staging', '--actor', ACTOR, '--json')).stdout);
    expect(deployed.event).toMatchObject({ action: 'deploy', version: '1.2.0', contentHash: second });
    const runs = runsByContent(dir);
    expect(runs.get(first)).toBeGreaterThan(0); // the first content's runs are still there
    expect(runs.get(second)).toBeGreaterThan(0);
    expect(JSON.parse((await expectExit(dir, 0, 'status', '--json')).stdout).versions).toContainEqual({ promptId: ID, version: '1.2.0', state: 'released' });

    describeAs(dir, 'Edited after release.');
    for (const args of [['eval', `${ID}@1.2.0`], ['deploy', `${ID}@1.2.0`, '--env', 'production', '--reason', 'x', '--actor', ACTOR], ['lint']]) {
      const r = await expectExit(dir, 2, ...args);
      expect(r.output, args.join(' ')).toMatch(REFUSED);
      expect(r.output, args.join(' ')).toMatch(/promptctl new support-answer/);
    }
    const refused = await ci(dir);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stdout).toMatch(REFUSED);

    // With the released content back, the terminal and ci both accept it again.
    describeAs(dir, 'Second draft.');
    expect(await hashOf(dir)).toBe(second);
    await expectExit(dir, 0, 'lint');
    const accepted = await ci(dir);
    expect(accepted.code, accepted.output).toBe(0);
    expect(accepted.stdout).not.toMatch(/revised/);
  });
});
