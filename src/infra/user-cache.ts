import path from 'node:path';

/**
 * promptctl's folder in the user's own cache ($XDG_CACHE_HOME, %LOCALAPPDATA% or ~/.cache, then
 * promptctl/): where the file cache's key and the compiled-code cache live, apart from any project.
 * undefined where the environment names no such folder: then nothing is cached there.
 */
export function userCacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const base = env.XDG_CACHE_HOME || env.LOCALAPPDATA || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'promptctl') : undefined;
}
