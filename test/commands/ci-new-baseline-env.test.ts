import { describe, expect, it } from 'vitest';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { branchOf, cli, commitAll, ciRepoForFile, newVersion } from '../support/ci-repo.js';
import { readProjectFile } from '../support/project.js';

/**
 * A pull request that appends an environment to .promptrc.yaml moves ci's default baseline (the last
 * environment) to it, where nothing is deployed yet. The warning blamed the registry ("Give ci the
 * registry that holds your deploy history") though it was there with staging and production
 * deployed; it now says the baseline environment has nothing deployed yet, names the environments
 * that do, and how to compare against one. With no deploy anywhere, it still names the registry.
 */
const repo = ciRepoForFile();

async function branchWithNewVersion(name: string): Promise<string> {
  const dir = branchOf(repo.base, name);
  await newVersion(dir, 'a new version');
  return dir;
}

describe('ci whose baseline environment has nothing deployed yet', () => {
  it('an environment the change appends: names it, the environments that have deploys, and --baseline', async () => {
    const dir = await branchWithNewVersion('canary');
    appendFileSync(path.join(dir, '.promptrc.yaml'), '  - name: canary\n    gates:\n      requires_tested: false\n');
    commitAll(dir, 'canary');
    const r = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md', '--json');
    expect(r.code, r.output).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ baseline: 'canary', noBaseline: ['support-answer'], deployedElsewhere: ['staging', 'production'] });
    const text = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md');
    const warning = text.output.split('\n').find((l) => l.startsWith('warning: No version'));
    expect(warning).toBe(
      "warning: No version of support-answer is deployed yet in canary, the baseline environment (the last in .promptrc.yaml unless ci's --baseline names one), so regressions were not checked; staging, production have deployed versions: to compare against one, run ci with --baseline production.",
    );
    expect(text.output).not.toContain('Give ci the registry');
    expect(readProjectFile(dir, 's.md')).toContain('is deployed yet in `canary`, the baseline environment');
  });

  it('no registry (a fresh checkout): the deploy history is what is missing, said as before', async () => {
    const dir = await branchWithNewVersion('fresh');
    commitAll(dir, 'fresh');
    rmSync(path.join(dir, '.promptctl'), { recursive: true, force: true });
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('warning: No version of support-answer is deployed in production in this registry, so regressions were not checked. Give ci the registry that holds your deploy history');
  });
});
