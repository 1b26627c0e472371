import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../support/cli.js';
import { allAttackPacks, cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * `show` (one version in full) and `render --json` include what a version sends besides its
 * messages (tools, tool_choice, response_format, structured_outputs), as `diff` does; `show` counts
 * the cases a suite runs, attacks included.
 */

afterAll(() => cleanupTempDirs());

const tools = () => makeProject({ from: path.join(REPO_ROOT, 'examples', 'tools'), prefix: 'promptctl-show-tools-' });

describe('show and render of a version with tools and an output constraint', () => {
  it('show names the tools and tool_choice in its header and prints them in full after the messages; --json has them', async () => {
    const dir = tools();
    const text = await runCliInProcess(['show', 'trip-planner@1.0.0'], { cwd: dir });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toMatch(/^tools: {7}get_weather\(city, days\?\), book_hotel\(city, nights\)$/m);
    expect(text.stdout).toMatch(/^tool_choice: auto$/m);
    const after = text.stdout.slice(text.stdout.indexOf('--- tools ---\n') + '--- tools ---\n'.length);
    expect(text.stdout.indexOf('--- tools ---')).toBeGreaterThan(text.stdout.indexOf('--- user ---'));
    expect(JSON.parse(after)[1].function.parameters.required).toEqual(['city', 'nights']);

    const json = JSON.parse((await runCliInProcess(['show', 'trip-planner@1.0.0', '--json'], { cwd: dir })).stdout);
    expect(json.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['get_weather', 'book_hotel']);
    expect(json.tool_choice).toBe('auto');
    expect(json).not.toHaveProperty('response_format');
  });

  it('render --json carries the request surface next to the messages', async () => {
    const dir = tools();
    const r = await runCliInProcess(['render', 'trip-planner@1.0.0', '--var', 'question=Weather in Oslo?', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.tools).toHaveLength(2);
    expect(json.tool_choice).toBe('auto');
  });

  it('show and render --json carry response_format and structured_outputs', async () => {
    const dir = tools();
    const file = 'prompts/trip-planner/1.0.0.yaml';
    const base = readProjectFile(dir, file).replace(/\ntools:[\s\S]*$/, '\n');
    const schema = '{ type: object, required: [status], properties: { status: { type: string } } }';
    writeProjectFile(dir, file, `${base}response_format:\n  type: json_schema\n  json_schema: { name: order_status, strict: true, schema: ${schema} }\n`);
    const shown = await runCliInProcess(['show', 'trip-planner@1.0.0'], { cwd: dir });
    expect(shown.stdout).toMatch(/^output: {6}response_format json_schema "order_status" \(strict\)$/m);
    expect(shown.stdout).toContain('--- response_format ---\n{\n  "type": "json_schema",');
    const rendered = JSON.parse((await runCliInProcess(['render', 'trip-planner@1.0.0', '--var', 'question=x', '--json'], { cwd: dir })).stdout);
    expect(rendered.response_format.json_schema.name).toBe('order_status');

    writeProjectFile(dir, file, `${base}structured_outputs:\n  choice: [yes, no]\n`);
    const so = await runCliInProcess(['show', 'trip-planner@1.0.0', '--json'], { cwd: dir });
    expect(JSON.parse(so.stdout).structured_outputs).toEqual({ choice: ['yes', 'no'] });
    expect((await runCliInProcess(['show', 'trip-planner@1.0.0'], { cwd: dir })).stdout).toMatch(/^output: {6}structured_outputs choice$/m);
  });
});

describe('show of an adversarial suite', () => {
  it('counts the attacks its packs add beside its own cases', async () => {
    const dir = makeProject({ prefix: 'promptctl-show-attacks-' });
    allAttackPacks(dir);
    const text = await runCliInProcess(['show', 'support-answer@1.1.0'], { cwd: dir });
    expect(text.stdout).toMatch(/^suites: {6}adversarial \(adversarial, 2 cases \+ \d+ attacks\), golden \(golden, 4 cases\)$/m);
    const json = JSON.parse((await runCliInProcess(['show', 'support-answer@1.1.0', '--json'], { cwd: dir })).stdout);
    const adversarial = json.suites.find((s: { name: string }) => s.name === 'adversarial');
    expect(adversarial.cases).toBe(2);
    expect(adversarial.attacks).toBeGreaterThan(100);
    expect(text.stdout).toContain(`2 cases + ${adversarial.attacks} attacks`);
    expect(json.suites.find((s: { name: string }) => s.name === 'golden')).not.toHaveProperty('attacks');
  });
});
