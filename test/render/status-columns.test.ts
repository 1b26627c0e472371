import { describe, expect, it } from 'vitest';
import type { StatusRow } from '../../src/app/status.js';
import { statusText } from '../../src/render/registry-text.js';

/** `status` columns: each as wide as its widest cell, so long environment names and versions keep the table aligned. */

const row = (promptId: string, env: string, version: string | null): StatusRow => ({ promptId, env, version, tested: true, deployedAt: version ? '2026-12-05T18:12:26.895Z' : null, deployedBy: version ? 'rm' : null, action: version ? 'deploy' : null });

/** Where each header's column starts, and where each row's cells start. */
function starts(line: string): number[] {
  return [...line.matchAll(/(?:^|\s{2,})(\S)/g)].map((m) => m.index! + m[0].length - 1);
}

describe('statusText columns', () => {
  const cases: Array<{ name: string; rows: StatusRow[] }> = [
    { name: 'short names', rows: [row('billing', 'staging', '1.1.0'), row('billing', 'production', '1.0.0')] },
    { name: 'an environment name over 12 characters', rows: [row('billing-p1', 'staging', '1.1.0'), row('billing-p1', 'production-eu-west-1', '1.1.0')] },
    { name: 'a version over 10 characters', rows: [row('billing-p1', 'staging', '2.0.0-rc.12'), row('billing-p1', 'production', '1.1.0')] },
    { name: 'a never deployed row next to long values', rows: [row('a', 'production-eu-west-1', null), row('a', 'dev', '10.20.30-beta.1')] },
  ];
  it.each(cases)('$name: every row starts its cells where the header starts its columns', ({ rows }) => {
    const [header, ...lines] = statusText(rows).slice(0, rows.length + 1);
    const columns = starts(header!).slice(0, 4);
    for (const line of lines) expect(starts(line!).slice(0, 4)).toEqual(columns);
  });
});
