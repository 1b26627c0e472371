import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, closedPort, makeSimProject } from '../support/project.js';

/** A server that is down: exit 3 with a message that names the URL and says what to do. */

afterAll(() => cleanupTempDirs());

describe('eval against a server that is down', () => {
  it('exits 3 naming the URL, with a hint', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    // Short timeouts and no retries: a refused connection fails at once anyway, this only bounds a surprise.
    const dir = makeSimProject(url, { timeout_ms: 500, retries: { max_attempts: 1, base_delay_ms: 0, max_delay_ms: 0 } });
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toContain(url);
    expect(r.stderr).toMatch(/cannot reach|refused/i);
    expect(r.stderr).toMatch(/^hint: .+/m);
    expect(r.stderr).not.toMatch(/hit a bug|\n\s+at /);
    // Nothing was dispatched: no "done 0 pass 0 ..." summary before the error.
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).not.toMatch(/^(done|stopped) /m);

    const j = await runCliInProcess(['eval', 'support-answer@1.1.0', '--json'], { cwd: dir });
    expect(j.code).toBe(3);
    const err = parseJsonOutput(j);
    expect(JSON.stringify(err)).toContain(url);
  });
});
