import type { CiResult, ModelUpgrade } from '../core/ci/result.js';
import { settingChangesText } from './deploy-text.js';
import { counted } from './text.js';

/** How ci words a model upgrade it judged: the same version on the old and the new model, case by case. */

function counts(u: ModelUpgrade): string {
  const c = u.changes;
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  return `${counted(total, 'case')}: ${c.regression} regressed, ${c.fix} fixed, ${c.changed} changed verdict, ${c['same-verdict'] + c.identical} same verdict`;
}

function head(u: ModelUpgrade): string {
  const model = u.from !== u.to ? `${u.from} -> ${u.to}` : `on ${u.to}`;
  return `${u.promptId}@${u.version} in ${u.env}: ${model}${u.settings ? `, request settings ${settingChangesText(u.settings)}` : ''}`;
}

/** The command that shows the comparison: compare for a model change alone, eval --baseline when settings change. */
function compareCommand(u: ModelUpgrade): string {
  return u.settings ? `promptctl eval ${u.promptId}@${u.version} --baseline ${u.env}` : `promptctl compare ${u.promptId}@${u.version}:${u.from} :${u.to}`;
}

export function modelUpgradeLines(r: CiResult): string[] {
  return (r.modelUpgrades ?? []).flatMap((u) => [
    `${u.from !== u.to ? 'MODEL UPGRADE' : 'SETTINGS CHANGE'} ${head(u)}: ${u.allowed ? 'passes the gates' : 'REFUSED'}; ${counts(u)}`,
    ...u.regressed.slice(0, 20).map((c) => `  regressed${u.settings ? '' : ` on ${u.to}`}: ${c}`),
    ...u.failures.map((f) => `  gate: ${f}`),
    `  compare: ${compareCommand(u)}`,
  ]);
}

export function modelUpgradeMarkdown(r: CiResult): string | null {
  if (!r.modelUpgrades?.length) return null;
  const lines = r.modelUpgrades.flatMap((u) => [
    `- ${u.allowed ? '✅' : '❌'} \`${head(u)}\`: ${counts(u)}`,
    ...u.regressed.slice(0, 20).map((c) => `  - regressed: \`${c}\``),
    ...u.failures.map((f) => `  - gate: ${f}`),
  ]);
  return `### Model upgrades\n\nThe deployed version, evaluated as the environment's next deploy would serve it (model and request settings) and compared case by case with how it is served now.\n\n${lines.join('\n')}`;
}

/** A refused upgrade in one message (a GitHub annotation): what would change, and each gate that refuses it. */
export function refusedUpgradeText(u: ModelUpgrade): string {
  return [`${u.from !== u.to ? 'model upgrade' : 'settings change'} ${head(u)}: REFUSED; ${counts(u)}`, ...u.failures.map((f) => `gate: ${f}`)].join('\n');
}

/** JUnit cases of the gate suite: one per upgrade, failing when its gates refuse it. */
export function modelUpgradeCases(r: CiResult): Array<{ classname: string; name: string; failure?: string }> {
  return (r.modelUpgrades ?? []).map((u) => ({ classname: `gate.${u.promptId}`, name: `${head(u)} (${u.from !== u.to ? 'model upgrade' : 'settings change'})`, failure: u.allowed ? undefined : u.failures.join('\n') }));
}
