import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A key with a trailing newline (read from a secret file) cannot go in a header: exit 2 naming the
 * variable and the newline, never the key. Before, exit 3 "Cannot reach the vLLM server … Start
 * the server", about a server that was up.
 */

const sim = simulatorForFile({ apiKey: 'sk-HUNT-SECRET-123' });

describe('an API key that cannot be sent', () => {
  it('eval: exit 2 naming VLLM_API_KEY and its trailing newline, without the key', async () => {
    const dir = makeSimProject(sim.url);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: dir, env: { VLLM_API_KEY: 'sk-HUNT-SECRET-123\n' } });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: the API key in VLLM_API_KEY cannot be sent: it ends with a newline');
    expect(r.stderr).toMatch(/^hint: remove the trailing newline/m);
    expect(r.output).not.toMatch(/HUNT|Start the server/);
  });
});
