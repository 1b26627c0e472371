import { describe, expect } from 'vitest';
import { computeEventHash } from '../../src/core/audit-chain.js';
import { requireAppendable } from '../../src/infra/registry/event-append.js';
import type { NewEvent } from '../../src/infra/registry/types.js';
import { backends, freshPerTest } from './backends.js';

/**
 * The newest event replaced by a row whose own hash was recomputed, the chain head left alone: only
 * the head's hash tells. get refused it ("was replaced"), but a deploy elsewhere appended after it
 * (exit 0), chaining onto the forged row's hash, so `audit verify` then put the first break on the
 * honest new event. Every append (and a dry run's `requireAppendable`) refuses it, on both backends.
 */

const deploy = (version: string, env = 'staging'): NewEvent => ({ env, promptId: 'support', version, previousVersion: null, action: 'deploy', actor: 'ana', reason: null });

describe.each(backends())('$name registry: a replaced newest event', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('refuses to append after it (exit 3), in the append itself and in a dry run', async () => {
    const reg = store.open();
    await reg.appendEvent(deploy('1.0.0'));
    await reg.appendEvent(deploy('1.1.0', 'production'));
    const newest = (await reg.listEvents({ limit: 1 }))[0]!;
    const forged = computeEventHash({ ...newest, version: '1.0.0' });
    await store.sqlUnguarded(`UPDATE events SET version = '1.0.0', hash = '${forged}' WHERE seq = 2`);
    expect(await reg.verifyChain()).toMatchObject({ ok: false, broken: { seq: 2, problem: expect.stringMatching(/the last event was replaced/) } });

    const refusal = { exitCode: 3, message: 'the audit log cannot be appended to: its newest event #2 differs from the one the chain head recorded' };
    await expect(reg.appendEvent(deploy('1.1.0'))).rejects.toMatchObject(refusal);
    await expect(requireAppendable(reg)).rejects.toMatchObject(refusal);
    expect(await reg.listEvents()).toHaveLength(2);
  });
});
