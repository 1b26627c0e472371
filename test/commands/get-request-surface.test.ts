import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * `get` prints what an environment runs: besides the messages, the tools, tool_choice and output
 * constraint its content sends with them, as `show` prints them. Its text printed the messages only,
 * so a release manager reading what production runs saw no tools and no JSON schema (`--json` had them).
 */

afterAll(() => cleanupTempDirs());

const tools = () => makeProject({ from: path.join(REPO_ROOT, 'examples', 'tools'), prefix: 'promptctl-get-surface-' });

describe('get of an active version with tools or an output constraint', () => {
  it('names the tools and tool_choice in its header and prints them in full after the messages', async () => {
    const dir = tools();
    const deployed = await runCliInProcess(['deploy', 'trip-planner@1.0.0', '--env', 'development'], { cwd: dir });
    expect(deployed.code, deployed.output).toBe(0);
    const text = await runCliInProcess(['get', 'trip-planner', '--env', 'development'], { cwd: dir });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toMatch(/^tools: {7}get_weather\(city, days\?\), book_hotel\(city, nights\)$/m);
    expect(text.stdout).toMatch(/^tool_choice: auto$/m);
    expect(text.stdout.indexOf('--- tools ---')).toBeGreaterThan(text.stdout.indexOf('--- user ---'));
    const after = text.stdout.slice(text.stdout.indexOf('--- tools ---\n') + '--- tools ---\n'.length);
    const json = JSON.parse((await runCliInProcess(['get', 'trip-planner', '--env', 'development', '--json'], { cwd: dir })).stdout);
    expect(JSON.parse(after)).toEqual(json.content.tools);
  });

  it('prints a response_format the version declares beside its tools', async () => {
    const dir = tools();
    const file = 'prompts/trip-planner/1.0.0.yaml';
    const base = readProjectFile(dir, file);
    const schema = '{ type: object, required: [status], properties: { status: { type: string } } }';
    writeProjectFile(dir, file, `${base}response_format:\n  type: json_schema\n  json_schema: { name: order_status, strict: true, schema: ${schema} }\n`);
    expect((await runCliInProcess(['deploy', 'trip-planner@1.0.0', '--env', 'development'], { cwd: dir })).code).toBe(0);
    const text = await runCliInProcess(['get', 'trip-planner', '--env', 'development'], { cwd: dir });
    expect(text.stdout).toMatch(/^output: {6}response_format json_schema "order_status" \(strict\)$/m);
    // Registered content is canonical (keys sorted): the block is the whole value, in any key order.
    const block = text.stdout.slice(text.stdout.indexOf('--- response_format ---\n') + '--- response_format ---\n'.length);
    expect(JSON.parse(block)).toMatchObject({ type: 'json_schema', json_schema: { name: 'order_status', strict: true } });
    expect(text.stdout.indexOf('--- response_format ---')).toBeGreaterThan(text.stdout.indexOf('--- tools ---'));
  });
});
