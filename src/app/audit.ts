import { z } from 'zod';
import { formatAnchor } from '../core/audit-chain.js';
import { InputError, UnavailableError } from '../core/errors.js';
import { optionWithValue, type OptionNames } from '../core/option-names.js';

export { formatAnchor };
import { loadProjectConfig } from '../infra/project-config.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { RegistryAccess } from '../infra/registry-access.js';
import { requireRegistryIntegrity } from '../infra/registry-integrity.js';
import type { AnchoredHead, ChainVerdict, Registry } from '../infra/registry/types.js';
import type { CiResult } from '../core/ci/result.js';
import { REGISTRY_URL_ENV, type RegistryTarget } from '../infra/registry/target.js';
import { projectRegistryTarget } from '../infra/registry-path.js';
import { verifyRecords, type VerifyClocks } from '../infra/registry/verify-records.js';
import { appContext, type AppOptions, type Env } from './context.js';
import { NoOptions, parseOptions } from './options.js';

/**
 * `audit verify` and `audit head`. verify recomputes the hash chain and checks what the events
 * point at (content hashes, the samples behind tested marks); a break is a result (`ok: false`,
 * exit code 1), not an error: a script reads it like any verdict. `--since <seq>:<hash>` (a head
 * printed earlier by `audit head`, kept outside the registry) also proves that today's log extends
 * that head: a log truncated and rebuilt, or rewritten with every hash recomputed, does not.
 */
export type AuditVerifyResult = ChainVerdict & { exitCode: number; since?: AnchoredHead };

export const AuditVerifyOptions = z.object({
  /** An anchored head, `<seq>:<sha256 hex>` as `audit head` prints it. */
  since: z.string().optional(),
});
export type AuditVerifyOptions = z.input<typeof AuditVerifyOptions>;

export async function auditVerify(opts: AuditVerifyOptions & AppOptions): Promise<AuditVerifyResult> {
  const { since } = parseOptions('auditVerify', AuditVerifyOptions, opts);
  const c = appContext(opts);
  const anchor = since === undefined ? undefined : parseAnchor(since, c.optionNames);
  const project = loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames });
  const { registry, target } = openExisting(project, c);
  try {
    // The anchored event is read in the snapshot verified: one appended since would pass unverified.
    return await registry.readSnapshot(async (snapshot) => verifyAgainst(snapshot, anchor, project, target, await clocksOf(target, c, snapshot)));
  } finally {
    await registry.close();
  }
}

/** `audit verify` on one snapshot: the verdict and, with --since, whether the log extends the anchor. */
async function verifyAgainst(registry: Registry, anchor: { seq: number; hash: string } | undefined, project: Parameters<typeof openExisting>[0], target: RegistryTarget, clocks: VerifyClocks): Promise<AuditVerifyResult> {
  const verdict = await verifyRecords(registry, project.config.signing, clocks);
  if (verdict.ok && verdict.events === 0) throw emptyLog(target);
  if (!verdict.ok || !anchor) return { ...verdict, exitCode: verdict.ok ? 0 : 1 };
  const [at] = await registry.eventsAt([anchor.seq]);
  const since = { ...anchor, at: at?.at ?? null };
  if (!at) return { ok: false, events: verdict.events, broken: { seq: anchor.seq, kind: 'chain', problem: `the anchored head is event ${anchor.seq}, but the log has only ${verdict.events} events: it was truncated (and perhaps rebuilt) since` }, since, exitCode: 1 };
  if (at.hash !== anchor.hash) {
    // In full: two hashes that differ only past a prefix would look the same, and a mistyped anchor reads like a rewrite.
    const problem = `event ${anchor.seq}: its hash is sha256:${at.hash}, not the anchored sha256:${anchor.hash}: the log up to the anchor was rewritten since, or the anchor was copied wrong (compare it with where it was kept)`;
    return { ok: false, events: verdict.events, broken: { seq: anchor.seq, kind: 'chain', problem }, since, exitCode: 1 };
  }
  return { ...verdict, since, exitCode: 0 };
}

/**
 * The head to print in a summary (ci) so it is anchored outside the registry, by `audit head`'s
 * rule: the head of a log that verifies (`auditHead`), or why there is none (`auditUnverified`: it
 * does not verify, or the file is damaged), so ci never tells CI to keep the head of a broken log.
 * Neither when there is no log yet, or it cannot be read (the summary is still written; `audit
 * verify` says why).
 */
export async function currentAnchor(cwd: string, access: RegistryAccess): Promise<Pick<CiResult, 'auditHead' | 'auditUnverified'>> {
  try {
    const project = loadProjectConfig(cwd, { env: access.env });
    const target = projectRegistryTarget(project, access.env);
    const damaged = target.backend === 'sqlite' ? damageOf(project) : undefined;
    if (damaged) return { auditUnverified: { message: `no head anchored: ${damaged.message}`, why: damaged.why ?? '', hint: damaged.hint ?? '' } };
    const registry = openProjectRegistry(project, { readonly: true, mustExist: true, ...access });
    try {
      const { head, broken } = await registry.readSnapshot((snapshot) => verifiedHead(snapshot, project, target, access));
      if (broken) {
        const e = brokenLog(broken);
        return { auditUnverified: { message: e.message, why: e.why ?? '', hint: e.hint ?? '' } };
      }
      return head ? { auditHead: formatAnchor(head) } : {};
    } finally {
      await registry.close();
    }
  } catch {
    return {};
  }
}

/** SQLite's integrity_check as `audit head` makes it: the refusal of a damaged file, or undefined. */
function damageOf(project: Parameters<typeof requireRegistryIntegrity>[0]): UnavailableError | undefined {
  try {
    requireRegistryIntegrity(project);
    return undefined;
  } catch (e) {
    if (e instanceof UnavailableError) return e;
    throw e;
  }
}

/** `audit head`: the current head to anchor outside the registry (a CI artifact, a release note). */
export async function auditHead(opts: AppOptions): Promise<AnchoredHead> {
  parseOptions('auditHead', NoOptions, opts);
  const c = appContext(opts);
  const project = loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames });
  const { registry, target } = openExisting(project, c);
  try {
    return await registry.readSnapshot(async (snapshot) => {
      const { head, broken } = await verifiedHead(snapshot, project, target, c);
      if (!head) throw emptyLog(target, 'there is no head to anchor');
      if (broken) throw brokenLog(broken);
      return head;
    });
  } finally {
    await registry.close();
  }
}

/**
 * The head and its verification in one snapshot, so the head given is the one verified (no
 * verification without a head). An anchor vouches for the log up to it: one taken from a log that
 * does not verify would make a later `audit verify --since` prove only that nothing changed since the damage.
 */
async function verifiedHead(snapshot: Registry, project: Parameters<typeof openExisting>[0], target: RegistryTarget, c: RegistryAccess): Promise<{ head: AnchoredHead | null; broken?: NonNullable<ChainVerdict['broken']> }> {
  const head = await snapshot.chainHead();
  if (!head) return { head };
  const verdict = await verifyRecords(snapshot, project.config.signing, await clocksOf(target, c, snapshot));
  return !verdict.ok && verdict.broken ? { head, broken: verdict.broken } : { head };
}

function brokenLog(broken: NonNullable<ChainVerdict['broken']>): UnavailableError {
  return new UnavailableError({
    message: `no head anchored: the audit log does not verify${broken.seq > 0 ? ` at event #${broken.seq}` : ''}`,
    why: broken.problem,
    hint: 'run `promptctl audit verify` for the whole verdict, and restore the registry from a backup (or retire the key, if a key is what breaks) before anchoring a head',
  });
}

function parseAnchor(text: string, names: OptionNames): { seq: number; hash: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) {
    throw new InputError({
      message: `${optionWithValue(names, 'since', text, `"${text}"`)} is not an anchored head`,
      why: 'an anchored head is the sequence number and the hash of an event, as `promptctl audit head` prints them.',
      hint: `pass it as printed, e.g. ${optionWithValue(names, 'since', '42:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')}`,
    });
  }
  return { seq: Number(m[1]), hash: m[2]! };
}

/**
 * The times verify compares event dates with: this machine's and, on a team registry, its server's
 * (read once), which dated every event there, so a machine whose clock is wrong blames its clock,
 * not the events.
 */
async function clocksOf(target: RegistryTarget, c: { clock: { date(): Date }; env: Env }, registry: Registry): Promise<VerifyClocks> {
  const local = c.clock.date().toISOString();
  return target.backend === 'postgres' ? { local, server: await registry.time() } : { local };
}

/**
 * The registry as it is, and which one it is: a missing SQLite file is exit 2 (never an empty log
 * that verifies), a damaged one exit 3. A team registry on PostgreSQL is the only one checked: a
 * local file left from before `registry push`, and registry.path, are not what it verifies.
 */
function openExisting(project: Parameters<typeof openProjectRegistry>[0], { env, clock }: RegistryAccess): { registry: Registry; target: RegistryTarget } {
  const target = projectRegistryTarget(project, env);
  // SQLite's integrity_check first: a chain read from a damaged file proves nothing (exit 3).
  if (target.backend === 'sqlite') requireRegistryIntegrity(project);
  return { registry: openProjectRegistry(project, { readonly: true, mustExist: true, env, clock }), target };
}

/** An empty log, named by the registry read and the settings that chose it. */
function emptyLog(target: RegistryTarget, what = 'there is nothing to verify'): InputError {
  const team = target.backend === 'postgres';
  return new InputError({
    message: `the registry at ${team ? `${target.pg.display} (schema ${target.pg.schema})` : target.path} has no audit events yet: ${what}`,
    why: 'an empty log proves nothing; it is not reported as intact.',
    hint: `deploy or evaluate something first; if events were expected, check ${team ? `${REGISTRY_URL_ENV} (which wins) or registry.url in .promptrc.yaml, and registry.schema` : 'registry.path in .promptrc.yaml'}.`,
  });
}
