import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { init, lint, newVersion, redteamGenerate, show } from '../../src/app/index.js';
import { editorSchemaLine } from '../../src/core/editor-schema.js';
import { newVersionText } from '../../src/render/scaffold-text.js';
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

  it('a prompt without a suite gets a minimal one to save (eval refuses a version no suite applies to); it lints clean and then applies', async () => {
    const cwd = await blankProject();
    const first = await newVersion({ cwd, env, id: 'faq' });
    expect(first.suites).toEqual([]);
    const example = first.suiteExample!;
    expect(example.file).toBe('evalsets/faq/golden.yaml');
    const text = newVersionText(first);
    expect(text[2]).toBe('faq has no suite yet, so eval has nothing to test. A minimal one, to edit and save as evalsets/faq/golden.yaml:');
    // What the user copies from the terminal is the example, indented.
    expect(text.slice(3).map((l) => l.slice(2)).join('\n')).toBe(example.text.trimEnd());
    mkdirSync(path.join(cwd, 'evalsets/faq'), { recursive: true });
    writeFileSync(path.join(cwd, example.file), example.text);
    expect((await lint({ cwd, env })).outcome).toMatchObject({ errors: 0, warnings: 0 });

    const next = await newVersion({ cwd, env, id: 'faq' });
    expect(next).toMatchObject({ version: '1.0.1', suites: ['evalsets/faq/golden.yaml'] });
    expect(next.suiteExample).toBeUndefined();
    expect(newVersionText(next).at(-1)).toMatch(/and `promptctl eval faq@1\.0\.1`$/);

    writeFileSync(path.join(cwd, example.file), example.text.replace('">=1.0.0"', '"^1.0.0"'));
    const major = await newVersion({ cwd, env, id: 'faq', bump: 'major' });
    expect(major).toMatchObject({ version: '2.0.0', suites: [] });
    expect(newVersionText(major).at(-1)).toBe('no suite applies to faq@2.0.0 (each suite of faq leaves it out of its `versions` range), so eval has nothing to test: widen one in evalsets/faq/, or add one');
  });

  it('an id YAML would read as another type (a number, a boolean, null) is quoted: the version and its example suite lint clean', async () => {
    const cwd = await blankProject();
    // Before, `id: 2024` (a number) was written unquoted, and lint refused the scaffold.
    const ids = ['2024', '1e3', '1e-3', '0x1f', '0o17', 'true', 'false', 'null', '007', 'faq'];
    for (const id of ids) {
      const made = await newVersion({ cwd, env, id });
      const text = readFileSync(path.join(cwd, made.file), 'utf8');
      expect(text).toContain(id === 'faq' ? '\nid: faq\n' : `\nid: "${id}"\n`);
      expect(made.suiteExample!.text).toContain(id === 'faq' ? '\nprompt: faq\n' : `\nprompt: "${id}"\n`);
      mkdirSync(path.join(cwd, `evalsets/${id}`), { recursive: true });
      writeFileSync(path.join(cwd, made.suiteExample!.file), made.suiteExample!.text);
    }
    const linted = await lint({ cwd, env });
    expect(linted.outcome.problems).toEqual([]);
    for (const id of ids) expect((await show({ cwd, env, ref: id })).id).toBe(id);
  });

  it("the example fills every required variable with a value of its type, so its case renders (lint's template check)", async () => {
    const cwd = await blankProject();
    const first = await newVersion({ cwd, env, id: 'quote' });
    const file = path.join(cwd, first.file);
    const text = readFileSync(file, 'utf8')
      .replace(/variables:[\s\S]*?messages:/, 'variables:\n  - { name: product, type: string, required: true, max_length: 10 }\n  - { name: quantity, type: number, required: true }\n  - { name: note, type: string, required: false }\nmessages:')
      .replace('{{input}}', '{{product}} x {{quantity}}');
    writeFileSync(file, text);
    const next = await newVersion({ cwd, env, id: 'quote' });
    expect(next.suiteExample!.text).toContain('    vars: { product: "A question", quantity: 1 }');
    mkdirSync(path.join(cwd, 'evalsets/quote'), { recursive: true });
    writeFileSync(path.join(cwd, next.suiteExample!.file), next.suiteExample!.text);
    expect((await lint({ cwd, env })).outcome).toMatchObject({ errors: 0 });
  });
});
