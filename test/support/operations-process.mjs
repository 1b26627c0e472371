// One promptctl process of test/e2e/postgres-processes.test.ts: runs its share of deploys and
// rollbacks, one after another, through the built library (dist/app), and prints one JSON line per
// operation: what it asked, the exit code the CLI would give, and the event it reports.
// Usage, in the working copy: node operations-process.mjs '[{"kind": "deploy" or "rollback", "options": {...}}, ...]'
const app = await import(new URL('../../dist/app/index.js', import.meta.url).href);
const operations = JSON.parse(process.argv[2]);

for (const op of operations) {
  const opts = { ...op.options, cwd: process.cwd(), interactive: false };
  let line;
  try {
    const r = op.kind === 'deploy' ? await app.deploy(opts) : await app.rollback(opts);
    line = { exitCode: r.exitCode, event: r.event ? { seq: r.event.seq, action: r.event.action, actor: r.event.actor } : undefined, reason: r.plan?.ok === false ? r.plan.reason : undefined, checks: r.checks?.filter((c) => !c.ok).map((c) => c.kind) };
  } catch (err) {
    // As the CLI decides (src/cli-outcome.ts): a promptctl error exits with its code, anything else is a bug.
    line = err instanceof app.PromptctlError ? { exitCode: err.exitCode, error: err.message } : { exitCode: app.ExitCode.bug, error: String(err?.stack ?? err) };
  }
  process.stdout.write(`${JSON.stringify({ ...op, ...line })}\n`);
}
