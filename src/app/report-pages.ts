import { z } from 'zod';
import type { CaseOutcome } from '../core/schemas/report.js';
import { pagedRunFromRegistry, type PagedRun } from '../infra/eval/report-pages.js';
import { loadProject } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { caseInputsLookup, withCaseInputs } from './report-inputs.js';
import { openExistingRegistry, sourcesOf, titleFor, type ReportSources } from './report.js';
import { selectReportedRuns } from './report-runs.js';
import { suiteSpec } from './report-sources.js';

/**
 * `promptctl report [<run-id> | <invocation-id>]` for runs of any size: the same sources as
 * `reportSources`, except that the outcomes carry no cases. Each run is judged from the registry's
 * tally (`runs`), and `pages()` reads its cases back a page at a time, with their inputs, so the
 * report is written while a page at most is held. `close()` releases the registry.
 */
export interface PagedReportSources extends ReportSources {
  runs: PagedRun[];
  pages(): AsyncGenerator<{ run: number; cases: CaseOutcome[] }>;
  close(): Promise<void>;
}

export async function pagedReportSources(opts: { ref?: string } & AppOptions): Promise<PagedReportSources> {
  parseOptions('pagedReportSources', z.object({ ref: z.string().optional() }), opts);
  const project = loadProject(opts.cwd, { env: appContext(opts).env, optionNames: appContext(opts).optionNames });
  await withRegisteredForms(project, { env: appContext(opts).env, clock: appContext(opts).clock, signal: appContext(opts).signal });
  const registry = openExistingRegistry(project, appContext(opts));
  try {
    const notes: string[] = [];
    const runs: PagedRun[] = [];
    for (const r of await selectReportedRuns(registry, project, opts.ref)) {
      const suite = project.suites.find((s) => s.promptId === r.promptId && s.name === r.suite && s.hash === r.suiteHash);
      runs.push(await pagedRunFromRegistry(registry, r, suite ? suiteSpec(suite) : undefined, notes));
    }
    const outcomes = runs.map((p) => ({ run: p.run, threshold: p.threshold, cases: [] }));
    const sources = await sourcesOf(opts, project, outcomes, { title: titleFor(outcomes, 'eval report'), notes });
    const inputs = caseInputsLookup(project);
    return {
      ...sources,
      runs,
      async *pages() {
        for (const [i, p] of runs.entries()) {
          for await (const cases of p.pages()) yield { run: i, cases: withCaseInputs([{ ...outcomes[i]!, cases }], inputs)[0]!.cases };
        }
      },
      close: () => registry.close(),
    };
  } catch (error) {
    await registry.close();
    throw error;
  }
}
