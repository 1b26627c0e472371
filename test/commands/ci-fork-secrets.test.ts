import { describe, expect, it } from 'vitest';
import { branchOf, cliWith, commitAll, ciRepoForFile, newVersion } from '../support/ci-repo.js';

/**
 * A pull request from a fork gets its secrets as empty strings: ci stops with exit 2 and says so,
 * for the API key as for PROMPTCTL_REGISTRY_URL (core/empty-secret.ts), instead of a bare "set but
 * empty" and `export VLLM_API_KEY=<your key>`, which a fork's author cannot act on.
 */
const repo = ciRepoForFile();

describe('ci in a fork pull request without secrets', () => {
  it('names the empty secret in this CI job and why a fork has it empty', async () => {
    const dir = branchOf(repo.base, 'fork');
    await newVersion(dir, 'a fork change');
    commitAll(dir, 'fork');
    const r = await cliWith(dir, { CI: 'true', GITHUB_ACTIONS: 'true', VLLM_API_KEY: '' }, 'ci', '--base', 'main', '--summary', 's.md');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: VLLM_API_KEY is set but empty in this CI job');
    expect(r.stderr).toContain('GitHub passes empty secrets to pull requests from forks');
    expect(r.stderr).toContain("hint: give the job the secret, or remove VLLM_API_KEY from the job's environment when the server needs no key");
  });
});
