// `npm run bench`: every benchmark in one run, each printing ratios against its target.
// Speed is shown here, never asserted in tests (tests must not depend on timing).
import { resultLine } from './ratio.mjs';
import { benchStartup } from './startup.mjs';

const only = process.argv.slice(2);
const suites = [
  ['startup', benchStartup],
  ['registry', async (o) => (await import('./registry.mjs')).benchRegistry(o)],
  ['registry-pg', async (o) => (await import('./registry-pg.mjs')).benchRegistryPg(o)],
  ['eval', async (o) => (await import('./eval.mjs')).benchEval(o)],
  ['attacks', async (o) => (await import('./attacks.mjs')).benchAttacks(o)],
  ['report', async (o) => (await import('./report.mjs')).benchReport(o)],
  ['calibration', async (o) => (await import('./calibration.mjs')).benchCalibration(o)],
  ['n-sampling', async (o) => (await import('./n-sampling.mjs')).benchNSampling(o)],
];

// A benchmark logs either a result ({ metric, value, target, pass, detail }) or a line of text.
const log = (r) =>
  typeof r === 'string' ? console.log(`  ${r}`) :
  console.log(resultLine(r));

let failed = 0;
for (const [name, run] of suites) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n${name}`);
  try {
    const { results } = await run({ log });
    failed += results.filter((r) => r.pass === false).length;
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND') console.log(`  (skipped: ${e.message.split('\n')[0]})`);
    else throw e;
  }
}
console.log(failed ? `\n${failed} benchmark target(s) missed` : '\nall benchmark targets met');
