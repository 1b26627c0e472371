import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/** A deploy that registers a version says what it did: registered, its file matching, never "not registered yet". */

describe('the checks a deploy that registers the version prints', () => {
  it('say the version is registered and its file matches, in text and --json', async ({ project: dir }) => {
    expect((await runCliInProcess(['new', 'support-answer', '--patch'], { cwd: dir })).code).toBe(0);
    const d = await runCliInProcess(['deploy', 'support-answer@1.1.1', '--env', 'development', '--actor', 'rm', '--json'], { cwd: dir });
    expect(d.code, d.output).toBe(0);
    const checks = (JSON.parse(d.stdout) as { checks: Array<{ kind: string; state?: string; content?: string; message: string }> }).checks;
    expect(checks.find((c) => c.kind === 'registered')?.state).toBe('registered');
    expect(checks.find((c) => c.kind === 'not-edited')?.content).toBe('matches');
    expect(checks.map((c) => c.message).join('\n')).not.toMatch(/no registered content|not registered yet/);
  });
});
