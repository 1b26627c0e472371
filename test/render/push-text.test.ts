import { describe, expect, it } from 'vitest';
import type { PushResult } from '../../src/app/registry-push.js';
import { pushText } from '../../src/render/registry-push-text.js';

/**
 * The last line of `registry push`: the team registry's audit log after the push, in the words
 * `audit verify` uses. An empty log is not called intact (audit verify refuses to: it proves nothing).
 */

const none = { pushed: 0, already: 0 };
const result = (verify: PushResult['verify']): PushResult => ({
  from: '/p/.promptctl/registry.db', to: 'postgres://ana@db/prompts', toSchema: 'promptctl', exitCode: 0, eventsSkipped: false, verify, leftLocal: { versions: [], runs: [] },
  tables: { versions: none, supersededVersions: none, runs: none, samples: none, cachedResponses: none, events: none },
});

describe('registry push: the verify line', () => {
  it('an empty team log has no events yet, never "hash chain intact"', () => {
    const last = pushText(result({ ok: true, events: 0 })).at(-1);
    expect(last).toBe('audit verify on the team registry: no audit events yet (an empty log proves nothing)');
  });

  it('a log with events is verified intact', () => {
    expect(pushText(result({ ok: true, events: 3 })).at(-1)).toBe('audit verify on the team registry: 3 events, hash chain intact');
  });
});
