import { describe, expect, it } from 'vitest';
import type { DeployOutcome } from '../../src/app/deploy-version.js';
import type { GateCheck } from '../../src/core/gate-check.js';
import { promoteJson, promoteRefusal, promoteText } from '../../src/render/deploy-text.js';

/**
 * promote has no --force: its dry run (text and --json note) and its refusal all name the deploy
 * command that forces it, with the reason inside the command. Before, the dry run said "pass
 * --force", which promote rejects, and the refusal closed the backtick before the reason.
 */

const previous: GateCheck = { kind: 'previous-environment', version: '1.0.0', env: 'staging', previous: 'development', deployed: false, required: true, ok: false, overridable: true };
const outcome = (dryRun: boolean): DeployOutcome => ({
  promptId: 'support-answer', version: '1.0.0', env: 'staging', allowed: false, override: false, dryRun, previousVersion: null, checks: [previous], refusal: { reason: 'needs-force', failed: 1 },
});
const promoted = (dryRun: boolean) => ({ promptId: 'support-answer', from: 'development', to: 'staging', active: '1.0.0', outcome: outcome(dryRun), exitCode: 1 });
const advice = '1 gate failed; to deploy anyway, run `promptctl deploy support-answer@1.0.0 --env staging --force --reason "..."` (recorded in the audit log)';

describe('how a refused promote says it can be forced', () => {
  it.each([
    ['the dry run, as text', () => promoteText(promoted(true)).at(-1)],
    ['the dry run, as --json', () => promoteJson(promoted(true)).note],
    ['the refusal', () => promoteRefusal(promoted(false)).why],
  ])('%s', (_name, said) => expect(said()).toBe(advice));
});
