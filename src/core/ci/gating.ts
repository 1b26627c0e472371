import type { RunOutcome } from '../schemas/report.js';

/**
 * Which of ci's runs gate (the one rule; app/ci.ts decides with it, render/ci-gating.ts words it):
 * a candidate's own runs, except those on a matrix model (`server.models`) that no environment
 * would serve the version on. Such a run is exploratory: reported beside the others, and a failure
 * there fails no pull request, since no deploy ever serves that model. Deployed versions' runs
 * (`asDeployedIn`) and older versions a changed suite re-evaluates only inform.
 */

/** A candidate's run on a model no environment would serve it on. */
export interface NotServedRun {
  ref: string;
  model: string;
}

export function gatesRun(candidates: ReadonlySet<string>, notServed: readonly NotServedRun[] = []): (o: RunOutcome) => boolean {
  return (o) => {
    const ref = `${o.run.promptId}@${o.run.version}`;
    return candidates.has(ref) && o.asDeployedIn === undefined && !notServed.some((n) => n.ref === ref && n.model === o.run.model);
  };
}
