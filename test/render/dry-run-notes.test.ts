import { describe, expect, it } from 'vitest';
import type { DeployOutcome } from '../../src/app/deploy-version.js';
import type { GateCheck } from '../../src/core/gate-check.js';
import { accountabilityNote, deployText } from '../../src/render/deploy-text.js';

/**
 * A dry run into an environment whose unattended policy is unmet: the real command stops at the
 * policy before any gate, so that is said first, with how many requirements are unmet and that
 * --force does not skip them; a count of failed gates comes after it ("then …"), not alone after
 * three FAIL lines as if it were the only obstacle.
 */

const requirement = (r: 'reason' | 'actor'): GateCheck => ({ kind: 'accountability', requirement: r, error: { message: `needs ${r}`, why: 'policy', hint: 'add it' }, ok: false, overridable: false });
const previous: GateCheck = { kind: 'previous-environment', version: '1.1.0', env: 'staging', previous: null, deployed: false, required: true, ok: false, overridable: true };
const outcome = (checks: GateCheck[], refusal?: DeployOutcome['refusal']): DeployOutcome => ({
  promptId: 'support-answer', version: '1.1.0', env: 'production', allowed: false, override: false, dryRun: true, previousVersion: null, checks, ...(refusal ? { refusal } : {}),
});

describe('the notes under a refused dry run', () => {
  it.each([
    { name: 'policy and a gate', checks: [requirement('reason'), requirement('actor'), previous], refusal: { reason: 'needs-force', failed: 1 } as const, notes: [accountabilityNote(2), 'then 1 gate failed; to deploy anyway, pass --force --reason "..." (recorded in the audit log)'] },
    { name: 'the policy only', checks: [requirement('actor')], refusal: undefined, notes: [accountabilityNote(1)] },
    { name: 'a gate only', checks: [previous], refusal: { reason: 'needs-force', failed: 1 } as const, notes: ['1 gate failed; to deploy anyway, pass --force --reason "..." (recorded in the audit log)'] },
  ])('$name', ({ checks, refusal, notes }) => {
    expect(deployText(outcome(checks, refusal)).slice(1 + checks.length)).toEqual(notes);
  });

  it.each([
    { unmet: 1, text: 'without --dry-run this stops at the policy above with exit 2, before any gate is judged: 1 requirement is unmet, and --force does not skip it' },
    { unmet: 2, text: 'without --dry-run this stops at the policy above with exit 2, before any gate is judged: 2 requirements are unmet, and --force does not skip them' },
  ])('$unmet unmet', ({ unmet, text }) => expect(accountabilityNote(unmet)).toBe(text));
});
