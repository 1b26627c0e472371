import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import type { CaseOutcome } from '../core/schemas/report.js';
import type { CommandContext, CommandResult } from './context.js';
import { evaluate, EvalOptions } from './eval.js';

/**
 * `promptctl compare <id>@<a> <id>@<b>`: both versions' outputs and verdicts for the same cases,
 * from stored answers (what is missing is run first; cached answers cost nothing).
 */

export const CompareOptions = z.object({ a: z.string(), b: z.string(), suite: z.array(z.string()).default([]) });

export async function run(ctx: CommandContext, raw: unknown) {
  const opts = CompareOptions.parse(raw);
  const a = parsePromptRef(opts.a, { requireVersion: true });
  const b = parsePromptRef(opts.b.includes('@') ? opts.b : `${a.id}@${opts.b}`, { requireVersion: true });
  if (a.id !== b.id) throw new InputError({ message: `compare needs two versions of one prompt, got ${a.id} and ${b.id}` });
  const { startProgress } = await import('../render/progress-sink.js');
  const progress = await startProgress(ctx.out);
  let report;
  try {
    report = await evaluate(ctx, EvalOptions.parse({ refs: [`${a.id}@${a.version}`, `${b.id}@${b.version}`], suite: opts.suite }), progress.onEvent, ctx.signal);
  } finally {
    await progress.stop();
  }
  const casesOf = (version: string) => {
    const map = new Map<string, CaseOutcome>();
    for (const r of report.runs) if (r.run.version === version) for (const c of r.cases) map.set(`${r.run.suite}/${c.caseId}`, c);
    return map;
  };
  const ca = casesOf(a.version!);
  const cb = casesOf(b.version!);
  const rows = [...ca.keys()]
    .filter((k) => cb.has(k))
    .map((k) => {
      const [suite, caseId] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
      const x = ca.get(k)!;
      const y = cb.get(k)!;
      return { suite, caseId, verdictA: x.verdict, verdictB: y.verdict, outputA: x.samples[0]?.output ?? '', outputB: y.samples[0]?.output ?? '' };
    });
  const { formatComparison, orderRows } = await import('../render/compare.js');
  const input = { promptId: a.id, a: a.version!, b: b.version!, rows };
  return {
    data: { promptId: a.id, a: a.version, b: b.version, rows: orderRows(rows).map((r) => ({ ...r.row, change: r.kind })) },
    text: () => [formatComparison(input, { color: ctx.out.color, width: Number(ctx.env.COLUMNS) || 120 })],
  } satisfies CommandResult;
}
