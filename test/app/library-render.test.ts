import { describe, expect, it } from 'vitest';
import { VariableSpec } from '../../src/core/schemas/prompt.js';
import { render, VARIABLE_DEFAULTS, type ActivePromptContent } from '../../src/registry-api.js';

/**
 * The library's render(prompt, vars): the same checks as `promptctl render` (core/template.ts),
 * on registered content, which keeps the version file as written (no schema defaults applied).
 */

const content: ActivePromptContent = {
  variables: [{ name: 'question', max_length: 20 }, { name: 'count', type: 'number' }, { name: 'tone', required: false }],
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: '{{question}} ({{count}})' },
  ],
};

describe('render(prompt, vars)', () => {
  it('applies the prompt schema defaults (type string, required) without loading zod', () => {
    const parsed = VariableSpec.parse({ name: 'x' });
    expect({ type: parsed.type, required: parsed.required }).toEqual(VARIABLE_DEFAULTS);
  });

  it('renders the messages, values coerced as the CLI does', () => {
    expect(render(content, { question: 'Why?', count: '3' })).toEqual([
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Why? (3)' },
    ]);
  });

  it('refuses a missing, undeclared, mistyped or too long value (exit 2, every problem at once), never an empty string', () => {
    const prompt = { id: 'support-answer', version: '1.0.0', env: 'staging', contentHash: 'x', deployedAt: '', deployedBy: '', content };
    let err: unknown;
    try {
      render(prompt, { count: 'many', extra: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exitCode: 2, message: 'cannot render support-answer@1.0.0' });
    const fields = (err as { problems: Array<{ field: string }> }).problems.map((p) => p.field).sort();
    expect(fields).toEqual(['variables.count', 'variables.extra', 'variables.question']);
    expect(() => render(content, { question: 'a question far too long for it', count: 1 })).toThrow(/cannot render the prompt/);
  });
});
