/** When a run lease taken at `now` for `ttlMs` ends, as ISO text: the one rule for every backend. */
export function leaseEnd(now: Date, ttlMs: number): string {
  return new Date(now.getTime() + ttlMs).toISOString();
}
