// Preloaded (`node --require`) into the built CLI by test/e2e/signal-after-outcome.test.ts: no timing.
// EXIT_WATCH_SIGNAL_AFTER: once stdout has been written a chunk holding this text, the process sends
// itself SIGTERM at once (a CI job cancelled the moment a deploy printed its line).
// Always: when the process ends by its own exit call, that is said on stderr with whether a SIGTERM
// handler is still in place. Node's own teardown (the loop ran dry) makes no such call, and removes
// the signal handlers before the process is gone: a signal then kills it (exit by SIGTERM).
const { writeSync } = require('node:fs');
const after = process.env.EXIT_WATCH_SIGNAL_AFTER;
let sent = false;
const write = process.stdout.write;
process.stdout.write = function (chunk, ...rest) {
  const written = write.call(this, chunk, ...rest);
  if (after && !sent && String(chunk).includes(after)) {
    sent = true;
    process.kill(process.pid, 'SIGTERM');
  }
  return written;
};
const reallyExit = process.reallyExit;
process.reallyExit = function (code) {
  writeSync(2, `[exit-watch] exit call ${code}, SIGTERM handled: ${process.listenerCount('SIGTERM') > 0}\n`);
  return reallyExit.call(this, code);
};
