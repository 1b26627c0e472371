import { z } from 'zod';
import { hasStrayAt } from '../url-userinfo.js';

/** `check` of a parsed URL; true for text that is not a URL at all: z.url() has said so already, once is enough. */
const ofUrl = (check: (url: URL) => boolean) => (text: string) => {
  try {
    return check(new URL(text));
  } catch {
    return true;
  }
};

/**
 * A server URL as written (z.url(), as the URL parser, drops a tab or line break and end spaces
 * without a word: `init --base-url $'…/v1\nx'` wrote …/v1x), http or https (any other scheme would
 * pass every check until the first request), without credentials: secrets live in the environment.
 */
export const ServerUrl = z
  .string()
  .refine((text) => text === text.trim() && !/[\t\n\r]/.test(text), 'must not contain a tab or line break, or begin or end with a space')
  .check(z.url())
  .refine(ofUrl((u) => u.protocol === 'http:' || u.protocol === 'https:'), 'must be an http:// or https:// URL, such as http://127.0.0.1:8000/v1')
  .refine(ofUrl((u) => !u.username && !u.password), 'must not contain a user name or password: put the API key in the environment variable named by api_key_env')
  // http://bob:/secret@proxy/v1 has no password to the parser (host "bob"), and would be shown whole.
  .refine((text) => ofUrl(() => !hasStrayAt(text))(text), 'must not contain an @ after the host: a password with an unencoded / or ? ends the host there; put no user name or password in it (the API key goes in the environment variable named by api_key_env), and write an @ in the path as %40')
  // The client appends paths to the base URL, so a query string breaks every request; it is also
  // where a key would be put (`?api_key=…`) and then shown in errors and stored with each run.
  .refine(ofUrl((u) => !u.search && !u.hash), 'must not have a query string or fragment (?…, #…): the API paths are appended to it; put the API key in the environment variable named by api_key_env');
