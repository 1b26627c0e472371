/**
 * vLLM serves its OpenAI-compatible API under /v1, and the client appends `/models` and
 * `/chat/completions` to the base URL as written: a base URL without /v1 (`http://host:8000`)
 * reaches vLLM's 404 on every request. A proxy may map another path, so this only advises: the
 * URL with /v1 added, or undefined when the path already ends in /v1 (a trailing slash allowed).
 */
export function withApiPrefix(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (/\/v1\/?$/.test(url.pathname)) return undefined;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1`;
  return url.toString();
}
