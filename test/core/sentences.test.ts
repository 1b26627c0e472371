import { describe, expect, it } from 'vitest';
import { sentences } from '../../src/core/sentences.js';

/** Sentences written apart, joined: each ended, each after the first starting with a capital when it starts with a word. */
describe('sentences', () => {
  it.each([
    ['two policy reasons', ['the production policy sets unattended.require_reason.', 'the production policy sets unattended.require_actor, and "me" was only guessed.'], 'the production policy sets unattended.require_reason. The production policy sets unattended.require_actor, and "me" was only guessed.'],
    ['a why and a hint without its full stop', ['a released version never changes: it was released with.', 'first keep the change: promptctl new a@1.0.0'], 'a released version never changes: it was released with. First keep the change: promptctl new a@1.0.0.'],
    ['a sentence starting with a file is left as written', ['it changed.', 'prompts/a/1.0.0.yaml is as commit 1a2b3c4 committed it'], 'it changed. prompts/a/1.0.0.yaml is as commit 1a2b3c4 committed it.'],
    ['a sentence starting with a command in backticks', ['it changed.', '`promptctl show a@1.0.0 --released` prints it'], 'it changed. `promptctl show a@1.0.0 --released` prints it.'],
    ['one sentence keeps its first letter', ['the production policy sets require_reason.'], 'the production policy sets require_reason.'],
    ['a closing mark is kept', ['is it up?', 'see the log (stderr)'], 'is it up? See the log (stderr).'],
    ['empty parts are left out', ['', 'it changed', '  '], 'it changed.'],
  ])('%s', (_, parts, joined) => {
    expect(sentences(parts)).toBe(joined);
  });
});
