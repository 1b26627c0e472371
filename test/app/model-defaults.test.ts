import { describe, expect, it } from 'vitest';
import { renderPrompt, show } from '../../src/app/index.js';
import { comparableText } from '../../src/app/diff.js';
import { effectiveParams } from '../../src/core/eval/request-params.js';
import { loadProject } from '../../src/infra/project.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';

/**
 * A version's `model:` block sets what it names and inherits the rest from the project's
 * `defaults` (before, the schema filled temperature 0 and max_tokens 256 into every block, so the
 * defaults never applied to a version that set anything); `extra_body` merges key by key; and
 * show, render and what eval sends agree.
 */

const env = {};

function project(): string {
  const dir = makeProject();
  patchConfig(dir, (c) => {
    c.defaults = { temperature: 0.7, max_tokens: 300, extra_body: { top_k: 20, min_p: 0.05 } };
  });
  const v = readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace(/^model:\n(?: {2}.*\n)+/m, 'model:\n  stop: ["STOP"]\n  extra_body: { top_k: 5 }\n');
  writeProjectFile(dir, 'prompts/support-answer/1.1.0.yaml', v);
  return dir;
}

const EXPECTED = { model: 'sim-model', temperature: 0.7, max_tokens: 300, stop: ['STOP'], extra_body: { top_k: 5, min_p: 0.05 } };

describe("a version's model block over the project's defaults", () => {
  it('what eval sends inherits what the version does not set, and merges extra_body key by key', () => {
    const dir = project();
    const p = loadProject(dir);
    const v = p.prompts.find((x) => x.version === '1.1.0')!;
    expect(v.data.model).toEqual({ stop: ['STOP'], extra_body: { top_k: 5 } });
    expect(effectiveParams(p.config.server.model, p.config.defaults, v.data.model)).toEqual(EXPECTED);
  });

  it('show and render say what eval sends', async () => {
    const dir = project();
    expect((await show({ cwd: dir, env, ref: 'support-answer@1.1.0' })).model).toEqual(EXPECTED);
    expect((await renderPrompt({ cwd: dir, env, ref: 'support-answer@1.1.0', values: { question: 'q' } })).settings).toEqual(EXPECTED);
  });

  it('diff shows a changed tool, schema or tool choice', () => {
    const base = { id: 'p', version: '1.0.0', description: 'd', author: 'a', model: {}, variables: [], messages: [{ role: 'user' as const, content: 'hi' }] };
    const tool = (max: number) => ({ type: 'function' as const, function: { name: 'plan', parameters: { type: 'object', properties: { days: { type: 'integer', maximum: max } } } } });
    const a = comparableText({ ...base, tools: [tool(7)], tool_choice: 'auto' } as never, {});
    const b = comparableText({ ...base, tools: [tool(14)], tool_choice: 'required' } as never, {});
    expect(a).not.toBe(b);
    expect(b).toContain('maximum: 14');
    expect(b).toContain('tool_choice: required');
  });
});
