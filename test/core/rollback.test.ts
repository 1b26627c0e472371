import { describe, expect, it } from 'vitest';
import { replayDeployments, type DeploymentEvent, type DeploymentState } from '../../src/core/deployment-stack.js';
import { formatStack, planRollback, type RollbackPlan } from '../../src/core/rollback.js';
import { standingThere } from '../../src/core/standing-there.js';

const deploy = (version: string): DeploymentEvent => ({ action: 'deploy', version });
const override = (version: string): DeploymentEvent => ({ action: 'override', version });
const rollback = (version: string): DeploymentEvent => ({ action: 'rollback', version });

/** A replayed state with its entries named by version, as most rows here need. */
function versionsOf(s: DeploymentState) {
  return { active: s.active, stack: s.stack.map((d) => d.version), rolledAway: s.rolledAway.map((d) => d.version) };
}

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
    expect(versionsOf(replayDeployments(events))).toEqual({ active, stack, rolledAway });
  });
});

describe('planRollback', () => {
  it('two rollbacks walk back two versions', () => {
    let events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0')];
    const first = planRollback(events);
    expect(first).toMatchObject({ ok: true, from: '1.2.0', to: '1.1.0', popped: ['1.2.0'] });
    events = apply(events, first);
    const second = planRollback(events);
    expect(second).toMatchObject({ ok: true, from: '1.1.0', to: '1.0.0', popped: ['1.1.0'] });
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
    expect(planRollback(events)).toMatchObject({ ok: true, from: '1.3.0', to: '1.1.0', popped: ['1.3.0'] });
  });

  it('redeploying the active version does not create a rollback target', () => {
    const events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.1.0')];
    expect(planRollback(events)).toMatchObject({ ok: true, from: '1.1.0', to: '1.0.0' });
  });

  it('--to pops until the target is on top', () => {
    const events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0'), deploy('1.3.0')];
    expect(planRollback(events, '1.1.0')).toMatchObject({ ok: true, from: '1.3.0', to: '1.1.0', popped: ['1.3.0', '1.2.0'] });
    const after = apply(events, planRollback(events, '1.1.0'));
    expect(versionsOf(replayDeployments(after))).toEqual({ active: '1.1.0', stack: ['1.0.0', '1.1.0'], rolledAway: ['1.2.0', '1.3.0'] });
  });

  it('--to a version on the stack twice lands on its newer entry, popping only what is above it', () => {
    const events = [deploy('1.0.0'), deploy('1.1.0'), deploy('1.0.0'), deploy('1.2.0')];
    const plan = planRollback(events, '1.0.0');
    expect(plan).toMatchObject({ ok: true, from: '1.2.0', to: '1.0.0', popped: ['1.2.0'] });
    expect(versionsOf(replayDeployments(apply(events, plan)))).toEqual({ active: '1.0.0', stack: ['1.0.0', '1.1.0', '1.0.0'], rolledAway: ['1.2.0'] });
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

describe('withdrawn from this environment, by a rollback or a downgrade (what the next environment\'s gate does not count)', () => {
  const at = (events: DeploymentEvent[]) => events.map((e, i) => ({ ...e, seq: i + 1 }));
  // Each withdrawn deploy event, by its seq: [seq, version, the withdrawing event (, 'downgrade')].
  it.each([
    { name: 'a rollback takes the popped versions', events: at([deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0'), rollback('1.0.0')]), withdrawn: [[2, '1.1.0', 4], [3, '1.2.0', 4]] },
    { name: 'a later deploy on top does not', events: at([deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0')]), withdrawn: [] },
    { name: 'deploying it again stands by itself: the rolled-back deploy stays withdrawn', events: at([deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0'), deploy('1.1.0')]), withdrawn: [[2, '1.1.0', 3]] },
    { name: 'another version deployed puts nothing back', events: at([deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0'), deploy('1.2.0')]), withdrawn: [[2, '1.1.0', 3]] },
    { name: 'each deploy names the rollback that took it off', events: at([deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0'), override('1.1.0'), rollback('1.0.0')]), withdrawn: [[2, '1.1.0', 3], [4, '1.1.0', 5]] },
    { name: 'an older version deployed over newer ones withdraws them', events: at([deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0'), deploy('1.0.0')]), withdrawn: [[2, '1.1.0', 4, 'downgrade'], [3, '1.2.0', 4, 'downgrade']] },
    { name: 'a rollback returning to an entry a downgrade left behind puts back the deploys that made it', events: at([deploy('1.1.0'), deploy('1.1.0'), deploy('1.0.0'), rollback('1.1.0')]), withdrawn: [[3, '1.0.0', 4]] },
    { name: 'a rollback returning to the override pushed after a withdrawal puts back only it', events: at([deploy('1.0.0'), deploy('1.1.0'), deploy('1.0.0'), override('1.1.0'), deploy('1.0.0'), rollback('1.1.0')]), withdrawn: [[2, '1.1.0', 3, 'downgrade'], [5, '1.0.0', 6]] },
  ])('$name', ({ events, withdrawn }) => {
    const { withdrawnBy } = replayDeployments(events);
    const rows = events.flatMap((e, i) => {
      const w = withdrawnBy[i];
      return w ? [w.how === 'rollback' ? [e.seq, e.version, w.by] : [e.seq, e.version, w.by, w.how]] : [];
    });
    expect(rows).toEqual(withdrawn);
  });
});

describe('one version served two ways (another model, or other request settings)', () => {
  const request = (model: string, extra: Record<string, unknown> = {}) => ({ model, temperature: 0, max_tokens: 256, ...extra });
  const served = (model: string, extra: Record<string, unknown> = {}) => ({ served: { model, request: request(model, extra) } });
  let seq = 0;
  const on = (action: string, version: string, model: string, extra: Record<string, unknown> = {}): DeploymentEvent => ({ action, version, detail: served(model, extra), seq: ++seq });
  /** Applies a plan as the rollback command records it: the target's version and served settings. */
  const applyServed = (events: DeploymentEvent[], plan: RollbackPlan): DeploymentEvent[] => {
    if (!plan.ok) throw new Error(plan.reason);
    return [...events, { action: 'rollback', version: plan.to, ...(plan.target.served ? { detail: { served: plan.target.served } } : {}), seq: ++seq }];
  };

  it.each([
    { name: 'a settings change of the active version', second: on('deploy', '1.1.0', 'm', { stop: ['XYZ'] }), back: { model: 'm' } },
    { name: 'a model upgrade of the active version', second: on('deploy', '1.1.0', 'm2'), back: { model: 'm' } },
    { name: 'an override with other settings', second: on('override', '1.1.0', 'm', { temperature: 0.7 }), back: { model: 'm' } },
  ])('a rollback after $name returns to the version as served before', ({ second, back }) => {
    const events = [on('deploy', '1.0.0', 'm'), on('deploy', '1.1.0', 'm'), second];
    expect(replayDeployments(events).stack).toHaveLength(3);
    const plan = planRollback(events);
    expect(plan).toMatchObject({ ok: true, from: '1.1.0', to: '1.1.0', popped: ['1.1.0'] });
    if (!plan.ok) return;
    expect(plan.target.served?.model).toBe(back.model);
    expect(plan.target.served?.request).toEqual(request('m'));
    expect(plan.current.served).toEqual(second.detail!.served);
    // The next rollback goes on to 1.0.0, never back to the settings just rolled away from.
    const after = applyServed(events, plan);
    expect(replayDeployments(after).active).toBe('1.1.0');
    expect(planRollback(after)).toMatchObject({ ok: true, from: '1.1.0', to: '1.0.0' });
    expect(planRollback(after, '1.1.0')).toMatchObject({ ok: false, alreadyActive: true, reason: expect.stringMatching(/already the active version/) });
  });

  it('never goes back and forth between versions: a version rolled away from is skipped however it was served', () => {
    let events = [on('deploy', '1.1.0', 'm'), on('deploy', '1.0.0', 'm'), on('deploy', '1.1.0', 'm', { seed: 7 })];
    const first = planRollback(events);
    expect(first).toMatchObject({ ok: true, from: '1.1.0', to: '1.0.0' });
    events = applyServed(events, first);
    expect(planRollback(events)).toMatchObject({ ok: false, reason: expect.stringMatching(/nothing to roll back to: 1\.0\.0 is active and every earlier version was rolled away from/) });
    expect(planRollback(events, '1.1.0')).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot roll back to 1\.1\.0: it was rolled away from since the last deploy/) });
  });

  it('the same settings deployed again change nothing; only the newest served details and event are kept', () => {
    const events = [on('deploy', '1.1.0', 'm'), { ...on('deploy', '1.1.0', 'm'), detail: { served: { model: 'm', root: 'r2', request: request('m') } } }];
    const { stack } = replayDeployments(events);
    expect(stack).toEqual([{ version: '1.1.0', seq: events[1]!.seq, served: { model: 'm', root: 'r2', request: request('m') } }]);
  });

  // The target's event is the one whose gating a rollback reports: a gated deploy forced again
  // (an override once a gate stopped holding) is returned to as the override, and the reverse.
  it.each([
    ['deploy', 'override', 1],
    ['override', 'deploy', 1],
  ])('the active version deployed by %s, then again by %s: a rollback returns to the newest event', (first, second, newest) => {
    const events = [on('deploy', '1.0.0', 'm'), on(first, '1.1.0', 'm'), on(second, '1.1.0', 'm'), on('deploy', '1.2.0', 'm')];
    expect(planRollback(events)).toMatchObject({ ok: true, to: '1.1.0', target: { seq: events[1 + newest]!.seq } });
  });

  it('a deploy from before events recorded what they serve counts as the same as any', () => {
    const events: DeploymentEvent[] = [{ action: 'deploy', version: '1.1.0' }, on('deploy', '1.1.0', 'm', { stop: ['X'] })];
    expect(replayDeployments(events).stack).toHaveLength(1);
    expect(planRollback(events)).toMatchObject({ ok: false, reason: expect.stringMatching(/only version left/) });
  });

  it('--to the active version lands on it as served before', () => {
    const events = [on('deploy', '1.1.0', 'm'), on('deploy', '1.2.0', 'm'), on('deploy', '1.1.0', 'm', { stop: ['X'] })];
    const plan = planRollback(events, '1.1.0');
    expect(plan).toMatchObject({ ok: true, from: '1.1.0', to: '1.1.0', popped: ['1.1.0', '1.2.0'] });
    if (plan.ok) expect(plan.target.seq).toBe(events[0]!.seq);
  });

  it('a rollback event from before settings were told apart is replayed by its version', () => {
    // Recorded with the settings of the newest deploy of 1.0.0, which is not the entry it returned to.
    const events = [on('deploy', '1.0.0', 'm'), on('deploy', '1.1.0', 'm'), { action: 'rollback', version: '1.0.0', detail: served('m', { seed: 1 }) }];
    expect(versionsOf(replayDeployments(events))).toEqual({ active: '1.0.0', stack: ['1.0.0'], rolledAway: ['1.1.0'] });
  });

  it('messages name the deploy event where one version is on the stack twice', () => {
    const events = [on('deploy', '1.0.0', 'm'), on('deploy', '1.1.0', 'm'), on('deploy', '1.1.0', 'm2')];
    const [, b, c] = events.map((e) => e.seq);
    expect(formatStack(replayDeployments(events).stack)).toBe(`1.0.0 → 1.1.0 (event #${b}) → 1.1.0 (event #${c}) (active)`);
    const refused = planRollback(events, '0.9.0');
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining(`(1.0.0 → 1.1.0 (event #${b}) → 1.1.0 (event #${c}) (active))`) });
  });

  it.each([
    { entries: 5, shown: '1.1.0 → 1.0.0 → 1.1.0 → 1.0.0 → 1.1.0 (active)' },
    { entries: 6, shown: '… and 1 earlier → 1.0.0 → 1.1.0 → 1.0.0 → 1.1.0 → 1.0.0 (active)' },
    { entries: 1103, shown: '… and 1,098 earlier → 1.1.0 → 1.0.0 → 1.1.0 → 1.0.0 → 1.1.0 (active)' },
  ])('a stack of $entries entries is shown by its newest five: $shown', ({ entries, shown }) => {
    const events = Array.from({ length: entries }, (_, i) => on('deploy', i % 2 ? '1.0.0' : '1.1.0', 'm'));
    expect(formatStack(replayDeployments(events).stack)).toBe(shown);
  });

  it('an entry left out of the shown stack still tells a version served two ways apart', () => {
    const events = [on('deploy', '1.1.0', 'm2'), ...Array.from({ length: 6 }, (_, i) => on('deploy', i % 2 ? '1.1.0' : '1.0.0', 'm'))];
    const top = events[events.length - 1]!.seq;
    expect(formatStack(replayDeployments(events).stack)).toMatch(new RegExp(`^… and 2 earlier → .* → 1\\.1\\.0 \\(event #${top}\\) \\(active\\)$`));
  });
});

describe('standingThere: whether a version stands in the environment before (the previous-environment gate)', () => {
  const at = (events: DeploymentEvent[]) => events.map((e, i) => ({ ...e, seq: i + 1 }));
  const withSeed = (version: string, seed?: number): DeploymentEvent => ({ action: 'deploy', version, detail: { served: { model: 'm', request: { model: 'm', temperature: 0, max_tokens: 256, ...(seed !== undefined ? { seed } : {}) } } } });
  const onModel = (action: DeploymentEvent['action'], version: string, model: string): DeploymentEvent => ({ action, version, detail: { served: { model, request: { model, temperature: 0, max_tokens: 256 } } } });
  // A deploy here would send no seed.
  const noSeed = (served: { request: { seed?: number } } | undefined) => !served || served.request.seed === undefined;
  it.each([
    { name: 'never deployed', events: at([deploy('1.0.0')]), want: { deployed: false } },
    { name: 'deployed, then others on top', events: at([deploy('1.1.0'), deploy('1.2.0')]), want: { deployed: true } },
    { name: 'deployed, then rolled back', events: at([deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0')]), want: { deployed: false, rolledBack: { seq: 3 } } },
    { name: 'rolled back, then deployed again', events: at([deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0'), deploy('1.1.0')]), want: { deployed: true } },
    { name: 'deployed only with other settings', events: at([withSeed('1.1.0', 7)]), want: { deployed: false, otherSettings: true } },
    { name: 'with these settings, then other ones on top', events: at([withSeed('1.1.0'), withSeed('1.1.0', 7)]), want: { deployed: true } },
    { name: 'from before events recorded settings', events: at([deploy('1.1.0')]), want: { deployed: true } },
    {
      // 1.1.0 on m (#2), on n (#3); rollback #4 takes n off, rollback #5 takes 1.1.0 off: #5 is the verdict.
      name: 'served two ways, each taken off by its own rollback: the latest rollback is cited',
      events: at([withSeed('1.0.0'), onModel('deploy', '1.1.0', 'm'), onModel('override', '1.1.0', 'n'), onModel('rollback', '1.1.0', 'm'), withSeed('1.0.0')].map((e, i) => (i === 4 ? { ...e, action: 'rollback' } : e))),
      want: { deployed: false, rolledBack: { seq: 5 } },
    },
    { name: 'there only by override: the gates it skipped', events: at([{ action: 'override', version: '1.1.0', detail: { skipped: ['not tested'] } }]), want: { deployed: true, byOverride: { seq: 1, skipped: ['not tested'] } } },
    { name: 'by override, then deployed through the gates', events: at([override('1.1.0'), deploy('1.0.0'), deploy('1.1.0')]), want: { deployed: true } },
    // Staging moving on is normal; going back below it is a verdict, whether by rollback or by deploy.
    { name: 'an older version deployed over it (a downgrade)', events: at([deploy('1.0.0'), deploy('1.1.0'), deploy('1.0.0')]), want: { deployed: false, downgraded: { seq: 3, to: '1.0.0' } } },
    { name: 'a newer one on top, then an older one than both', events: at([deploy('1.1.0'), deploy('1.2.0'), deploy('1.0.0')]), want: { deployed: false, downgraded: { seq: 3, to: '1.0.0' } } },
    { name: 'a newer one on top, then one between: still above it', events: at([deploy('1.1.0'), deploy('1.3.0'), deploy('1.2.0')]), want: { deployed: true } },
    { name: 'downgraded, then deployed again', events: at([deploy('1.1.0'), deploy('1.0.0'), deploy('1.1.0')]), want: { deployed: true } },
    { name: 'downgraded, then the downgrade rolled back: active again', events: at([deploy('1.1.0'), deploy('1.0.0'), rollback('1.1.0')]), want: { deployed: true } },
    { name: 'rolled back, deployed again, then downgraded: the newest event is cited', events: at([deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0'), deploy('1.1.0'), deploy('1.0.0')]), want: { deployed: false, downgraded: { seq: 5, to: '1.0.0' } } },
    { name: 'the same version with other settings is no downgrade', events: at([withSeed('1.1.0'), withSeed('1.1.0', 7)]), want: { deployed: true } },
  ])('$name', ({ events, want }) => {
    expect(standingThere(events, '1.1.0', noSeed)).toEqual(want);
  });
});
