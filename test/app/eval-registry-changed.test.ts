import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { sha256Hex } from '../../src/core/canonical.js';
import type { SqliteStore } from '../../src/infra/registry/sqlite-store.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { withProjectRegistry } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Two checkouts share a registry and each evaluates its own draft of one version. While one eval
 * runs, the other checkout registers its draft (its own eval), or deploys it. Each draft content
 * keeps its runs and marks by its hash, so another draft registered meanwhile takes nothing from
 * this eval's mark; only other content released meanwhile makes this file's mark one that could
 * never count (the number now holds that content for good), and the version is reported not tested.
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'a@example.com' };
const ID = 'support-answer';
const FILE = 'prompts/support-answer/1.2.0.yaml';

function draftProject(): string {
  const cwd = makeSimProject(sim.url);
  writeProjectFile(cwd, FILE, readProjectFile(cwd, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.2.0'));
  return cwd;
}

/** Runs the eval of 1.2.0 in `cwd`; at its first sample, the other checkout's `act` on the registry (its draft of 1.2.0 given). */
async function evalWhile(cwd: string, act: (registry: SqliteStore, other: { hash: string; record: Parameters<SqliteStore['supersedeVersion']>[0] }) => void) {
  let acted = false;
  const r = await runEval({
    cwd,
    env,
    refs: [`${ID}@1.2.0`],
    onProgress: (e) => {
      if (acted || e.type !== 'sample') return;
      acted = true;
      withProjectRegistry(cwd, (registry, project) => {
        const v = project.prompts.find((p) => p.id === ID && p.version === '1.2.0')!;
        // The other checkout's revision of the draft: other content under the same number.
        const content = v.canonical.replace('support', 'customer support');
        expect(content).not.toBe(v.canonical);
        const hash = sha256Hex(content);
        act(registry, { hash, record: { promptId: ID, version: '1.2.0', contentHash: hash, content, description: 'other', author: 'b@example.com' } });
      });
    },
  });
  expect(acted).toBe(true);
  return r;
}

describe('a version whose registered content changes during its eval', () => {
  it("is marked tested when another checkout registered its own draft meanwhile, and the mark counts for this checkout's deploy", async () => {
    const cwd = draftProject();
    const r = await evalWhile(cwd, (registry, other) => {
      expect(registry.supersedeVersion(other.record, 'b@example.com')).toBeDefined();
    });
    expect(r.report.versions).toEqual([{ promptId: ID, version: '1.2.0', tested: true }]);
    // The registry holds the other draft; this file's content, with its runs and mark, is what this checkout deploys.
    const dry = await runCliInProcess(['deploy', `${ID}@1.2.0`, '--env', 'staging', '--dry-run'], { cwd, env });
    expect(dry.output).toContain('1.2.0 is tested');
    expect(dry.output).not.toContain('has not been tested');
    expect(dry.code).toBe(0);
  });

  it('is reported not tested, naming why, when another checkout deployed other content meanwhile', async () => {
    const cwd = draftProject();
    const r = await evalWhile(cwd, (registry, other) => {
      registry.transaction(() => {
        registry.supersedeVersion(other.record, 'b@example.com');
        registry.appendEvent({ env: 'development', promptId: ID, version: '1.2.0', previousVersion: null, action: 'deploy', actor: 'b@example.com', reason: null, contentHash: other.hash });
      });
    });
    expect(r.report.versions).toEqual([
      {
        promptId: ID,
        version: '1.2.0',
        tested: false,
        reason: `the registry now holds other content for ${ID}@1.2.0 (deployed to development from another checkout while this eval ran), so a mark of this file would not count`,
      },
    ]);
  });
});
