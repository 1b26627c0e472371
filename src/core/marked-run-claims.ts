import { canonicalJson } from './canonical.js';

/**
 * What a tested mark's suite entry records about the run it rests on, which the run's stored summary
 * must still say: its pass rate (what reports show), and what decides whether the run counts at all,
 * its request settings (core/eval/settings-key.ts) and its grading (core/eval/grading.ts). An edited
 * summary could otherwise make a run count under settings or a judge it never ran with. The one rule
 * `audit verify` applies to every claim alike; a claim the mark does not record (marks from before
 * it was recorded, suites without a judge) is not compared.
 */
export const MARKED_RUN_CLAIMS = ['passRate', 'settings', 'grading'] as const;
export type MarkedRunClaim = (typeof MARKED_RUN_CLAIMS)[number];

/** The first claim whose stored value differs from the mark's, each as canonical JSON (absent in the summary: null). */
export function editedRunClaim(
  recorded: Partial<Record<MarkedRunClaim, unknown>>,
  stored: Partial<Record<MarkedRunClaim, unknown>>,
): { claim: MarkedRunClaim; stored: string; recorded: string } | undefined {
  for (const claim of MARKED_RUN_CLAIMS) {
    if (recorded[claim] === undefined) continue;
    const now = canonicalJson(stored[claim] ?? null);
    const then = canonicalJson(recorded[claim]);
    if (now !== then) return { claim, stored: now, recorded: then };
  }
  return undefined;
}
