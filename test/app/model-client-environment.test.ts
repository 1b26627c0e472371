import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { startHeldProxy, type HeldProxy } from '../support/held-proxy.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * The openai SDK fills what its constructor is not given from process.env. A use case takes its
 * environment from `env` and never prints, so none of the SDK's own variables, set in the process
 * for some other tool, may change what is sent to the vLLM server or write to the console.
 */

const sim = simulatorForFile();
let proxy: HeldProxy;
const SDK_VARIABLES = {
  OPENAI_LOG: 'debug',
  OPENAI_ORG_ID: 'org-from-the-process',
  OPENAI_PROJECT_ID: 'proj-from-the-process',
  OPENAI_CUSTOM_HEADERS: 'X-From-The-Process: 1\nX-Other: 2',
};
const saved = Object.fromEntries(Object.keys(SDK_VARIABLES).map((k) => [k, process.env[k]]));

beforeAll(async () => {
  proxy = await startHeldProxy(sim.url.replace(/\/v1$/, ''));
});
afterAll(() => proxy.close());
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  vi.restoreAllMocks();
});

describe("runEval ignores the openai SDK's process variables", () => {
  it('sends no header they name, and logs nothing', async () => {
    const cwd = makeSimProject(proxy.url, {}, 'promptctl-app-sdk-env-');
    Object.assign(process.env, SDK_VARIABLES);
    const printed = (['log', 'debug', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => undefined));
    const result = await runEval({ cwd, env: SCRIPT_ENV, refs: ['support-answer@1.1.0'], suite: ['golden'], cache: false });
    expect(result.verdict).toBe('passed');
    const headers = proxy.chatHeaders();
    expect(headers.length).toBeGreaterThan(0);
    const fromProcess = ['openai-organization', 'openai-project', 'x-from-the-process', 'x-other'];
    expect(headers.flatMap((h) => Object.keys(h)).filter((name) => fromProcess.includes(name))).toEqual([]);
    expect(printed.flatMap((spy) => spy.mock.calls)).toEqual([]);
  });
});
