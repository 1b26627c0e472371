import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { withProjectRegistry } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Two checkouts share a registry. While one evaluates a draft, the other registers (or deploys)
 * other content for the same version: the first eval's runs are of content the registry no longer
 * holds, so it reports the version as not tested instead of "tested" (its mark would not count).
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'a@example.com' };

describe('a version whose registered content changes during its eval', () => {
  it('is reported not tested, naming why', async () => {
    const cwd = makeSimProject(sim.url);
    const file = 'prompts/support-answer/1.2.0.yaml';
    writeProjectFile(cwd, file, readProjectFile(cwd, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.2.0'));
    let swapped = false;
    const r = await runEval({
      cwd,
      env,
      refs: ['support-answer@1.2.0'],
      onProgress: (e) => {
        if (swapped || e.type !== 'sample') return;
        swapped = true;
        // The other checkout's revision of the draft, registered while this eval runs.
        withProjectRegistry(cwd, (registry, project) => {
          const v = project.prompts.find((p) => p.version === '1.2.0')!;
          registry.supersedeVersion({ promptId: v.id, version: v.version, contentHash: 'f'.repeat(64), content: '{}', description: 'other', author: 'b@example.com' }, 'b@example.com');
        });
      },
    });
    expect(swapped).toBe(true);
    expect(r.report.versions).toEqual([
      { promptId: 'support-answer', version: '1.2.0', tested: false, reason: expect.stringContaining('the registry now holds other content for support-answer@1.2.0') },
    ]);
  });
});
