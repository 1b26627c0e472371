import { describe, expect, it } from 'vitest';
import { startHint } from '../../src/infra/model/preflight.js';

/**
 * The hint after "Cannot reach the vLLM server": the simulator is offered only for an address on
 * this machine, with the port the config names (`promptctl-sim` alone listens on 8000 and was not
 * found by an npm-installed user, who runs it with npx).
 */
/** ci refuses a server.base_url change beside what it evaluates (ci/trust-settings): the hint says where that change goes. */
const FOR_CI = ' (for `promptctl ci`, in a pull request of its own: ci evaluates only with the server its base branch configures).';

describe('how to start the server base_url points at', () => {
  it.each([
    ['http://127.0.0.1:8000/v1', '`npx promptctl-sim --port 8000`'],
    ['http://localhost:9123/v1', '`npx promptctl-sim --port 9123`'],
    ['http://[::1]:8001/v1', '`npx promptctl-sim --port 8001`'],
    ['http://127.0.0.1/v1', '`npx promptctl-sim --port 80`'],
  ])('%s: the simulator on its port', (url, sim) => {
    expect(startHint(url)).toBe(`Start the server (vLLM: \`vllm serve <model>\`; the offline simulator: ${sim}) or fix server.base_url in .promptrc.yaml${FOR_CI}`);
  });

  it.each(['http://vllm.internal:8000/v1', 'https://gpu-7.example.com/v1'])('%s: vLLM only', (url) => {
    expect(startHint(url)).toBe(`Start the server (vLLM: \`vllm serve <model>\`) or fix server.base_url in .promptrc.yaml${FOR_CI}`);
  });
});
