import type { PrivilegeJob } from '../types.js';
import { rows, type Session } from './session.js';

/**
 * What each job needs, by table: the grants of the role it is for (roles.ts). Asked before the job
 * writes anything, so that a role that may not do it (an application's reader deploying, a release
 * manager's deployer evaluating) is refused naming what it lacks, not part-way through a
 * transaction with the first table it happened to touch.
 * - eval: the evaluator's writes (runs, samples, the response cache, run leases).
 * - deploy (and promote): an event appended at the chain head, after reading the runs and samples
 *   the gates judge.
 * - rollback: an event appended at the chain head.
 * The evaluator's row-level security policy (no event about an environment, roles.ts) is not a
 * grant: the catalog tells whether it holds this role (a member of a role it is for, not exempt from
 * row-level security as the table's owner or a role with BYPASSRLS is), so a deploy or rollback by
 * the evaluator is refused here too, naming the policy, before its gates are judged.
 */
const JOB_PRIVILEGES: Record<PrivilegeJob, ReadonlyArray<readonly [table: string, privilege: string]>> = {
  eval: [
    ['runs', 'INSERT'],
    ['runs', 'UPDATE'],
    ['samples', 'INSERT'],
    ['response_cache', 'SELECT'],
    ['response_cache', 'INSERT'],
    ['run_leases', 'INSERT'],
  ],
  deploy: [
    ['events', 'INSERT'],
    ['chain_head', 'UPDATE'],
    ['runs', 'SELECT'],
    ['samples', 'SELECT'],
  ],
  rollback: [
    ['events', 'INSERT'],
    ['chain_head', 'UPDATE'],
  ],
};

/** The jobs that append an event about an environment, which the evaluator's policy refuses. */
const ENV_EVENT_JOBS: ReadonlySet<PrivilegeJob> = new Set(['deploy', 'rollback']);
const EVALUATOR_POLICY = 'evaluator_appends_no_deploys';

export async function missingPrivileges(s: Session, job: PrivilegeJob): Promise<string[]> {
  const wanted = JOB_PRIVILEGES[job];
  const found = await rows<{ ok: boolean }>(
    s,
    `SELECT has_table_privilege(format('%I.%I', $1::text, t), p) AS ok FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(t, p, i) ORDER BY i`,
    [s.schema, wanted.map(([t]) => t), wanted.map(([, p]) => p)],
  );
  const missing = wanted.flatMap(([table, privilege], i) => (found[i]?.ok ? [] : [`${privilege} on ${table}`]));
  if (ENV_EVENT_JOBS.has(job) && (await heldByEvaluatorPolicy(s))) missing.push(`the right to append events about an environment (row-level security policy "${EVALUATOR_POLICY}" holds this role to tested marks)`);
  return missing;
}

/** Whether the evaluator's policy applies to this session's role on the schema's events table (PostgreSQL's own rule for whom a policy holds). */
async function heldByEvaluatorPolicy(s: Session): Promise<boolean> {
  const [row] = await rows<{ held: boolean }>(
    s,
    `SELECT EXISTS (
       SELECT 1 FROM pg_policy p
       JOIN pg_class c ON c.oid = p.polrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_roles me ON me.rolname = current_user
       WHERE n.nspname = $1 AND c.relname = 'events' AND p.polname = $2 AND c.relrowsecurity
         AND NOT me.rolsuper AND NOT me.rolbypassrls
         AND (c.relforcerowsecurity OR NOT pg_has_role(current_user, c.relowner, 'USAGE'))
         AND (0::oid = ANY (p.polroles) OR EXISTS (SELECT 1 FROM unnest(p.polroles) r WHERE pg_has_role(current_user, r, 'USAGE')))
     ) AS held`,
    [s.schema, EVALUATOR_POLICY],
  );
  return row?.held === true;
}
