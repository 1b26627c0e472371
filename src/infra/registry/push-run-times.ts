import { CLOCK_SLACK_MS } from '../../core/audit-chain.js';
import { InputError } from '../../core/errors.js';
import { rows, type Session } from './postgres/session.js';
import type { PushSource, Row } from './sqlite-export.js';

/**
 * Refuses (exit 2, before anything is written) to push a run dated after the team registry
 * server's clock (`serverNow`) beyond ordinary skew. Which run of a suite is newest decides tested
 * marks, gates and --filter-failing (counting-run.ts), and the team registry dates its own runs by
 * that clock: a run recorded on a laptop whose clock ran a day ahead would count as newer than
 * every run the team records for a day, a failing re-run included. A run already there as it is
 * here (an earlier push) is not pushed again, and a run that stays local (`staysLocal`: on a draft
 * the team holds with other content, left-local.ts) is not pushed at all, so neither is refused.
 */
export async function requireRunsNotDatedAhead(source: PushSource, s: Session, serverNow: string, staysLocal: (run: Row) => boolean): Promise<void> {
  const after = new Date(Date.parse(serverNow) + CLOCK_SLACK_MS).toISOString();
  // A run that stays local (on a draft the team holds with other content) is not pushed: nothing to refuse.
  const dated = source.runsDatedAfter(after).filter((run) => !staysLocal(run)).map((run) => ({ run, at: String(run.ended_at ?? run.started_at) }));
  if (!dated.length) return;
  const there = new Map((await rows<Row>(s, 'SELECT id, ended_at FROM runs WHERE id = ANY($1)', [dated.map((d) => String(d.run.id))])).map((r) => [String(r.id), r.ended_at]));
  // Every run read is dated ahead (the query's bound): the first not already there as it is here.
  const ahead = dated.find((d) => !there.has(String(d.run.id)) || there.get(String(d.run.id)) !== d.run.ended_at);
  if (!ahead) return;
  const { run, at } = ahead;
  const minutes = Math.round((Date.parse(at) - Date.parse(serverNow)) / 60_000);
  throw new InputError({
    message: `run ${String(run.id)} (${String(run.prompt_id)}@${String(run.version)}, suite ${String(run.suite)}) is dated ${at}, ${minutes} min after the clock of the server of ${s.where} (${serverNow}); nothing was pushed`,
    why: "which run of a suite is newest decides its tested mark and the gates, and the team registry dates its runs by its server's clock: this run would count as newer than every run recorded there until then; it was recorded on a machine whose clock ran ahead",
    hint: `evaluate that version again with registry.url set to the team registry (its runs are then dated by the server), or push this registry once the server's clock has passed ${at}`,
  });
}
