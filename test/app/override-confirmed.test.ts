import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { relaxLatencyGate } from '../support/project.js';
import { patchConfig, readChain } from '../support/registry-cli.js';

/**
 * A version forced into staging, then tested: deploying it to staging again through its gates
 * records a plain deploy (not "already active"), so production's requires_previous_env with
 * allow_override: false can count it. Before, the redeploy was a no-op and production refused the
 * version for good.
 */

const ID = 'support-answer';
const WHO = ['--actor', 'rm@example.com', '--reason', 'ship'];

describe('an override in the previous environment, confirmed through the gates', () => {
  it('records a plain deploy once the gates hold, and production then takes the version', async ({ simProject: dir }) => {
    relaxLatencyGate(dir);
    patchConfig(dir, (c) => {
      const prod = (c.environments as Array<{ name: string; gates?: Record<string, unknown> }>).find((e) => e.name === 'production')!;
      prod.gates = { ...prod.gates, allow_override: false };
    });
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });
    const forced = await cli(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--force', ...WHO]);
    expect(forced.code, forced.output).toBe(0);
    expect((await cli(['eval', `${ID}@1.1.0`])).code).toBe(0);
    const refused = await cli(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run', ...WHO]);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toMatch(/as an override/);
    const confirmed = await cli(['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO]);
    expect(confirmed.code, confirmed.output).toBe(0);
    expect(confirmed.output).not.toMatch(/already active/);
    expect(readChain(dir).filter((e) => e.env === 'staging').map((e) => e.action)).toEqual(['override', 'deploy']);
    // A second redeploy is the no-op it always was.
    expect((await cli(['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO])).output).toMatch(/already active/);
    const prod = await cli(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run', ...WHO]);
    expect(prod.output).not.toMatch(/as an override/);
  });
});
