import { describe, expect, it } from 'vitest';
import { planRun } from '../../src/core/eval/plan.js';
import { EvalSet } from '../../src/core/schemas/evalset.js';
import { PromptVersion } from '../../src/core/schemas/prompt.js';
import { parseYamlText } from '../../src/infra/yaml-text.js';

/**
 * A turn of a case's `messages` that cannot render is placed at that turn (its field and line), not
 * at the case's vars: lint reports the same problem at the same place (core/eval/conversation.ts).
 */

const version = {
  id: 'p',
  version: '1.0.0',
  file: 'prompts/p/1.0.0.yaml',
  hash: 'h',
  data: PromptVersion.parse({ id: 'p', version: '1.0.0', description: 'd', author: 'a', variables: [{ name: 'question' }], messages: [{ role: 'user', content: '{{question}}' }] }),
};

const TEXT = `prompt: p
kind: golden
cases:
  - id: c1
    vars: { question: hi }
    messages:
      - role: assistant
      - role: user
        content: "And {{product}}?"
    expect:
      - contains: x
  - id: c2
    vars: {}
    expect:
      - contains: x
`;

describe('planRun: problems of a case', () => {
  it('a turn using an undeclared variable is at cases.<i>.messages.<j>.content; a missing variable stays at the case', () => {
    const parsed = parseYamlText(TEXT, 'evalsets/p/conv.yaml');
    const suite = { name: 'conv', file: 'evalsets/p/conv.yaml', hash: 's', data: EvalSet.parse(parsed.data), generated: [] };
    const { run, problems } = planRun({ version, suite, params: { model: 'm', temperature: 0, max_tokens: 64 }, judges: { rubric: 'm' } }, parsed.locate);
    expect(run).toBeUndefined();
    expect(problems.map((p) => `${p.file}:${p.line} ${p.field}: ${p.message}`)).toEqual([
      'evalsets/p/conv.yaml:9 cases.0.messages.1.content: case "c1" against p@1.0.0: the turn uses {{product}}, which is not declared under variables',
      'evalsets/p/conv.yaml:12 cases.1.vars: case "c2" against p@1.0.0: required variable "question" is missing',
    ]);
  });
});
