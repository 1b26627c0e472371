import type { ProgressEvent } from '../core/schemas/report.js';

type Counts = { answers: number; cut: number; passing: number };

/**
 * Counts, run by run, the answers of this invocation the server stopped at the token limit
 * (finish_reason "length"), from the scored samples as they come (a report without its passing cases
 * still counts them), and words one warning per run that had any. A failed answer also says so beside
 * its reasons (core/scoring/cut-off.ts); the warning counts the passing ones too, which a `contains`
 * check or a judge can pass half-written.
 */
export function cutOffCounter(): { see: (e: ProgressEvent) => void; warnings: () => string[] } {
  const runs = new Map<string, Counts>();
  return {
    see(e) {
      if (e.type !== 'sample' || e.result.verdict === 'error') return;
      const name = `${e.promptId}@${e.version}${e.model ? `:${e.model}` : ''} on ${e.suite}`;
      let c = runs.get(name);
      if (!c) runs.set(name, (c = { answers: 0, cut: 0, passing: 0 }));
      c.answers++;
      if (!e.result.exchange?.truncated) return;
      c.cut++;
      if (e.result.verdict === 'pass') c.passing++;
    },
    warnings: () =>
      [...runs].filter(([, c]) => c.cut).map(([name, c]) => {
        const passed = c.passing ? `, ${c.passing} of them passing` : '';
        return `${name}: ${c.cut} of ${c.answers} answers stopped at the token limit (finish_reason "length")${passed}; a cut answer may be incomplete: raise \`max_tokens\` in the version's params if answers need more room`;
      }),
  };
}
