import { describe, expect, it } from 'vitest';
import { decidedOnOlderLog, DecidedOnOlderLog, seqsSinceDecision } from '../../src/infra/registry/decided-on.js';
import type { AuditEvent, NewEvent } from '../../src/infra/registry/types.js';

/** The rule every deploy, promote and rollback append goes through (both backends): nothing about its prompt appended since its decision read the log. */

const deploy: NewEvent = { env: 'production', promptId: 'contact', version: '1.0.1', previousVersion: null, action: 'deploy', actor: 'a', reason: null, contentHash: 'c1' };
const ev = (seq: number, action: AuditEvent['action'], more: Partial<AuditEvent> = {}) => ({ seq, env: '', promptId: 'contact', version: '1.0.1', action, ...more }) as AuditEvent;

describe('seqsSinceDecision', () => {
  it.each([
    ['no decision recorded (a mark, an import)', undefined, 6, []],
    ['the head where the decision read it', 5, 5, []],
    ['an empty log, read empty', 0, 0, []],
    ['two events since', 5, 7, [6, 7]],
  ] as const)('%s', (_, decidedOn, head, seqs) => {
    expect(seqsSinceDecision({ ...(decidedOn === undefined ? {} : { decidedOn }) }, head ? { seq: head, hash: 'h' } : null)).toEqual(seqs);
  });
});

describe('decidedOnOlderLog', () => {
  it.each([
    ['nothing appended', [], false],
    ['a rollback of the prompt in another environment', [ev(6, 'rollback', { env: 'staging', version: '1.0.0' })], true],
    ['its tested mark withdrawn', [ev(6, 'untested')], true],
    ['another prompt deployed', [ev(6, 'deploy', { promptId: 'other', env: 'staging' })], false],
    ['the supersede that put the deployed content in place (its own)', [ev(6, 'supersede', { contentHash: 'c1' })], false],
    ['a supersede to other content', [ev(6, 'supersede', { contentHash: 'c2' })], true],
  ] as const)('%s', (_, appended, refused) => {
    expect(decidedOnOlderLog({ ...deploy, decidedOn: 5 }, appended) !== undefined).toBe(refused);
  });

  it('names what was appended, exit 3, and what to do', () => {
    const err = decidedOnOlderLog({ ...deploy, decidedOn: 5 }, [ev(6, 'rollback', { env: 'staging', version: '1.0.0' })])!;
    expect(err).toBeInstanceOf(DecidedOnOlderLog);
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe('the audit log changed while the deploy of contact@1.0.1 in production was being decided: #6 rollback contact@1.0.0 in staging was appended after #5, the newest event the decision read');
    expect(err.hint).toContain('run the command again');
  });
});
