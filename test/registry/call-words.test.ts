import { describe, expect, it } from 'vitest';
import { REGISTRY_CALLS } from '../../src/infra/registry/registry-calls.js';
import { doingCall } from '../../src/infra/registry/postgres/call-words.js';

/** A fault's "while …" says what promptctl was doing in a user's words, never a method's name. */
describe('what a registry call was doing, as a fault says it', () => {
  it.each(REGISTRY_CALLS)('%s', (name) => {
    const words = doingCall(name);
    expect(words).toMatch(/^[a-z][a-z' ]+$/);
    expect(words).not.toContain(name);
  });
});
