/**
 * A `.promptrc.yaml` whose gates are out of the way (staging, then production, nothing required),
 * for tests about production's confirmation question rather than about the gates.
 */
export const UNGATED_CONFIG = `server:
  base_url: http://127.0.0.1:9/v1
  model: sim-model
registry:
  path: .promptctl/registry.db
environments:
  - name: staging
    gates: { requires_tested: false }
  - name: production
    gates: { requires_tested: false, requires_previous_env: false, min_adversarial_pass_rate: null }
`;
