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
    {
      name: 'a rollback remembers what it rolled away from',
      events: [deploy('1.1.0'), deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0')],
      active: '1.0.0',
      stack: ['1.1.0', '1.0.0'],
      rolledAway: ['1.1.0'],
    },
    {
      name: 'a deploy starts a new sequence of rollbacks',
      events: [deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0'), deploy('1.2.0')],
      active: '1.2.0',
      stack: ['1.0.0', '1.2.0'],
      rolledAway: [],
    },
  ])('$name', ({ events, active, stack, ...rest }) => {
    const rolledAway = 'rolledAway' in rest ? rest.rolledAway : expect.any(Array);
    expect(replayDeployments(events)).toEqual({ active, stack, rolledAway });
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

  it.each([
    {
      name: 'never returns to the version just rolled away from (1.1.0, 1.0.0, 1.1.0)',
      deploys: ['1.1.0', '1.0.0', '1.1.0'],
      walk: ['1.0.0'],
      refusal: /nothing to roll back to: 1\.0\.0 is active and every earlier version was rolled away from since the last deploy \(1\.1\.0\)/,
    },
    {
      name: 'skips every version rolled away from in the sequence',
      deploys: ['1.0.0', '1.1.0', '1.0.0', '1.2.0'],
      walk: ['1.0.0', '1.1.0'],
      refusal: /nothing to roll back to: 1\.1\.0 is active .*\(1\.0\.0\)/,
    },
    { name: 'skips the active version deeper in the stack', deploys: ['1.0.0', '1.1.0', '1.2.0', '1.1.0'], walk: ['1.2.0', '1.0.0'], refusal: /nothing to roll back to: 1\.0\.0 is the only version left/ },
    { name: 'a plain stack walks all the way down', deploys: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'], walk: ['1.2.0', '1.1.0', '1.0.0'], refusal: /1\.0\.0 is the only version left/ },
  ])('consecutive rollbacks: $name', ({ deploys, walk, refusal }) => {
    let events: DeploymentEvent[] = deploys.map(deploy);
    const landed: string[] = [];
    for (let i = 0; i < walk.length; i++) {
      const plan = planRollback(events);
      expect(plan.ok, plan.ok ? '' : plan.reason).toBe(true);
      if (plan.ok) landed.push(plan.to);
      events = apply(events, plan);
    }
    expect(landed).toEqual(walk);
    const last = planRollback(events);
    expect(last.ok).toBe(false);
    if (!last.ok) expect(last.reason).toMatch(refusal);
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
    expect(replayDeployments(after)).toEqual({ active: '1.1.0', stack: ['1.0.0', '1.1.0'], rolledAway: ['1.2.0', '1.3.0'] });
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
      name: '--to a version rolled away from since the last deploy',
      events: [deploy('1.1.0'), deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0')],
      to: '1.1.0',
      reason: /cannot roll back to 1\.1\.0: it was rolled away from since the last deploy .*deploy it instead/,
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
