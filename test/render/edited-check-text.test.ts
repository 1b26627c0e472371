import { describe, expect, it } from 'vitest';
import type { GateCheck } from '../../src/core/gate-check.js';
import { checkMessage } from '../../src/render/gate-text.js';

/**
 * A refused `not-edited` check says its why and its hint as sentences of one text: the hint after
 * the why's full stop starts with a capital ("… it was released with. First keep the change …").
 */
describe('the edited-after-release check, as a deploy or promote prints it', () => {
  const edited = (origin?: Extract<GateCheck, { kind: 'not-edited' }>['origin']): GateCheck => ({ kind: 'not-edited', ok: false, overridable: false, promptId: 'a', version: '1.1.0', releasedIn: ['development'], file: 'prompts/a/1.1.0.yaml', ...(origin ? { origin } : {}) });
  it.each([
    ['an edit git can restore', undefined, 'released with. First keep the change in a new version: promptctl new a@1.1.0 (copies the edited file to the next free version number); then restore prompts/a/1.1.0.yaml: git checkout -- prompts/a/1.1.0.yaml.'],
    ['a file git has no copy of', { kind: 'untracked', next: '1.1.1' } as const, 'released with. First keep the change in a new version: promptctl new a@1.1.0 (copies the edited file to the next free version number, 1.1.1); then restore prompts/a/1.1.0.yaml, which git has no copy of:'],
    ['content the checkout committed: a file name starts the hint, as written', { kind: 'committed', checkout: 'branch main at 1a2b3c4', next: '1.1.1' } as const, 'released with. prompts/a/1.1.0.yaml is as branch main at 1a2b3c4 committed it'],
  ])('%s', (_, origin, says) => {
    expect(checkMessage(edited(origin))).toContain(says);
  });
});
