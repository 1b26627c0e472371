import { describe, expect, it } from 'vitest';
import { planRollback, replayDeployments, type DeploymentEvent, type RollbackPlan } from '../../src/core/rollback.js';

const deploy = (version: string): DeploymentEvent => ({ action: 'deploy', version });
const override = (version: string): DeploymentEvent => ({ action: 'override', version });
const rollback = (version: string): DeploymentEvent => ({ action: 'rollback', version });

/** Applies a plan the way the rollback command records it: one event naming the target. */
function apply(events: DeploymentEvent[], plan: RollbackPlan): DeploymentEvent[] {
  if (!plan.ok) throw new Error(plan.reason);
  return [...events, rollback(plan.to)];
}

describe('replayDeployments', () => {
  it.each([
    { name: 'nothing deployed', events: [], active: null, stack: [] },
    { name: 'deploys push', events: [deploy('1.0.0'), deploy('1.1.0')], active: '1.1.0', stack: ['1.0.0', '1.1.0'] },
    { name: 'redeploying the active version is a no-op', events: [deploy('1.0.0'), deploy('1.0.0')], active: '1.0.0', stack: ['1.0.0'] },
    { name: 'overrides push like deploys', events: [deploy('1.0.0'), override('1.1.0')], active: '1.1.0', stack: ['1.0.0', '1.1.0'] },
    { name: 'rollback pops', events: [deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0')], active: '1.0.0', stack: ['1.0.0'] },
    {
      name: 'rollback --to pops several',
      events: [deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0'), rollback('1.0.0')],
      active: '1.0.0',
      stack: ['1.0.0'],
    },
    {
      name: 'an older version deployed again is pushed again',
      events: [deploy('1.0.0'), deploy('1.1.0'), deploy('1.0.0')],
      active: '1.0.0',
      stack: ['1.0.0', '1.1.0', '1.0.0'],
    },
  ])('$name', ({ events, active, stack }) => {
    expect(replayDeployments(events)).toEqual({ active, stack });
  });
});

describe('planRollback', () => {
  it('two rollbacks walk back two versions', () => {
    let events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0')];
    const first = planRollback(events);
    expect(first).toEqual({ ok: true, from: '1.2.0', to: '1.1.0', popped: ['1.2.0'] });
    events = apply(events, first);
    const second = planRollback(events);
    expect(second).toEqual({ ok: true, from: '1.1.0', to: '1.0.0', popped: ['1.1.0'] });
    events = apply(events, second);
    expect(replayDeployments(events).active).toBe('1.0.0');
  });

  it('never goes back and forth', () => {
    let events = [deploy('1.0.0'), deploy('1.1.0')];
    events = apply(events, planRollback(events));
    const again = planRollback(events);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.reason).toMatch(/nothing to roll back to: 1\.0\.0 is the only version/);
  });

  it('after a rollback and a redeploy, rolls back to the version before the redeploy', () => {
    let events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0')];
    events = apply(events, planRollback(events)); // back to 1.1.0
    events.push(deploy('1.3.0'));
    expect(planRollback(events)).toEqual({ ok: true, from: '1.3.0', to: '1.1.0', popped: ['1.3.0'] });
  });

  it('redeploying the active version does not create a rollback target', () => {
    const events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.1.0')];
    expect(planRollback(events)).toMatchObject({ ok: true, from: '1.1.0', to: '1.0.0' });
  });

  it('--to pops until the target is on top', () => {
    const events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0'), deploy('1.3.0')];
    expect(planRollback(events, '1.1.0')).toEqual({ ok: true, from: '1.3.0', to: '1.1.0', popped: ['1.3.0', '1.2.0'] });
    const after = apply(events, planRollback(events, '1.1.0'));
    expect(replayDeployments(after)).toEqual({ active: '1.1.0', stack: ['1.0.0', '1.1.0'] });
  });

  it.each([
    { name: 'nothing deployed', events: [], to: undefined, reason: /no version has been deployed here yet/ },
    { name: 'one version only', events: [deploy('1.0.0')], to: undefined, reason: /1\.0\.0 is the only version/ },
    { name: '--to the active version', events: [deploy('1.0.0'), deploy('1.1.0')], to: '1.1.0', reason: /already the active version/ },
    {
      name: '--to a version never deployed here',
      events: [deploy('1.0.0'), deploy('1.1.0')],
      to: '0.9.0',
      reason: /cannot roll back to 0\.9\.0: it is not below 1\.1\.0 .*\(1\.0\.0 → 1\.1\.0 \(active\)\)/,
    },
    {
      name: '--to a version already rolled back past',
      events: [deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0'), rollback('1.1.0')],
      to: '1.2.0',
      reason: /not below 1\.1\.0/,
    },
  ])('refuses: $name', ({ events, to, reason }) => {
    const plan = planRollback(events, to);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.reason).toMatch(reason);
  });
});
