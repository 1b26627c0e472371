import { describe, expect, it } from 'vitest';
import { VariableSpec } from '../../src/core/schemas/prompt.js';
import { InputError } from '../../src/core/errors.js';
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

describe('render refuses what is no prompt or no variable value, never a wrong string in the prompt', () => {
  const thrown = (call: () => unknown): InputError => {
    try {
      call();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    throw new Error('render returned');
  };

  it.each([
    ['an object', { a: 1 }, 'got an object'],
    ['null', null, 'got null'],
    ['an array', ['x', 'y'], 'got an array'],
    ['NaN', NaN, 'got NaN'],
  ])('%s for a string variable is an InputError naming the variable', (_, value, got) => {
    const e = thrown(() => render(content, { question: value, count: 1 } as never));
    expect(e.exitCode).toBe(2);
    expect(e.problems).toEqual([expect.objectContaining({ field: 'variables.question', message: `"question" must be a string (or a number or boolean), ${got}` })]);
  });

  it.each([
    ['undefined (getActive when nothing is active)', undefined, 'render was given no prompt (undefined)'],
    ['null', null, 'render was given no prompt: it takes an active version or its content, with messages'],
    ['an object without messages', { id: 'x', version: '1.0.0' }, 'render was given no prompt: it takes an active version or its content, with messages'],
  ])('a prompt that is %s is an InputError saying so', (_, prompt, message) => {
    const e = thrown(() => render(prompt as never, { question: 'q', count: 1 }));
    expect(e.message).toBe(message);
    expect(e.hint).toMatch(/getActive/);
  });

  it.each([
    ['null', null, 'not null'],
    ['an array', ['q'], 'not an array'],
    ['a string', 'q', 'not string'],
  ])('variables that are %s are an InputError', (_, vars, said) => {
    expect(thrown(() => render(content, vars as never)).message).toContain(said);
  });

  it('no variables at all renders a prompt that needs none', () => {
    expect(render({ messages: [{ role: 'user', content: 'Hi' }] }, undefined as never)).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  // A hand-edited bundle.json: before, these met the renderer as raw TypeErrors with no exit code.
  it.each([
    ['a message without content', { messages: [{ role: 'user' }] }, 'content.messages[0].content is missing, not a string'],
    ['a message that is null', { messages: [null] }, 'content.messages[0] is null, not a message object'],
    ['a message with another role', { messages: [{ role: 'bot', content: 'Hi' }] }, 'content.messages[0].role is "bot", not one of system, user, assistant'],
    ['variables as an object', { variables: { q: {} }, messages: [{ role: 'user', content: '{{q}}' }] }, 'content.variables is an object, not an array'],
    ['a variable that is null', { variables: [null], messages: [{ role: 'user', content: 'Hi' }] }, 'content.variables[0] is null, not a variable object'],
    ['a variable without a name', { variables: [{ type: 'string' }], messages: [{ role: 'user', content: 'Hi' }] }, 'content.variables[0].name is missing, not a variable name'],
    ['a variable of an unknown type', { variables: [{ name: 'q', type: 'text' }], messages: [{ role: 'user', content: '{{q}}' }] }, 'content.variables[0].type is "text", not one of string, number, boolean'],
    ['a max_length that is text', { variables: [{ name: 'q', max_length: '9' }], messages: [{ role: 'user', content: '{{q}}' }] }, 'content.variables[0].max_length is "9", not a whole number'],
  ])('content with %s is an InputError naming the field', (_, bad, said) => {
    const err = thrown(() => render(bad as never, { q: 'x' }));
    expect(err.message).toContain(said);
    expect(err.exitCode).toBe(2);
  });

  it('every malformed field is listed, the first in the message', () => {
    const err = thrown(() => render({ messages: [{ role: 'user' }, 7] } as never, {}));
    expect(err.message).toBe('cannot render the prompt: content.messages[0].content is missing, not a string (and 1 more)');
    expect(err.problems?.map((p) => p.message)).toEqual(['content.messages[0].content is missing, not a string', 'content.messages[1] is a number, not a message object ({ role, content })']);
  });
});
