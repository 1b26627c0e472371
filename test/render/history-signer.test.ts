import { describe, expect, it } from 'vitest';
import { historyText } from '../../src/render/history-text.js';

/** The actor is what the deployer typed; the signing key is what is proven, so history shows it beside the actor. */

describe('history names the key that signed beside the actor', () => {
  it.each([
    [{ signer: 'deployer:41992a78f96608c0' }, / by alice \(signed with deployer key 41992a78f96608c0\): x$/],
    [{}, / by alice: x$/],
  ])('%j', (signed, line) => {
    const event = { seq: 2, at: '2026-12-05T12:00:00.000Z', env: 'development', promptId: 'p', version: '1.0.0', previousVersion: null, action: 'deploy' as const, actor: 'alice', reason: 'x', prevHash: 'a', hash: 'b', ...signed };
    expect(historyText({ events: [event], previousServed: [undefined], warnings: [] } as never)[0]).toMatch(line);
  });
});
