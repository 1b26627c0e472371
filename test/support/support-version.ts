import { PromptVersion } from '../../src/core/schemas/prompt.js';

/** A loaded version `support@1.0.0` with `system` as its system message and one `question` variable, for planning runs in unit tests. */
export function supportVersion(system: string) {
  return {
    id: 'support',
    version: '1.0.0',
    file: 'prompts/support/1.0.0.yaml',
    hash: 'h',
    data: PromptVersion.parse({
      id: 'support',
      version: '1.0.0',
      description: 'd',
      author: 'a',
      variables: [{ name: 'question' }],
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: '{{question}}' },
      ],
    }),
  };
}
