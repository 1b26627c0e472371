/** What ci reads beside its plan: the project's shape, the diffs of new versions, where deleted versions are active. */
import { versionContentForms } from '../core/sent-schemas.js';
import { ownForm } from '../infra/registered-form.js';
import type { ActiveIn, TestedOn } from '../core/ci/checks.js';
import { suiteOfFile } from '../core/gone-suites.js';
import { suitesHereIn } from '../infra/gone-suites.js';
import { versionRefOfFile, type ChangeInput, type CiPlan, type ProjectShape } from '../core/ci/plan.js';
import { canonicalHash } from '../core/canonical.js';
import { editedAt } from '../core/version-state.js';
import type { CiResult } from '../core/ci/result.js';
import type { NotServedRun } from '../core/ci/gating.js';
import type { EvalReport } from '../core/schemas/report.js';
import { fileModelIn } from '../infra/environment-model.js';
import { parsePromptRef, sortVersionsDesc, type ProjectFiles } from '../core/refs.js';
import { activeDeployments, activeVersion } from '../infra/deployments.js';
import { unsignedProblem } from '../infra/signing.js';
import type { Registry } from '../infra/registry/types.js';
import { filesAtBase, type ResolvedBase } from '../infra/git-base.js';
import { fileAtBaseByName } from '../infra/base-file.js';
import { parseYamlText } from '../infra/yaml-text.js';
import { CONFIG_FILE, PromptrcConfig } from '../core/schemas/config.js';
import { withoutTrustSettings } from '../core/ci/trust-settings.js';
import { readYaml, UNREADABLE_RULE } from '../infra/yaml-file.js';
import { rowsDigest } from '../infra/dataset-read.js';
import { join } from 'node:path';
import type { Project } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { registryFileAbsent } from '../infra/registry-path.js';
import type { RegistryAccess } from '../infra/registry-access.js';
import { comparableText } from './diff.js';
import { groupBy } from '../core/group.js';
import { canonicalOfText } from './versions-at-base.js';

/**
 * The project as ci's planner sees it: versions per prompt, suites with their ranges and dataset
 * files. Suites refused for their data are in it too: a change to (or the loss of) that file is
 * a change to them, and lint then reports why they cannot be used.
 */
export function shapeOf(project: Project): ProjectShape {
  const versions = groupBy(project.prompts, (p) => p.id, (p) => p.version);
  const loaded = project.suites.map((s) => ({ promptId: s.promptId, name: s.name, file: s.file, range: s.data.versions, ...(s.dataset ? { dataFile: s.dataset.file } : {}) }));
  return { versions, suites: [...loaded, ...project.dataRefused], retiredSuites: project.config.retired_suites };
}

/** The files ci reads beside the layout folders, whose links it must follow too: the config and the suites' data files. */
export function linkedFiles(project: Project): string[] {
  // Version and suite files too: one may itself be a link (`prompts/x/1.0.0.yaml -> ../../shared/…`).
  const shape = shapeOf(project);
  return [CONFIG_FILE, ...project.prompts.map((p) => p.file), ...shape.suites.flatMap((s) => [s.file, ...(s.dataFile ? [s.dataFile] : [])])];
}

/** The new version against the one before it (the next lower semver in the tree). */
export function diffsFor(project: Project, refs: string[], createTwoFilesPatch: typeof import('diff').createTwoFilesPatch): CiResult['diffs'] {
  const defaults = { model: project.config.server.model, ...project.config.defaults };
  return refs.map((text) => {
    const ref = parsePromptRef(text);
    const file = project.prompts.find((p) => p.id === ref.id && p.version === ref.version)!;
    const ordered = sortVersionsDesc(project.prompts.filter((p) => p.id === ref.id).map((p) => p.version));
    const lower = ordered[ordered.indexOf(ref.version!) + 1];
    const before = lower ? project.prompts.find((p) => p.id === ref.id && p.version === lower)! : undefined;
    const patch = createTwoFilesPatch(before?.file ?? '/dev/null', file.file, before ? comparableText(before.data, defaults) : '', comparableText(file.data, defaults), lower ?? '', ref.version!, { context: 3 });
    return { ref: text, against: lower ?? null, patch };
  });
}

/**
 * What the registry says of the files a change deletes: where each deleted version is active now
 * (`activeIn`), and which active versions were tested on each deleted suite (`testedOn`: the
 * version an environment's newest event names, whose tested mark of that content names the suite).
 * A suite `retired_suites` lists, or still there under its other name (`.yaml` renamed `.yml`), is
 * not asked about. The registry is opened only when there is something to ask. With no registry
 * file (a fresh checkout, an evicted CI cache) nothing can be asked: `unchecked` names what was not,
 * since an empty registry would answer "active nowhere" and both checks would pass unsaid.
 */
export async function deletionFacts(project: Project, { env, clock }: RegistryAccess, plan: CiPlan): Promise<{ activeIn: ActiveIn; testedOn: TestedOn; unchecked?: NonNullable<CiResult['deletionsUnchecked']> }> {
  const activeIn: ActiveIn = new Map();
  const testedOn: TestedOn = new Map();
  const suites = plan.deleted.filter((d) => d.kind === 'suite' && !d.retired && !suiteStillThere(project, d.file));
  if (!plan.deletedVersions.length && !suites.length) return { activeIn, testedOn };
  if (registryFileAbsent(project, env)) return { activeIn, testedOn, unchecked: { registry: project.config.registry.path, versions: plan.deletedVersions, suites: suites.map((d) => d.file) } };
  const reader = openProjectRegistry(project, { readonly: true, env, clock });
  try {
    for (const ref of plan.deletedVersions) {
      const { id, version } = parsePromptRef(ref);
      const envs: string[] = [];
      for (const { name: env } of project.config.environments) if ((await activeVersion(reader, id, env)) === version) envs.push(env);
      activeIn.set(ref, envs);
    }
    for (const d of suites) testedOn.set(d.file, await activeTestedOn(reader, project, suiteOfFile(d.file)!));
  } finally {
    await reader.close();
  }
  return { activeIn, testedOn };
}

/**
 * Where the prompts with nothing deployed in the baseline environment run instead: the configured
 * environments, in their order, whose newest event leaves a version of one of them active. Empty
 * with no registry file, or when none is deployed anywhere: then the deploy history is what is
 * missing, not a deploy to the baseline (an environment the pull request adds, say).
 */
export async function deployedElsewhere(project: Project, { env, clock }: RegistryAccess, promptIds: string[], baseline: string): Promise<string[]> {
  const names = project.config.environments.map((e) => e.name).filter((n) => n !== baseline);
  if (!promptIds.length || !names.length || registryFileAbsent(project, env)) return [];
  const reader = openProjectRegistry(project, { readonly: true, env, clock });
  try {
    const active = await activeDeployments(reader, names.flatMap((e) => promptIds.map((promptId) => ({ promptId, env: e }))));
    return names.filter((_, i) => active.slice(i * promptIds.length, (i + 1) * promptIds.length).some((e) => e?.version));
  } finally {
    await reader.close();
  }
}

function suiteStillThere(project: Project, file: string): boolean {
  const { promptId, suite } = suiteOfFile(file)!;
  return suitesHereIn(project, promptId).here.has(suite);
}

/** The versions active in an environment whose tested mark (of the content deployed, as the gates count marks) names the suite. */
async function activeTestedOn(reader: Registry, project: Project, { promptId, suite }: { promptId: string; suite: string }): Promise<Array<{ ref: string; envs: string[] }>> {
  const names = project.config.environments.map((e) => e.name);
  const active = await activeDeployments(reader, names.map((env) => ({ promptId, env })));
  const marks = (await reader.listTestedMarks(promptId)).filter((m) => !(m.event && unsignedProblem(m.event, project.config.signing)) && m.suites.some((s) => s.suite === suite));
  const out = new Map<string, string[]>();
  active.forEach((e, i) => {
    if (!e?.version || !marks.some((m) => m.version === e.version && (e.contentHash === undefined || m.contentHash === e.contentHash))) return;
    out.set(e.version, [...(out.get(e.version) ?? []), names[i]!]);
  });
  return [...out].map(([version, envs]) => ({ ref: `${promptId}@${version}`, envs }));
}

/** The files of the evaluated prompts' versions and suites, named as loaded (a `.yml` stays `.yml`). */
export function filesFor(project: Project, plan: CiPlan): ProjectFiles {
  const ids = new Set(plan.evaluate.map((e) => parsePromptRef(e.ref).id));
  const files: ProjectFiles = { versions: {}, suites: {} };
  for (const p of project.prompts) if (ids.has(p.id)) files.versions[`${p.id}@${p.version}`] = p.file;
  for (const s of project.suites) if (ids.has(s.promptId)) files.suites[`${s.promptId}/${s.name}`] = s.file;
  return files;
}

/**
 * Marks the modified version, suite and config files whose content is the base's (`sameContent`):
 * the data the registry hashes, so a comment or formatting change is judged as lint and deploy judge
 * it, and re-runs nothing. A file that does not load, or whose base text does not parse, counts as
 * edited. A renamed version or suite (`byVersion`) is compared with the base's file under its old
 * name. The base's config is the text the trust check read (`baseConfigOf`: under its own name, the
 * base's links), not read again. A suite's `cases_from` file is compared by its rows, as the suite
 * hashes them (`rowsDigest`: a CRLF file holds the LF file's rows), for every suite that reads it.
 */
export function withSameContent(project: Project, base: ResolvedBase, changes: ChangeInput[], baseConfigText?: string): ChangeInput[] {
  const versions = new Map(project.prompts.map((p) => [p.file, p]));
  const loaded = new Map<string, string | (() => string | undefined)>(project.prompts.map((p) => [p.file, ownForm(p).hash]));
  // A suite with `cases_from` hashes its rows too; the suite file is compared alone, since a change
  // of its data file is a change of its own that re-runs the suite (core/ci/plan.ts).
  for (const s of project.suites) loaded.set(s.file, s.dataset ? () => fileHashNow(project, s.file) : s.hash);
  const config = configHashNow(project);
  if (config !== undefined) loaded.set(CONFIG_FILE, config);
  const unreadable = new Set(project.problems.filter((p) => p.rule === UNREADABLE_RULE).map((p) => p.file));
  const compared = (file: string) => versionRefOfFile(file) !== undefined || file === CONFIG_FILE || suiteOfFile(file) !== undefined;
  const readers = (file: string) => project.suites.flatMap((s) => (s.dataset?.file === file && s.data.cases_from ? [s.data.cases_from] : []));
  const modified = changes.filter((c) => c.status === 'modified' && ((compared(c.file) && loaded.has(c.file)) || readers(c.file).length)).map((c) => c.from ?? c.file);
  const before = filesAtBase(project.root, base, modified.filter((f) => f !== CONFIG_FILE));
  if (baseConfigText !== undefined) before.set(CONFIG_FILE, baseConfigText);
  return changes.map((c) => {
    if (c.status === 'modified' && unreadable.has(c.file)) return { ...c, unreadable: true };
    const text = c.status === 'modified' ? before.get(c.from ?? c.file) : undefined;
    if (text === undefined) return c;
    const specs = readers(c.file);
    if (specs.length) {
      // The base's text as git's answers are decoded (filesAtBase): a file not UTF-8 there reads changed.
      const sameRows = (spec: (typeof specs)[number]) => {
        const was = rowsDigest(Buffer.from(text), spec, c.file);
        return was !== undefined && was === rowsDigest(join(project.root, c.file), spec, c.file);
      };
      return specs.every(sameRows) ? { ...c, sameContent: true } : c;
    }
    const read = canonicalOfText(text, c.file, c.file === CONFIG_FILE ? withoutTrustSettings : undefined, versions.has(c.file) ? versionContentForms : undefined);
    const canonical = read?.canonical;
    const now = loaded.get(c.file);
    if (read !== undefined && read.hash === (typeof now === 'function' ? now() : now)) return { ...c, sameContent: true };
    // An edited version: located where lint locates an edit of a released one.
    const version = versions.get(c.file);
    return version ? { ...c, editedAt: editedAt(canonical, ownForm(version).canonical, version.locate) } : c;
  });
}

/**
 * The hash of a project file's data as it reads now (the loader's parse, after `shape`), or
 * undefined when it does not load: a parse problem, or a value canonical JSON refuses.
 */
function fileHashNow(project: Project, file: string, shape: (data: unknown) => unknown = (data) => data): string | undefined {
  const parsed = readYaml(join(project.root, file), file);
  try {
    return parsed.problems.length ? undefined : canonicalHash(shape(parsed.data));
  } catch {
    return undefined;
  }
}

/**
 * The hash of what `.promptrc.yaml` says now, read as written (defaults not filled in), without its
 * trust settings: its comments and formatting are not its content, so editing only them
 * re-evaluates nothing (lint still reads it); a change of trust settings alone re-evaluates nothing
 * either (`app/ci-trust.ts` tells it apart).
 */
const configHashNow = (project: Project): string | undefined => fileHashNow(project, CONFIG_FILE, withoutTrustSettings);

/**
 * The base's `.promptrc.yaml`, read under its own name on the base (its links followed there, not
 * the checkout's), for the trust settings (core/ci/trust-settings.ts) and the changes ci lists.
 * Not `present` when the base has none (a project's first pull request: nothing to keep); present
 * without `config` when it has one that cannot be read or is not valid, which ci then cannot
 * compare: every trust setting counts as changed.
 */
export function baseConfigOf(project: Project, base: Pick<ResolvedBase, 'from' | 'top'>): { present: boolean; text?: string; config?: PromptrcConfig } {
  const file = fileAtBaseByName(base.top, project.root, base.from, CONFIG_FILE);
  if (!file.present) return { present: false };
  const parsed = file.text === undefined ? undefined : parseYamlText(file.text, CONFIG_FILE);
  const config = parsed && !parsed.problems.length ? PromptrcConfig.safeParse(parsed.data) : undefined;
  return { present: true, ...(file.text === undefined ? {} : { text: file.text }), ...(config?.success ? { config: config.data } : {}) };
}

/**
 * Candidates' runs on a matrix model (`server.models`) that no configured environment would serve
 * the version on (its pin, else each environment's model or the project's): no deploy serves it
 * there, so those runs are reported and not gated. Without a matrix, every run is on a served model.
 */
export function notServedRuns(project: Project, report: EvalReport | undefined, candidates: ReadonlySet<string>): NotServedRun[] {
  if (!report?.matrix) return [];
  const out: NotServedRun[] = [];
  for (const o of report.runs) {
    const ref = `${o.run.promptId}@${o.run.version}`;
    const file = project.prompts.find((p) => p.id === o.run.promptId && p.version === o.run.version);
    if (!candidates.has(ref) || !file || o.asDeployedIn !== undefined || out.some((n) => n.ref === ref && n.model === o.run.model)) continue;
    const served = project.config.environments.map((e) => fileModelIn(project, file, e.name));
    if (!served.includes(o.run.model)) out.push({ ref, model: o.run.model });
  }
  return out;
}
