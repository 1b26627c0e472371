import path from 'node:path';
import semver from 'semver';
import type { Problem } from '../core/errors.js';
import type { OptionNames } from '../core/option-names.js';
import { versionOfFileName } from '../core/refs.js';
import { parseModelRef } from '../core/model-ref.js';
import { isSuiteVariableValue } from '../core/control-chars.js';
import type { PromptrcConfig } from '../core/schemas/config.js';
import { EvalSet } from '../core/schemas/evalset.js';
import { PromptVersion } from '../core/schemas/prompt.js';
import { type Locate } from '../core/yaml-source.js';
import { validate } from '../core/schema-problems.js';
import { lintRefusedFileSchemas, rawSuiteSchemas, rawVersionSchemas } from '../core/lint/refused-file-schemas.js';
import type { SchemaEngine } from '../core/scoring/json-schema.js';
import { withDataset } from './datasets.js';
import { listDirs, listYaml } from './project-dirs.js';
import { openFileCache, type FileCache } from './file-cache.js';
import { controlCharProblem, findProjectRoot, loadProjectConfig } from './project-config.js';
import { folderSlugProblem, loadSuiteFiles, relPath, type DataRefusedSuite, type SuiteContent, type SuiteFile } from './suite-files.js';
import { lazySchemaEngine } from './schema-engine.js';
import { readValidatedFile } from './validated-file.js';
import { versionContentForms as promptCanonical } from '../core/sent-schemas.js';
import { fileProblem } from './yaml-file.js';

export { fileProblem } from './yaml-file.js';
export { CONFIG_FILE, findProjectRoot, listPromptFolders, loadConfig, loadProjectConfig, projectPathIn } from './project-config.js';
export type { SuiteDataset } from './datasets.js';
export type { DataRefusedSuite, SuiteFile } from './suite-files.js';

/**
 * Loads a user's project: finds the root (the nearest folder upwards holding .promptrc.yaml, as
 * git finds .git), then reads the config, every prompt version and every eval set. Problems are
 * collected for all files at once; `lint` shows them all and other commands refuse the files they need.
 */

export interface PromptFile {
  id: string;
  version: string;
  /** Path relative to the project root, with forward slashes. */
  file: string;
  data: PromptVersion;
  /**
   * SHA-256 of the canonical JSON of the file's data (its sent schemas in their own key order,
   * core/sent-schemas.ts): what the registry pins. For a version registered before 0.2.0 under its
   * `sortedHash`, that hash (infra/registered-form.ts).
   */
  hash: string;
  /** Canonical JSON of the file's data (as `hash` hashes it). */
  canonical: string;
  /** With a sent schema: the hash of the data with every key sorted, as registries before 0.2.0 hashed it (core/sent-schemas.ts). */
  sortedHash?: string;
  /**
   * Known by its `sortedHash`, as registered before 0.2.0 (infra/registered-form.ts): the key order
   * of its sent schemas was not recorded. Holds the file's own hash and canonical JSON.
   */
  orderUnrecorded?: { hash: string; canonical: string };
  locate: Locate;
}

export interface Project {
  root: string;
  /** The folder the command ran in (the project was found from it): printed commands name files from there (real-path.ts `fromCwdOf`). */
  cwd?: string;
  config: PromptrcConfig;
  configLocate: Locate;
  prompts: PromptFile[];
  suites: SuiteFile[];
  /** Suites refused because their `cases_from` data cannot be used: their problems are in `problems`. */
  dataRefused: DataRefusedSuite[];
  problems: Problem[];
  /** Loaded for these prompts only (`loadProject`'s `promptIds`): other prompts' files were not read. */
  only?: readonly string[];
}

/**
 * A refused file's problems, and its JSON schemas' (core/lint/refused-file-schemas.ts): lint's
 * schema rules see only files that load, and one run of lint lists every problem of a file.
 */
function withSchemaProblems(
  loaded: { data: unknown; locate: Locate },
  file: string,
  fileProblems: Problem[],
  schemasOf: (data: unknown) => ReturnType<typeof rawVersionSchemas>,
  engine: () => SchemaEngine,
): Problem[] {
  if (!fileProblems.length) return fileProblems;
  return [...fileProblems, ...lintRefusedFileSchemas({ file, data: loaded.data, locate: loaded.locate, problems: fileProblems }, schemasOf(loaded.data), engine)];
}

function loadPrompts(root: string, cache: FileCache, problems: Problem[], only?: string[], onlyVersion?: (id: string, version: string) => boolean): PromptFile[] {
  const out: PromptFile[] = [];
  const schemas = lazySchemaEngine();
  const base = path.join(root, 'prompts');
  for (const id of listDirs(root, 'prompts', problems).filter((d) => !only || only.includes(d))) {
    const seen = new Map<string, string>();
    const names = listYaml(root, `prompts/${id}`, problems);
    if (!names.length && !problems.some((p) => p.file.startsWith(`prompts/${id}/`))) {
      problems.push(fileProblem(`prompts/${id}`, `prompt folder has no version files (<semver>.yaml, e.g. 1.0.0.yaml): create one with \`promptctl new ${id}\`, or remove the folder`));
    }
    for (const name of names) {
      const abs = path.join(base, id, name);
      const file = relPath(root, abs);
      const slugProblem = folderSlugProblem(id, file);
      if (slugProblem) {
        problems.push(slugProblem);
        continue;
      }
      const version = name.replace(/\.ya?ml$/, '');
      if (versionOfFileName(name) === undefined) {
        // Build metadata (1.3.0+b1) is valid semver but orders like 1.3.0: two such files could not be told apart.
        const build = semver.valid(version) ? /\+(.*)$/.exec(version)?.[1] : undefined;
        const base = build === undefined ? undefined : version.slice(0, -build.length - 1);
        problems.push(
          fileProblem(
            file,
            build !== undefined
              ? `file name "${name}" has build metadata (+${build}), which semver ignores in ordering, so it would sort as ${base}: name it ${base}.yaml, or ${base}-${build}.yaml for a prerelease`
              : `file name "${name}" must be a semantic version such as 1.0.0.yaml`,
          ),
        );
        continue;
      }
      const twin = seen.get(version);
      if (twin) {
        problems.push(fileProblem(file, `version ${version} is also defined by ${twin}; keep one file per version`));
        continue;
      }
      seen.set(version, file);
      if (onlyVersion && !onlyVersion(id, version)) continue;
      const read = readValidatedFile(cache, 'prompt', abs, file, problems, (loaded) => {
        const v = validate(PromptVersion, loaded, file);
        const data = loaded.data as Record<string, unknown>;
        // An id or version unlike its folder or file name is said once, naming the name it must match.
        const mismatched = { id: typeof data.id === 'string' && data.id !== id, version: typeof data.version === 'string' && data.version !== version };
        const schemaProblems = v.problems.filter((p) => !(p.field === 'id' && mismatched.id) && !(p.field === 'version' && mismatched.version));
        const fileProblems = [...schemaProblems, ...controlCharProblem(loaded, file)];
        if (mismatched.id) {
          const p = loaded.locate(['id']);
          fileProblems.push(fileProblem(file, `id "${data.id}" does not match its folder "${id}"`, 'id', p.line, p.col));
        }
        if (mismatched.version) {
          const p = loaded.locate(['version']);
          fileProblems.push(fileProblem(file, `version "${data.version}" does not match its file name "${name}"`, 'version', p.line, p.col));
        }
        return { value: v.value, problems: withSchemaProblems(loaded, file, fileProblems, rawVersionSchemas, schemas) };
      }, { keepCanonical: true, canonicalize: promptCanonical });
      if (read) out.push({ id, version, file, data: read.value, hash: read.hash, canonical: read.canonical!, ...(read.sortedHash ? { sortedHash: read.sortedHash } : {}), locate: read.locate });
    }
  }
  return out;
}

/** A suite's own rules: the schema, its characters, and the prompt it names matching its folder. */
const suiteContent = (schemas: () => SchemaEngine): SuiteContent => ({
  validate(loaded, promptId, file) {
    const v = validate(EvalSet, loaded, file);
    const fileProblems = [...v.problems, ...controlCharProblem(loaded, file, isSuiteVariableValue)];
    const data = loaded.data as Record<string, unknown>;
    if (typeof data.prompt === 'string' && data.prompt !== promptId) {
      const p = loaded.locate(['prompt']);
      fileProblems.push(fileProblem(file, `prompt "${data.prompt}" does not match its folder "${promptId}"`, 'prompt', p.line, p.col));
    }
    return { value: v.value, problems: withSchemaProblems(loaded, file, fileProblems, rawSuiteSchemas, schemas) };
  },
  withDataset,
});

function loadSuites(root: string, cache: FileCache, problems: Problem[], only?: string[], dataRefused?: DataRefusedSuite[]): SuiteFile[] {
  return loadSuiteFiles(root, cache, problems, suiteContent(lazySchemaEngine()), only, dataRefused);
}

/**
 * The suites of some prompts, as `loadProject` reads them, for commands that read no version file
 * (`status`): a suite that does not load is left out, its problems in `problems` when given.
 */
export function loadSuitesOf(root: string, promptIds: string[], env?: Readonly<Record<string, string | undefined>>, problems: Problem[] = []): SuiteFile[] {
  return promptIds.length ? loadSuites(root, openFileCache(root, env), problems, promptIds) : [];
}

/**
 * The versions of some prompts, as `loadProject` reads them, for commands that read no suite
 * (`status`): a version that does not load is left out, its problems in `problems` when given.
 */
export function loadPromptsOf(root: string, versions: ReadonlyArray<{ id: string; version: string }>, env?: Readonly<Record<string, string | undefined>>, problems: Problem[] = []): PromptFile[] {
  if (!versions.length) return [];
  const wanted = new Set(versions.map((v) => `${v.id}@${v.version}`));
  return loadPrompts(root, openFileCache(root, env), problems, [...new Set(versions.map((v) => v.id))], (id, version) => wanted.has(`${id}@${version}`));
}

/**
 * Loads everything, or with `promptIds` only those prompts' versions and suites (commands about
 * one prompt need not parse a large project). Throws only when there is no project or its config
 * is unusable.
 */
export function loadProject(cwd: string, opts: { promptIds?: string[]; env?: Readonly<Record<string, string | undefined>>; optionNames?: OptionNames } = {}): Project {
  const root = findProjectRoot(cwd, opts.optionNames);
  const cache = openFileCache(root, opts.env);
  const { config, configLocate } = loadProjectConfig(root, { cache });
  const problems: Problem[] = [];
  const prompts = loadPrompts(root, cache, problems, opts.promptIds);
  const dataRefused: DataRefusedSuite[] = [];
  const suites = loadSuites(root, cache, problems, opts.promptIds, dataRefused);
  return { root, cwd: path.resolve(cwd), config, configLocate, prompts, suites, dataRefused, problems, ...(opts.promptIds ? { only: opts.promptIds } : {}) };
}

/**
 * The prompts these refs (`id`, `id@version`, `id@version:model`) name, as `loadProject`'s
 * `promptIds`: a command about named prompts reads no other prompt's files. Undefined (load every
 * prompt) when there are none or one does not parse, so that its error comes where it always came.
 */
export function promptIdsOfRefs(refs: readonly string[]): string[] | undefined {
  try {
    return refs.length ? [...new Set(refs.map((r) => parseModelRef(r).id))] : undefined;
  } catch {
    return undefined;
  }
}
