import { InternalError } from '../core/errors.js';

/**
 * Where infra's one-off notices go (a registry upgraded in place, which an older promptctl then
 * refuses): the CLI's stderr, which bin/main.ts sets as the process starts. The use cases never
 * print, so a library host (`promptctl/app`) hears them only if it listens.
 */
let listener: ((message: string) => void) | undefined;

export function onRegistryNotice(l: ((message: string) => void) | undefined): void {
  listener = l;
}

/**
 * Tells the listener. One that throws fails the use case as a throwing `onProgress` does: an
 * InternalError (exit 70) naming it, its error as `cause`, never the listener's bare Error. The
 * caller closes the registry it had just opened.
 */
export function registryNotice(message: string): void {
  try {
    listener?.(message);
  } catch (thrown) {
    throw new InternalError({
      message: `onRegistryNotice threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      why: 'the use case stops when its onRegistryNotice listener throws: it was told as the registry was opened (created, or its schema upgraded), which was then closed, before the use case recorded anything.',
      hint: "the listener's own error is this error's `cause`: fix the listener (from the promptctl CLI this is a bug: please report it with the command you ran), then run again.",
      cause: thrown,
    });
  }
}
