import path from 'node:path';
import type { Problem } from '../core/errors.js';
import type { EvalSet } from '../core/schemas/evalset.js';
import { Slug } from '../core/schemas/common.js';
import type { Locate } from '../core/yaml-source.js';
import { datasetPath, type SuiteDataset } from './datasets.js';
import { openFileCache, type FileCache } from './file-cache.js';
import { listDirs, listYaml } from './project-dirs.js';
import { readValidatedFile } from './validated-file.js';
import { fileProblem, type LoadedYaml } from './yaml-file.js';

/**
 * Finding a project's suites (`evalsets/<prompt>/<suite>.yaml`) and the rules on their paths. How a
 * suite's content is validated and its dataset read is passed in (project.ts): those need the suite
 * schema, which `cachedSuitesOf` does without when the file cache already holds every suite.
 */

export interface SuiteFile {
  promptId: string;
  name: string;
  file: string;
  /** `data.cases` holds the inline cases, then the rows of `cases_from` (from `dataset.firstCase`). */
  data: EvalSet;
  /** With `cases_from`: the suite file's and the dataset rows' content together. */
  hash: string;
  locate: Locate;
  dataset?: SuiteDataset;
}

/**
 * A suite whose file loaded but whose `cases_from` rows cannot be used (a bad row, the file gone):
 * refused, so not among the suites, but still what it covers and reads. ci needs both: a change
 * to that data file changes the suite, and a new version it covers is not a version with no suite.
 */
export interface DataRefusedSuite {
  promptId: string;
  name: string;
  file: string;
  /** Its `versions` range. */
  range: string;
  /** Project-relative `cases_from.file`. */
  dataFile: string;
}

/** What reading a suite needs beyond its path: its validation (cached per bytes) and its dataset. */
export interface SuiteContent {
  validate(loaded: LoadedYaml, promptId: string, file: string): { value?: EvalSet; problems: Problem[] };
  /** Appends the rows of `cases_from`; false (with problems) when they cannot be used. */
  withDataset(root: string, suite: SuiteFile, problems: Problem[], read: { bytes: number }): boolean;
}

export function relPath(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

export function folderSlugProblem(id: string, file: string): Problem | undefined {
  const r = Slug.safeParse(id);
  return r.success ? undefined : fileProblem(file, `folder name "${id}" is not a valid prompt id: ${r.error.issues[0]?.message}`);
}

/** The suites under `evalsets/` (with `only`, those of these prompts); problems go to `problems`, suites refused for their data to `dataRefused`. */
export function loadSuiteFiles(root: string, cache: FileCache, problems: Problem[], content: SuiteContent, only?: string[], dataRefused: DataRefusedSuite[] = []): SuiteFile[] {
  const out: SuiteFile[] = [];
  const base = path.join(root, 'evalsets');
  const datasetBytes = { bytes: 0 };
  for (const promptId of listDirs(root, 'evalsets', problems).filter((d) => !only || only.includes(d))) {
    const seen = new Map<string, string>();
    for (const name of listYaml(root, `evalsets/${promptId}`, problems)) {
      const abs = path.join(base, promptId, name);
      const file = relPath(root, abs);
      const slugProblem = folderSlugProblem(promptId, file);
      if (slugProblem) {
        problems.push(slugProblem);
        continue;
      }
      const suiteName = name.replace(/\.ya?ml$/, '');
      if (!Slug.safeParse(suiteName).success) {
        problems.push(fileProblem(file, `suite file name "${suiteName}" must be a lowercase slug`));
        continue;
      }
      const twin = seen.get(suiteName);
      if (twin) {
        problems.push(fileProblem(file, `suite "${suiteName}" is also defined by ${twin}; keep one file per suite`));
        continue;
      }
      seen.set(suiteName, file);
      const read = readValidatedFile(cache, 'suite', abs, file, problems, (loaded) => content.validate(loaded, promptId, file));
      if (!read) continue;
      const suite: SuiteFile = { promptId, name: suiteName, file, data: read.value, hash: read.hash, locate: read.locate };
      if (read.value.cases_from && !content.withDataset(root, suite, problems, datasetBytes)) {
        dataRefused.push({ promptId, name: suiteName, file, range: read.value.versions, dataFile: datasetPath(root, read.value.cases_from.file) });
        continue;
      }
      out.push(suite);
    }
  }
  return out;
}

/** Thrown by `cachedOnly` where a suite would need its schema: the caller loads them in full instead. */
class NotCached extends Error {}

const cachedOnly: SuiteContent = {
  validate: () => {
    throw new NotCached();
  },
  withDataset: () => {
    throw new NotCached();
  },
};

/**
 * The suites of these prompts as `loadSuiteFiles` reads them, taken from the file cache without
 * loading the suite schema (about 15 ms of start-up, which `status` would otherwise pay on every
 * run); undefined when any suite is not cached, has a dataset, or any path has a problem.
 */
export function cachedSuitesOf(root: string, promptIds: string[], env?: Readonly<Record<string, string | undefined>>): SuiteFile[] | undefined {
  if (!promptIds.length) return [];
  const problems: Problem[] = [];
  try {
    const suites = loadSuiteFiles(root, openFileCache(root, env), problems, cachedOnly, promptIds);
    return problems.length ? undefined : suites;
  } catch (e) {
    if (e instanceof NotCached) return undefined;
    throw e;
  }
}
