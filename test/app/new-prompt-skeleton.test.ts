import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { init, lint, newVersion, redteamGenerate, show } from '../../src/app/index.js';
import { editorSchemaLine } from '../../src/core/editor-schema.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';

/**
 * `new <id>` for a brand-new prompt writes no model settings: the project's `defaults` apply (before,
 * the skeleton fixed temperature 0 and max_tokens 256, overriding them). The files `new` and
 * `redteam generate` write point the editor at their schema, as the files `init` copies do.
 */

afterAll(() => cleanupTempDirs());
const env = { PROMPTCTL_ACTOR: 'dev@example.com' };

async function blankProject(): Promise<string> {
  const { root } = await init({ cwd: makeTempDir(), env, dir: 'p', blank: true });
  patchConfig(root, (c) => {
    c.defaults = { temperature: 0.7, max_tokens: 512 };
  });
  return root;
}

describe('new <id> for a brand-new prompt', () => {
  it("uses the project's defaults, carries the editor schema line and lints clean", async () => {
    const cwd = await blankProject();
    const { file } = await newVersion({ cwd, env, id: 'faq' });
    const text = readFileSync(path.join(cwd, file), 'utf8');
    expect((await show({ cwd, env, ref: 'faq@1.0.0' })).model).toEqual({ model: 'sim-model', temperature: 0.7, max_tokens: 512 });
    expect(text.split('\n')[0]).toBe(editorSchemaLine('prompt'));
    expect((await lint({ cwd, env })).outcome).toMatchObject({ errors: 0, warnings: 0 });

    const generated = await redteamGenerate({ cwd, env, id: 'faq', packs: 'extraction' });
    expect(readFileSync(path.join(cwd, generated.generated.file), 'utf8').split('\n')[0]).toBe(editorSchemaLine('evalset'));
  });
});
