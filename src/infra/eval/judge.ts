import type { ModelClient } from '../model/index.js';

/**
 * The judge expectation: a rubric graded by a judge model on the configured server, asked for
 * structured JSON through `response_format` with a JSON schema (vLLM's guided decoding).
 */

const JUDGE_SCHEMA = {
  type: 'json_schema',
  json_schema: {
    name: 'grade',
    strict: true,
    schema: {
      type: 'object',
      properties: { score: { type: 'number', minimum: 0, maximum: 1 }, reason: { type: 'string' } },
      required: ['score', 'reason'],
      additionalProperties: false,
    },
  },
} as const;

const SYSTEM = 'You are a strict grader. Score how well the OUTPUT meets the RUBRIC, from 0 (not at all) to 1 (fully). Answer only with JSON: {"score": number, "reason": string}.';

export type Judge = (spec: { rubric: string; min_score: number; model?: string }, output: string) => Promise<{ score: number; reason: string }>;

export function makeJudge(client: ModelClient, defaultModel: string): Judge {
  return async (spec, output) => {
    const r = await client.complete({
      model: spec.model ?? defaultModel,
      temperature: 0,
      max_tokens: 256,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `RUBRIC: ${spec.rubric}\nOUTPUT: ${output}` },
      ],
      response_format: JUDGE_SCHEMA,
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.output);
    } catch {
      throw new Error(`the judge model did not answer JSON: ${r.output.slice(0, 120)}`);
    }
    const { score, reason } = parsed as { score?: unknown; reason?: unknown };
    if (typeof score !== 'number' || !Number.isFinite(score)) throw new Error(`the judge model's answer has no numeric score: ${r.output.slice(0, 120)}`);
    return { score: Math.min(1, Math.max(0, score)), reason: typeof reason === 'string' ? reason : '' };
  };
}
