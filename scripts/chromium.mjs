// Debian's Chromium for the HTML report's browser test and its benchmark (playwright-core with an
// executablePath: no browser download). Plain JS so the bench (.mjs) and the tests (TS) share it.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * $PROMPTCTL_CHROMIUM when set (a path; anything not executable, e.g. `none`, means no browser),
 * else /usr/bin/chromium, else `chromium` (or chromium-browser) on PATH; undefined when there is none.
 */
export function findChromium(env = process.env) {
  const candidates = env.PROMPTCTL_CHROMIUM ? [env.PROMPTCTL_CHROMIUM] : ['/usr/bin/chromium'];
  if (!env.PROMPTCTL_CHROMIUM) for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) candidates.push(path.join(dir, 'chromium'), path.join(dir, 'chromium-browser'));
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Headless, sandbox-free (CI containers run as root), and with no background network traffic. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
