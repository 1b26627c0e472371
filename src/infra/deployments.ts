import { replayDeployments, type DeploymentState } from '../core/rollback.js';
import type { Registry } from './registry/types.js';

/** What runs in an environment, replayed from the audit log (the only source of truth). */
export function deploymentState(registry: Registry, promptId: string, env: string): DeploymentState {
  return replayDeployments(registry.listEvents({ promptId, env }));
}
