import { describe, expect, it } from 'vitest';
import type { DeploymentEvent } from '../../src/core/deployment-stack.js';
import { standingThere } from '../../src/core/standing-there.js';

/**
 * Which deploys of a version stand in the previous environment is judged per event: one the
 * environment withdrew (a rollback took it off, or an older version was deployed over it) stays
 * withdrawn when the version comes back by another deploy, so a version put back only by override
 * stands there only as that override (the next environment says so, or refuses it where
 * `allow_override` is false). Only a rollback that returns to an entry puts back the deploys that
 * made it.
 */

const at = (events: Array<[DeploymentEvent['action'], string]>): DeploymentEvent[] =>
  events.map(([action, version], i) => ({ action, version, seq: i + 1, ...(action === 'override' ? { detail: { skipped: [`skipped by #${i + 1}`] } } : {}) }));
const any = () => true;
const byOverride = (seq: number) => ({ deployed: true, byOverride: { seq, skipped: [`skipped by #${seq}`] } });

describe('standingThere: a deploy withdrawn there does not stand again when the version comes back another way', () => {
  it.each([
    { name: 'gated, rolled back, overridden back in: stands only by the override', events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['rollback', '1.0.0'], ['override', '1.1.0']]), want: byOverride(4) },
    { name: 'gated, downgraded, overridden back in: stands only by the override', events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['deploy', '1.0.0'], ['override', '1.1.0']]), want: byOverride(4) },
    { name: 'gated, a newer one on top, downgraded below both, overridden back in', events: at([['deploy', '1.1.0'], ['deploy', '1.2.0'], ['deploy', '1.0.0'], ['override', '1.1.0']]), want: byOverride(4) },
    { name: 'gated, rolled back, overridden back in, then deployed again through the gates', events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['rollback', '1.0.0'], ['override', '1.1.0'], ['deploy', '1.1.0']]), want: { deployed: true } },
    { name: 'gated, rolled back, deployed back through the gates', events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['rollback', '1.0.0'], ['deploy', '1.1.0']]), want: { deployed: true } },
    { name: 'override, then a gated redeploy while active: stands gated', events: at([['deploy', '1.0.0'], ['override', '1.1.0'], ['deploy', '1.1.0']]), want: { deployed: true } },
    { name: 'gated, then an override while active: the gated deploy still stands', events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['override', '1.1.0']]), want: { deployed: true } },
    { name: 'gated, rolled back, overridden back in, rolled back again: the newest rollback is cited', events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['rollback', '1.0.0'], ['override', '1.1.0'], ['rollback', '1.0.0']]), want: { deployed: false, rolledBack: { seq: 5 } } },
    { name: 'gated, downgraded, rolled back to it: the gated deploy stands again', events: at([['deploy', '1.1.0'], ['deploy', '1.0.0'], ['rollback', '1.1.0']]), want: { deployed: true } },
    {
      name: 'gated, downgraded, overridden back in, downgraded, rolled back to the override: stands only by the override',
      events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['deploy', '1.0.0'], ['override', '1.1.0'], ['deploy', '1.0.0'], ['rollback', '1.1.0']]),
      want: byOverride(4),
    },
    {
      name: 'gated, overridden again while active, downgraded, rolled back to it: both deploys stand again',
      events: at([['deploy', '1.0.0'], ['deploy', '1.1.0'], ['override', '1.1.0'], ['deploy', '1.0.0'], ['rollback', '1.1.0']]),
      want: { deployed: true },
    },
    { name: 'only ever by override (no earlier deploy): stands by it', events: at([['deploy', '1.0.0'], ['override', '1.1.0']]), want: byOverride(2) },
  ])('$name', ({ events, want }) => {
    expect(standingThere(events, '1.1.0', any)).toEqual(want);
  });
});
