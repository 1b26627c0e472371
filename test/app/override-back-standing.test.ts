import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { patchConfig, readChain } from '../support/registry-cli.js';

/**
 * A version staging rolled back, then put back there only by override: production sees it as the
 * override it is. Before, the gated deploy staging had rolled back counted again once the override
 * deployed the same version, so production said "1.1.0 was deployed to staging first" with no
 * override note, and took it where allow_override is false.
 */

const ID = 'support-answer';
const WHO = ['--actor', 'rm@example.com', '--reason', 'go'];

describe('a version rolled back in staging and put back only by override', () => {
  it('is said to stand there as an override, and production with allow_override: false refuses it', async ({ simProject: dir }) => {
    relaxLatencyGate(dir); // versions replace each other: no verdict here may depend on how fast this machine answers
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });
    expect((await cli(['eval', `${ID}@1.0.0`, `${ID}@1.1.0`])).code).toBe(0);
    for (const version of ['1.0.0', '1.1.0']) expect((await cli(['deploy', `${ID}@${version}`, '--env', 'staging'])).code).toBe(0);
    expect((await cli(['rollback', ID, '--env', 'staging', '--reason', '1.1.0 is bad'])).code).toBe(0);
    // A new case in the suite: 1.1.0's mark no longer counts, so putting it back takes an override.
    const suite = 'evalsets/support-answer/golden.yaml';
    writeProjectFile(dir, suite, `${readProjectFile(dir, suite)}  - id: refund-window-again\n    vars: { question: "How long do I have to ask for a refund?" }\n    expect:\n      - icontains: "30 days"\n`);
    const forced = await cli(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--force', '--reason', 'override back in']);
    expect(forced.code, forced.output).toBe(0);
    const override = readChain(dir).filter((e) => e.env === 'staging').at(-1)!;
    expect(override).toMatchObject({ action: 'override', version: '1.1.0' });
    expect((await cli(['eval', `${ID}@1.1.0`])).code).toBe(0);

    const skipped = "1.1.0 was tested on sim-model, but not on the current suites: 'golden' has no run of its current content and settings; run `promptctl eval support-answer@1.1.0`";
    const noted = await cli(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run', ...WHO]);
    expect(noted.code, noted.output).toBe(0);
    expect(noted.stdout).toContain(`  ok   1.1.0 was deployed to staging first (as an override (event #${override.seq}), skipping: ${skipped})\n`);

    patchConfig(dir, (c) => {
      const prod = (c.environments as Array<{ name: string; gates?: Record<string, unknown> }>).find((e) => e.name === 'production')!;
      prod.gates = { ...prod.gates, allow_override: false };
    });
    const before = readChain(dir).length;
    const refused = await cli(['deploy', `${ID}@1.1.0`, '--env', 'production', ...WHO]);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stderr).toContain(`error: deploy of ${ID}@1.1.0 to production refused\n  - 1.1.0 reached staging only as an override (event #${override.seq}), skipping: ${skipped}: production allows no override (allow_override: false), so it needs 1.1.0 deployed to staging through its gates (fix what failed there, or the fix in a new version)\n`);
    expect(readChain(dir)).toHaveLength(before);
  });
});
