import { describe, expect, it } from 'vitest';
import { replayDeployments, type DeploymentEvent } from '../../src/core/deployment-stack.js';
import { formatStack, planRollback } from '../../src/core/rollback.js';

const deploy = (version: string): DeploymentEvent => ({ action: 'deploy', version });
const rollback = (version: string): DeploymentEvent => ({ action: 'rollback', version });

describe('formatStack: the entries a further rollback skips', () => {
  it.each([
    { name: 'after a rollback, the version rolled away from below the active one', events: [deploy('1.1.0'), deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0')], shown: '1.1.0 (rolled away from) → 1.0.0 (active)' },
    { name: 'after two, each of them', events: [deploy('1.2.0'), deploy('1.0.0'), deploy('1.1.0'), deploy('1.2.0'), rollback('1.1.0'), rollback('1.0.0')], shown: '1.2.0 (rolled away from) → 1.0.0 (active)' },
    { name: 'a deploy starts afresh', events: [deploy('1.1.0'), deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0'), deploy('1.2.0')], shown: '1.1.0 → 1.0.0 → 1.2.0 (active)' },
    { name: 'the active entry is never marked', events: [deploy('1.0.0'), deploy('1.1.0'), rollback('1.0.0')], shown: '1.0.0 (active)' },
  ])('$name: $shown', ({ events, shown }) => {
    const state = replayDeployments(events);
    expect(formatStack(state.stack, state.rolledAway)).toBe(shown);
    // What the marks say is what planRollback does: no unmarked entry below the active one means nowhere to go.
    const unmarked = state.stack.slice(0, -1).some((d) => !state.rolledAway.some((r) => r.version === d.version) && d.version !== state.active);
    expect(planRollback(events).ok).toBe(unmarked);
  });
});
