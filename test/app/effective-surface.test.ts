import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, exportPrompts, getPrompt } from '../../src/app/index.js';
import { REPO_ROOT } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * `effective` in `get` and `export` is "the complete settings to send the prompt with": for a
 * version that declares tools or an output constraint, those travel with its sampling settings as
 * eval sent them (core/eval/request.ts withSurface, the one rule). Before, `effective` held only the
 * model and sampling settings, so an application sending `{ ...effective, messages }` dropped the
 * tools (or the JSON schema) that the version was tested with.
 */

const ID = 'trip-planner';
let cwd: string;
const env = {};

beforeAll(async () => {
  cwd = makeProject({ from: path.join(REPO_ROOT, 'examples', 'tools'), prefix: 'promptctl-effective-' });
  await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development', reason: 'try' });
});
afterAll(() => cleanupTempDirs());

describe('effective carries the version request surface', () => {
  it('getPrompt and exportPrompts: tools and tool_choice beside the sampling settings', async () => {
    const active = await getPrompt({ cwd, env, id: ID, environment: 'development' });
    expect(active.content.tools?.map((t) => t.function.name)).toEqual(['get_weather', 'book_hotel']);
    expect(active.effective).toEqual({ model: 'sim-model', temperature: 0, max_tokens: 200, tools: active.content.tools, tool_choice: active.content.tool_choice });
    const { bundle } = await exportPrompts({ cwd, env, environment: 'development' });
    expect(bundle.prompts[ID]!.effective).toEqual(active.effective);
  });
});
