import { describe, expect, it } from 'vitest';
import { constrain, type Constraint } from '../../src/sim/structured.js';
import { parseSurface, shape, toolsRefused } from '../../src/sim/surface.js';
import { chooseCalls, type SimTool } from '../../src/sim/tools.js';

/** The simulator's structured outputs and tool calls: deterministic, and conforming where feasible. */

describe('structured outputs', () => {
  const schema = { type: 'object', required: ['answer', 'n', 'ok', 'tags'], additionalProperties: false, properties: { answer: { type: 'string' }, n: { type: 'integer', minimum: 2 }, ok: { type: 'boolean' }, tags: { type: 'array', items: { enum: ['a', 'b'] } } } };
  it.each<[string, string, Constraint, (out: string) => void]>([
    ['json from a plain answer', 'Refunds take 30 days.', { kind: 'json', schema }, (out) => expect(JSON.parse(out)).toEqual({ answer: 'Refunds take 30 days.', n: 2, ok: true, tags: ['a'] })],
    ['json keeps an answer that conforms', '{"score":0.5,"reason":"x"}', { kind: 'json', schema: { type: 'object', required: ['score', 'reason'], properties: { score: { type: 'number' }, reason: { type: 'string' } } } }, (out) => expect(out).toBe('{"score":0.5,"reason":"x"}')],
    ['json reshapes {"answer"} for another schema', '{"answer":"hi"}', { kind: 'json', schema: { type: 'object', required: ['reply'], properties: { reply: { type: 'string' } } } }, (out) => expect(JSON.parse(out)).toEqual({ reply: 'hi' })],
    ['choice the answer names', 'It is about shipping.', { kind: 'choice', choices: ['refund', 'shipping'] }, (out) => expect(out).toBe('shipping')],
    ['choice falls back to the first', 'Hello.', { kind: 'choice', choices: ['refund', 'shipping'] }, (out) => expect(out).toBe('refund')],
    ['regex keeps a matching answer', 'TICKET-1234', { kind: 'regex', pattern: 'TICKET-\\d{4}' }, (out) => expect(out).toBe('TICKET-1234')],
    ['regex generates a match', 'no idea', { kind: 'regex', pattern: '^(yes|no) [A-Z]{2}-[0-9]+$' }, (out) => expect(out).toMatch(/^(yes|no) [A-Z]{2}-[0-9]+$/)],
    ['grammar gives the root literal', 'whatever', { kind: 'grammar', grammar: 'root ::= "yes" | "no"' }, (out) => expect(out).toBe('yes')],
  ])('%s', (_name, text, c, check) => check(constrain(text, '', c)));
});

describe('tool calls', () => {
  const tools: SimTool[] = [
    { name: 'get_weather', description: '', parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' }, days: { type: 'integer' } } } },
    { name: 'book_hotel', description: '', parameters: { type: 'object', required: ['city', 'nights'], properties: { city: { type: 'string' }, nights: { type: 'integer' } } } },
  ];
  const names = (q: string, choice: Parameters<typeof chooseCalls>[1] = 'auto') => chooseCalls(tools, choice, q, 'x').map((c) => `${c.name}${c.arguments}`);
  it.each<[string, string, Parameters<typeof chooseCalls>[1], string[]]>([
    ['a named tool', 'What is the weather in Paris?', 'auto', ['get_weather{"city":"Paris"}']],
    ['prop: value wins', 'Weather, city: "New York", days: 3', 'auto', ['get_weather{"city":"New York","days":3}']],
    ['in the order named', 'Book_hotel in Rome for 2 nights after checking the weather', 'auto', ['book_hotel{"city":"Rome","nights":2}', 'get_weather{"city":"Rome"}']],
    ['nothing named: no call', 'How long do refunds take?', 'auto', []],
    ['none: no call', 'What is the weather in Paris?', 'none', []],
    ['required: the first tool', 'Hello there', 'required', ['get_weather{"city":""}']],
    ['named choice', 'Anything in Oslo', { name: 'book_hotel' }, ['book_hotel{"city":"Oslo","nights":0}']],
  ])('%s', (_name, q, choice, want) => expect(names(q, choice)).toEqual(want));

  it('malformed arguments on request', () => {
    const [c] = chooseCalls(tools, 'auto', 'Weather in Paris [sim: malformed tool arguments]', 'x');
    expect(() => JSON.parse(c!.arguments)).toThrow();
  });

  it('after tool results the answer states them, naming the tool from its call', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"temperature":21}' },
      ],
      tools: tools.map((t) => ({ type: 'function', function: t })),
    };
    const turns = body.messages.map((m) => ({ role: m.role, content: m.content ?? '' }));
    const s = parseSurface(body, turns);
    if (typeof s === 'string') throw new Error(s);
    expect(shape(s, 'ignored', 'id')).toEqual({ text: 'According to get_weather: {"temperature":21}' });
    // A forced tool_choice is decoded as a call even after the results, as vLLM's guided decoding does.
    for (const tool_choice of ['required', { type: 'function', function: { name: 'get_weather' } }]) {
      const forced = parseSurface({ ...body, tool_choice }, turns);
      if (typeof forced === 'string') throw new Error(forced);
      expect(shape(forced, 'ignored', 'id').toolCalls?.map((c) => c.name), JSON.stringify(tool_choice)).toEqual(['get_weather']);
    }
  });

  it('refuses auto tool choice without a parser, as vLLM does', () => {
    const s = parseSurface({ tools: [{ type: 'function', function: { name: 'f' } }] }, []);
    if (typeof s === 'string') throw new Error(s);
    expect(toolsRefused(s, false)).toBe('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set');
    expect(toolsRefused(s, true)).toBeNull();
    const named = parseSurface({ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'f' } } }, []);
    expect(typeof named !== 'string' && toolsRefused(named, false)).toBeNull();
  });

  // vLLM types these fields as objects (pydantic): JSON Schema's true/false is a 400 for every request.
  it.each<[string, Record<string, unknown>, string]>([
    ['response_format', { response_format: { type: 'json_schema', json_schema: { name: 'a', schema: true } } }, 'response_format.json_schema.schema'],
    ['structured_outputs.json', { structured_outputs: { json: false } }, 'structured_outputs.json'],
    ['tool parameters', { tools: [{ type: 'function', function: { name: 'f', parameters: true } }] }, 'tools.0.function.parameters'],
  ])('refuses a boolean schema in %s, as vLLM does', (_name, body, field) => {
    expect(parseSurface(body, [])).toMatch(new RegExp(`^1 validation error for ChatCompletionRequest\\n${field.replace(/\./g, '\\.')}\\n  Input should be a valid dictionary \\[type=dict_type, input_value=(True|False), input_type=bool\\]$`));
    expect(parseSurface(JSON.parse(JSON.stringify(body).replace(/true|false/, '{}')), [])).not.toBeTypeOf('string');
  });
});
