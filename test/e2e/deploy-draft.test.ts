import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, openRegistryReadonly } from '../support/project.js';
import { editVersionFile, readChain, registerFiles } from '../support/registry-cli.js';

/**
 * Deploying a draft whose registered content is another draft (evaluated earlier, or by another
 * branch): the deploy releases the file's content, which is what `get` then serves; the earlier
 * content is kept as superseded.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';

describe('deploy of a draft registered with other content', () => {
  it('releases the file content: the event names it, get serves it, the earlier content is kept', async () => {
    const dir = makeProject();
    registerFiles(dir, `${ID}@1.1.0`);
    const earlier = loadProject(dir).prompts.find((p) => p.version === '1.1.0')!.hash;
    editVersionFile(dir, `${ID}@1.1.0`);
    const current = loadProject(dir).prompts.find((p) => p.version === '1.1.0')!.hash;

    const r = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'development', '--actor', 'ana'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(readChain(dir).map((e) => `${e.action}:${e.env}:${e.contentHash}`)).toEqual([`supersede::${current}`, `deploy:development:${current}`]);
    const got = JSON.parse((await runCliInProcess(['get', ID, '--env', 'development', '--json'], { cwd: dir })).stdout);
    expect(got).toMatchObject({ version: '1.1.0', contentHash: current });
    expect(got.content.description).toBe('Quietly edited after registration.');
    const db = openRegistryReadonly(dir);
    try {
      expect(db.prepare('SELECT content_hash FROM superseded_versions').pluck().all()).toEqual([earlier]);
    } finally {
      db.close();
    }
  });
});
