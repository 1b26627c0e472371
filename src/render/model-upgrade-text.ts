import type { CiResult, ModelUpgrade } from '../core/ci/result.js';

/** How ci words a model upgrade it judged: the same version on the old and the new model, case by case. */

function counts(u: ModelUpgrade): string {
  const c = u.changes;
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  return `${total} case(s): ${c.regression} regressed, ${c.fix} fixed, ${c.changed} changed verdict, ${c['same-verdict'] + c.identical} same verdict`;
}

function head(u: ModelUpgrade): string {
  return `${u.promptId}@${u.version} in ${u.env}: ${u.from} -> ${u.to}`;
}

export function modelUpgradeLines(r: CiResult): string[] {
  return (r.modelUpgrades ?? []).flatMap((u) => [
    `MODEL UPGRADE ${head(u)}: ${u.allowed ? 'passes the gates' : 'REFUSED'}; ${counts(u)}`,
    ...u.regressed.slice(0, 20).map((c) => `  regressed on ${u.to}: ${c}`),
    ...u.failures.map((f) => `  gate: ${f}`),
    `  compare: promptctl compare ${u.promptId}@${u.version}:${u.from} :${u.to}`,
  ]);
}

export function modelUpgradeMarkdown(r: CiResult): string | null {
  if (!r.modelUpgrades?.length) return null;
  const lines = r.modelUpgrades.flatMap((u) => [
    `- ${u.allowed ? '✅' : '❌'} \`${head(u)}\`: ${counts(u)}`,
    ...u.regressed.slice(0, 20).map((c) => `  - regressed: \`${c}\``),
    ...u.failures.map((f) => `  - gate: ${f}`),
  ]);
  return `### Model upgrades\n\nThe deployed version, evaluated on the environment's next model and compared case by case with the model it is served on.\n\n${lines.join('\n')}`;
}

/** JUnit cases of the gate suite: one per upgrade, failing when its gates refuse it. */
export function modelUpgradeCases(r: CiResult): Array<{ classname: string; name: string; failure?: string }> {
  return (r.modelUpgrades ?? []).map((u) => ({ classname: `gate.${u.promptId}`, name: `${head(u)} (model upgrade)`, failure: u.allowed ? undefined : u.failures.join('\n') }));
}
