import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { editorSchemaLine, type EditorSchema } from '../../src/core/editor-schema.js';

/**
 * One editor-schema line for every file promptctl writes or copies: the example files `init`
 * copies carry exactly the line `new` and `redteam generate` write, and it names a shipped schema.
 */

const ROOT = new URL('../../', import.meta.url);

const FILES: Array<[string, EditorSchema]> = [
  ['examples/quickstart/.promptrc.yaml', 'promptrc'],
  ['examples/quickstart/prompts/support-answer/1.0.0.yaml', 'prompt'],
  ['examples/quickstart/prompts/support-answer/1.1.0.yaml', 'prompt'],
  ['examples/quickstart/evalsets/support-answer/golden.yaml', 'evalset'],
  ['examples/quickstart/evalsets/support-answer/adversarial.yaml', 'evalset'],
  ['examples/tools/.promptrc.yaml', 'promptrc'],
  ['examples/tools/prompts/trip-planner/1.0.0.yaml', 'prompt'],
  ['examples/tools/evalsets/trip-planner/golden.yaml', 'evalset'],
];

describe('editorSchemaLine', () => {
  it.each(FILES)('%s starts with the line for a %s file', (file, kind) => {
    expect(readFileSync(new URL(file, ROOT), 'utf8').split('\n')[0]).toBe(editorSchemaLine(kind));
  });

  it.each<EditorSchema>(['promptrc', 'prompt', 'evalset'])('the %s line names a schema the package ships', (kind) => {
    const shipped = editorSchemaLine(kind).replace(/^.*node_modules\/promptctl\//, '');
    expect(existsSync(fileURLToPath(new URL(shipped, ROOT)))).toBe(true);
  });
});
