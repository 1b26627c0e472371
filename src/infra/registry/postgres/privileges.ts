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
 * The evaluator's row-level security policy (no event about an environment) is not a grant: a
 * deploy by the evaluator is refused by the server naming the policy.
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

export async function missingPrivileges(s: Session, job: PrivilegeJob): Promise<string[]> {
  const wanted = JOB_PRIVILEGES[job];
  const found = await rows<{ ok: boolean }>(
    s,
    `SELECT has_table_privilege(format('%I.%I', $1::text, t), p) AS ok FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(t, p, i) ORDER BY i`,
    [s.schema, wanted.map(([t]) => t), wanted.map(([, p]) => p)],
  );
  return wanted.flatMap(([table, privilege], i) => (found[i]?.ok ? [] : [`${privilege} on ${table}`]));
}
