/**
 * Where infra's one-off notices go (a registry upgraded in place, which an older promptctl then
 * refuses): the CLI's stderr, which bin/main.ts sets as the process starts. The use cases never
 * print, so a library host (`promptctl/app`) hears them only if it listens.
 */
let listener: ((message: string) => void) | undefined;

export function onRegistryNotice(l: ((message: string) => void) | undefined): void {
  listener = l;
}

export function registryNotice(message: string): void {
  listener?.(message);
}
