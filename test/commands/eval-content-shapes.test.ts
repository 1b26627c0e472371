import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A gateway answering with OpenAI's content parts is read as text; a content of no chat shape is
 * an invalid answer, retried and then a sample error naming its shape. Before, both crashed eval
 * with exit 70 after labelling the samples "judge:".
 */

const sim = simulatorForFile();
afterEach(() => sim.setFaults({}));

describe('eval when message.content is not a string', () => {
  it('content parts: read as their text, and the suite passes as with a string', async () => {
    const dir = makeSimProject(sim.url);
    sim.setFaults({ contentParts: 1 });
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(sim.stats().outcomes.contentParts).toBeGreaterThan(0);
  });

  it('an object: exit 3, each sample an invalid answer naming the shape, no "judge:" and no crash', async () => {
    const dir = makeSimProject(sim.url, { retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1 } });
    sim.setFaults({ contentObject: 1 });
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.output).toMatch(/message\.content is an object, not text or text parts/);
    expect(r.output).not.toMatch(/judge:|hit a bug/);
  });
});
