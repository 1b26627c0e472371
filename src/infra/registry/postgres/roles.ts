/**
 * `promptctl registry roles`: the SQL of three least-privilege roles on a registry schema, for the
 * schema owner to run after `promptctl registry migrate` (and again after each later migrate, so
 * new tables get their grants: every statement can run twice).
 *
 * - reader (applications: get, export, the library): versions and the audit log, nothing else. No
 *   runs, no samples (raw model outputs may hold personal data), no secrets (the canary key).
 * - evaluator (CI): runs, samples, the response cache, versions, and the events about no
 *   environment (tested/untested marks, supersessions). Row-level security on `events` refuses it
 *   any row with an environment (deploy, rollback, override): a RESTRICTIVE policy for its members.
 * - deployer (release managers): reads what the gates read and appends any event; writes no runs,
 *   samples or cache, and reads no secrets.
 *
 * A released version's row (an event named an environment for it) is UPDATEd by no role: only a
 * draft's content may be replaced (row-level security, like the evaluator's events).
 *
 * Only the owner creates or alters the schema: none of the roles may CREATE in it.
 */

export interface RoleNames {
  reader: string;
  evaluator: string;
  deployer: string;
}

/** The prefix `registry roles` names the roles with unless told another (`promptctl_reader`, ...). */
export const DEFAULT_ROLE_PREFIX = 'promptctl_';

export function roleNames(prefix: string): RoleNames {
  return { reader: `${prefix}reader`, evaluator: `${prefix}evaluator`, deployer: `${prefix}deployer` };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function rolesSql(schema: string, names: RoleNames): string {
  const s = ident(schema);
  const t = (...tables: string[]) => tables.map((table) => `${s}.${table}`).join(', ');
  const [reader, evaluator, deployer] = [names.reader, names.evaluator, names.deployer].map(ident);
  const create = [names.reader, names.evaluator, names.deployer]
    .map((n) => `  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(n)}) THEN CREATE ROLE ${ident(n)} NOLOGIN; END IF;`)
    .join('\n');
  return `-- Least-privilege roles for the promptctl registry in schema ${s}.
-- Run as the schema owner (who runs \`promptctl registry migrate\`), after migrating, and again after
-- each later migrate. Then give each person or service a login role in one of them, e.g.
--   CREATE ROLE support_app LOGIN PASSWORD '...' IN ROLE ${reader};
BEGIN;
DO $roles$ BEGIN
${create}
END $roles$;
GRANT USAGE ON SCHEMA ${s} TO ${reader}, ${evaluator}, ${deployer};

-- reader (applications: get, export, the library): versions and the audit log only; no runs,
-- no samples (raw outputs may hold personal data), no secrets (the canary key).
GRANT SELECT ON ${t('schema_migrations', 'prompt_versions', 'events', 'chain_head')} TO ${reader};

-- evaluator (CI): versions, runs, samples, the response cache, tested marks (events about no
-- environment). Never deploy, rollback or override events: see the policy below.
GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${evaluator};
GRANT INSERT, UPDATE ON ${t('prompt_versions', 'runs', 'samples', 'response_cache', 'chain_head')} TO ${evaluator};
GRANT INSERT ON ${t('superseded_versions', 'secrets', 'events')} TO ${evaluator};
GRANT INSERT, UPDATE, DELETE ON ${t('run_leases')} TO ${evaluator};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${evaluator};

-- deployer (release managers): reads what the gates read, registers versions, appends events.
-- Deploying a draft makes the file's content its registered one (another branch may have evaluated
-- another draft since), keeping the earlier content: hence UPDATE and superseded_versions.
GRANT SELECT ON ${t('schema_migrations', 'prompt_versions', 'superseded_versions', 'runs', 'samples', 'events', 'chain_head')} TO ${deployer};
GRANT INSERT ON ${t('prompt_versions', 'superseded_versions', 'events')} TO ${deployer};
GRANT UPDATE ON ${t('prompt_versions')} TO ${deployer};
GRANT INSERT, UPDATE ON ${t('chain_head')} TO ${deployer};

-- Row-level security on events: every role reads and appends as its table grants allow, except
-- that the evaluator's members may append only events about no environment (env = '').
ALTER TABLE ${s}.events ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS events_by_grants ON ${s}.events;
CREATE POLICY events_by_grants ON ${s}.events USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS evaluator_appends_no_deploys ON ${s}.events;
CREATE POLICY evaluator_appends_no_deploys ON ${s}.events AS RESTRICTIVE FOR INSERT TO ${evaluator} WITH CHECK (env = '');

-- Row-level security on prompt_versions: a draft's content may be replaced (UPDATE, above), a
-- released version's never: once an event named an environment for it, no role's UPDATE reaches
-- its row (the owner's, for a repair, still does).
ALTER TABLE ${s}.prompt_versions ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS versions_by_grants ON ${s}.prompt_versions;
CREATE POLICY versions_by_grants ON ${s}.prompt_versions USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS released_versions_stay ON ${s}.prompt_versions;
CREATE POLICY released_versions_stay ON ${s}.prompt_versions AS RESTRICTIVE FOR UPDATE TO ${evaluator}, ${deployer}
  USING (NOT EXISTS (SELECT 1 FROM ${s}.events e WHERE e.prompt_id = prompt_versions.prompt_id AND e.version = prompt_versions.version AND e.env <> ''));
COMMIT;
`;
}
