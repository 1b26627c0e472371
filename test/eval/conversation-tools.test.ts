import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { startHeldProxy, type HeldProxy } from '../support/held-proxy.js';
import { makeSimProject, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * Exchanges of several requests against the simulator with tool calling (through a 127.0.0.1 proxy
 * that keeps what was sent): a conversation whose earlier turn the model answers with a tool call
 * sends the call back with a tool message answering it, and only the final answer is judged, its
 * calls and its own tokens, while the run's totals still count every request.
 */

const sim = simulatorForFile({ toolCallParser: 'hermes' });
let proxy: HeldProxy;
beforeAll(async () => {
  proxy = await startHeldProxy(sim.origin);
});
afterAll(async () => {
  await proxy.close();
});

const WEATHER = `id: weather\nversion: 1.0.0\ndescription: Fixture.\nauthor: qa@example.com\nvariables:\n  - name: question\n    max_length: 500\nmessages:\n  - role: system\n    content: |\n      You are the travel assistant. Refunds are available within 30 days of purchase.\n  - role: user\n    content: "<q>{{question}}</q>"\ntools:\n  - type: function\n    function:\n      name: get_weather\n      parameters:\n        type: object\n        required: [city]\n        properties:\n          city: { type: string }\n`;

const conversationCase = (id: string, city: string, results: string[]) => [
  `  - id: ${id}`,
  `    vars: { question: "What is the weather in ${city}?" }`,
  ...results,
  '    messages:',
  '      - role: assistant',
  '      - role: user',
  '        content: "Thanks. How long do I have for a refund?"',
  '    expect:',
  '      - no-tool-call: true',
  '      - contains: "30 days"',
];

function project(): string {
  const dir = makeSimProject(proxy.url, {}, 'promptctl-conversation-tools-');
  writeProjectFile(dir, 'prompts/weather/1.0.0.yaml', WEATHER);
  writeProjectFile(
    dir,
    'evalsets/weather/golden.yaml',
    ['prompt: weather', 'kind: golden', 'cases:', ...conversationCase('no-results', 'Oslo', []), ...conversationCase('with-results', 'Paris', ['    tool_results:', '      get_weather: { temperature: 21 }']), ''].join('\n'),
  );
  return dir;
}

type Message = { role: string; content: string | null; tool_calls?: Array<{ id: string; function: { name: string } }>; tool_call_id?: string };

/** The messages of the last request about `city`: the final turn's. */
function lastSent(city: string): Message[] {
  const bodies = proxy.chatBodies() as Array<{ messages: Message[] }>;
  return bodies.filter((b) => b.messages.some((m) => m.role === 'user' && m.content?.includes(city))).at(-1)!.messages;
}

describe('a conversation whose earlier turn calls a tool', () => {
  it('sends the call back with a tool message answering it, and judges only the final answer', async () => {
    const dir = project();
    const result = await runEval({ cwd: dir, env, refs: ['weather@1.0.0'] });
    const cases = result.report.runs[0]!.cases;
    for (const c of cases) expect(c.verdict, `${c.caseId}: ${JSON.stringify(c.samples[0]!.reasons)}`).toBe('pass');
    // The earlier call is recorded apart from the judged calls.
    for (const c of cases) {
      expect(c.samples[0]!.exchange?.toolCalls).toBeUndefined();
      expect(c.samples[0]!.exchange?.turnToolCalls?.[0]?.map((t) => t.name)).toEqual(['get_weather']);
    }

    // Without tool_results: the call, the same error result the single-turn path sends, then the next user turn.
    const plain = lastSent('Oslo').slice(2);
    expect(plain.map((m) => m.role)).toEqual(['assistant', 'tool', 'user']);
    expect(plain[0]!.tool_calls?.map((t) => t.function.name)).toEqual(['get_weather']);
    expect(plain[1]!.tool_call_id).toBe(plain[0]!.tool_calls![0]!.id);
    expect(JSON.parse(plain[1]!.content!)).toEqual({ error: "no result for get_weather: the case's tool_results do not name it" });

    // With tool_results: the call, its result, the model's reply to it, then the next user turn.
    const given = lastSent('Paris').slice(2);
    expect(given.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant', 'user']);
    expect(given[1]!.tool_call_id).toBe(given[0]!.tool_calls![0]!.id);
    expect(JSON.parse(given[1]!.content!)).toEqual({ temperature: 21 });
    expect(given[2]!.content).toContain('21');
    expect(cases.find((c) => c.caseId === 'with-results')!.samples[0]!.exchange?.turns).toEqual([given[2]!.content]);
  });
});

describe('max-tokens on an exchange of several requests', () => {
  it("judges the final answer's own tokens; the sample and the run still count every request's", async () => {
    const dir = project();
    writeProjectFile(
      dir,
      'evalsets/weather/golden.yaml',
      [
        'prompt: weather',
        'kind: golden',
        'cases:',
        // The reply to the tool results is 19 tokens; with the call before it the exchange used 29.
        '  - id: after-results',
        '    vars: { question: "What is the weather in Oslo?" }',
        '    tool_results:',
        '      get_weather: { temperature: 21, sky: clear }',
        '    expect:',
        '      - max-tokens: 19',
        // The final answer is 9 tokens; with the earlier turn the conversation used 18.
        '  - id: final-turn',
        '    vars: { question: "How long do I have for a refund?" }',
        '    messages:',
        '      - role: assistant',
        '      - role: user',
        '        content: "And what about a refund after 20 days?"',
        '    expect:',
        '      - max-tokens: 9',
        '',
      ].join('\n'),
    );
    const result = await runEval({ cwd: dir, env, refs: ['weather@1.0.0'] });
    const run = result.report.runs[0]!;
    for (const c of run.cases) expect(c.verdict, `${c.caseId}: ${JSON.stringify(c.samples[0]!.reasons)}`).toBe('pass');
    const samples = run.cases.map((c) => c.samples[0]!);
    expect(samples.map((s) => s.exchange?.answer?.tokensOut)).toEqual([19, 9]);
    expect(samples.map((s) => s.tokensOut)).toEqual([29, 18]);
    expect(run.run.summary!.tokensOut).toBe(29 + 18);
    // The answer's latency is one of the requests the sample's latency adds up.
    for (const s of samples) expect(s.exchange!.answer!.latencyMs).toBeLessThanOrEqual(s.latencyMs);
  });
});
