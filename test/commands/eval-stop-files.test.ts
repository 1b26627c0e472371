import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect } from 'vitest';
import { startSimulator } from '../../src/sim/server.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { makeSimProject, makeTempDir } from '../support/project.js';

/**
 * An eval stopped before it had a report (its server check failed, or its input was bad) still
 * writes the JUnit and Markdown it was asked for, saying what happened, why and what to do: a CI
 * step publishing them showed "no test report found" instead of the cause.
 */

const xml = (file: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(file, 'utf8'));

describe('eval --junit/--summary when it stops before a report', () => {
  it('the server is down (exit 3): an errored case, and a summary with what to do; appended to $GITHUB_STEP_SUMMARY too', async () => {
    const dead = await startSimulator({ port: 0 });
    await dead.close();
    const dir = makeSimProject(dead.url);
    const step = path.join(makeTempDir('promptctl-step-'), 'step.md');
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--junit', 'out/j.xml', '--summary', 'out/s.md'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: step } });
    expect(r.code, r.output).toBe(3);
    const doc = xml(path.join(dir, 'out/j.xml'));
    expect(doc.testsuites).toMatchObject({ name: 'promptctl eval', tests: '1', errors: '1', failures: '0' });
    expect(doc.testsuites.testsuite.testcase).toMatchObject({ classname: 'eval.Unavailable' });
    expect(doc.testsuites.testsuite.testcase.error['#text']).toMatch(/\nhint: .+\n\(exit 3\)$/);
    const md = readFileSync(path.join(dir, 'out/s.md'), 'utf8');
    expect(md).toMatch(/^## ⚠️ promptctl eval: the server or the registry could not be used \(exit 3\)\n\n\*\*What happened:\*\* \S/);
    expect(md).toMatch(/\*\*What to do:\*\* \S/);
    expect(readFileSync(step, 'utf8')).toBe(`${md}\n`);
  });

  it("a report file that cannot be written after the JUnit was (a full disk) leaves the run's JUnit, not a stop report over it", async ({ sharedSimProject: dir }) => {
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--junit', 'out/run.xml'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: '/dev/full' } });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/\/dev\/full/);
    const doc = xml(path.join(dir, 'out/run.xml'));
    expect(JSON.stringify(doc)).toContain('support-answer@1.1.0');
    expect(JSON.stringify(doc)).not.toContain('eval.Unavailable');
  });

  it('bad input (exit 2): a failed case naming the problem', async () => {
    const dir = makeSimProject('http://127.0.0.1:9/v1');
    const r = await runCliInProcess(['eval', 'nosuch@1.0.0', '--junit', 'j.xml'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    const doc = xml(path.join(dir, 'j.xml'));
    expect(doc.testsuites).toMatchObject({ name: 'promptctl eval', failures: '1', errors: '0' });
    expect(doc.testsuites.testsuite.testcase.classname).toBe('eval.BadInput');
  });
});
