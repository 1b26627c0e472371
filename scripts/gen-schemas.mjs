// Writes JSON Schema files from the zod schemas (the single source of truth), so editors can
// validate .promptrc.yaml, prompt versions and eval sets as they are typed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { PromptrcConfig } from '../dist/core/schemas/config.js';
import { PromptVersion } from '../dist/core/schemas/prompt.js';
import { EvalSet } from '../dist/core/schemas/evalset.js';

const out = new URL('../schemas/', import.meta.url);
mkdirSync(out, { recursive: true });
const targets = {
  'promptrc.schema.json': [PromptrcConfig, 'promptctl project configuration (.promptrc.yaml)'],
  'prompt.schema.json': [PromptVersion, 'promptctl prompt version (prompts/<id>/<semver>.yaml)'],
  'evalset.schema.json': [EvalSet, 'promptctl eval set (evalsets/<prompt-id>/<suite>.yaml)'],
};
for (const [name, [schema, title]] of Object.entries(targets)) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  json.title = title;
  writeFileSync(new URL(name, out), `${JSON.stringify(json, null, 2)}\n`);
}
