import { UnavailableError } from '../../../core/errors.js';

/**
 * The server's TLS certificate refused by this side while connecting: Node's verification codes,
 * which pg passes on as they are. promptctl verifies the certificate and the host name under every
 * sslmode that uses TLS (pool-url.ts: pg treats require and verify-ca as verify-full), where libpq's
 * require checks nothing, so a URL that works in psql can fail here: the fault says that, and the
 * two ways on (the CA file, or libpq's semantics on purpose). Before, "see the PostgreSQL server
 * log", whose log says nothing of a certificate the client refused.
 */

/** The certificate was not signed by a CA this connection trusts (or the chain is incomplete). */
const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE']);
const OUT_OF_DATE = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const WRONG_NAME = 'ERR_TLS_CERT_ALTNAME_INVALID';

interface TlsContext {
  where: string;
  doing: string;
  urlHint: string;
}

/** The fault for a certificate this side refused, else undefined. */
export function certificateFault(code: string | undefined, detail: string, ctx: TlsContext): UnavailableError | undefined {
  if (code === undefined || !(UNTRUSTED.has(code) || OUT_OF_DATE.has(code) || code === WRONG_NAME)) return undefined;
  const params = paramsOf(ctx.where);
  const sslmode = params?.getAll('sslmode').at(-1);
  const rootCert = params?.get('sslrootcert');
  const checked = `promptctl checks the server's certificate and host name under every sslmode that uses TLS${sslmode && sslmode !== 'verify-full' ? ` (sslmode=${sslmode} included, unlike libpq)` : ''}`;
  const why = `${detail} (${code}) while ${ctx.doing}: ${checked}`;
  const libpq = 'or, to encrypt without checking the certificate as libpq does under sslmode=require, add uselibpqcompat=true&sslmode=require to the URL (a network you trust only)';
  if (code === WRONG_NAME) {
    return new UnavailableError({
      message: `the TLS certificate of the PostgreSQL registry at ${ctx.where} does not name the host it was reached at`,
      why,
      hint: `connect by a name the certificate names (its subjectAltName: often the DNS name rather than the IP address) in ${ctx.urlHint}, or have the certificate reissued for this host; uselibpqcompat=true&sslmode=verify-ca checks the CA but not the name`,
    });
  }
  if (OUT_OF_DATE.has(code)) {
    return new UnavailableError({
      message: `the TLS certificate of the PostgreSQL registry at ${ctx.where} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}`,
      why,
      hint: "have the server's certificate renewed (and check this machine's clock)",
    });
  }
  return new UnavailableError({
    message: `the PostgreSQL registry at ${ctx.where} presented a TLS certificate promptctl does not trust`,
    why: `${why}; ${rootCert ? `sslrootcert=${rootCert} does not hold the CA certificate that signed it` : 'the URL names no sslrootcert, so only the CA certificates Node.js ships are trusted'}`,
    hint: `give the file of the CA certificate that signed the server's: sslrootcert=/path/ca.pem in ${ctx.urlHint} (or PGSSLROOTCERT); ${libpq}`,
  });
}

function paramsOf(where: string): URLSearchParams | undefined {
  try {
    return new URL(where).searchParams;
  } catch {
    return undefined;
  }
}

/** The URL asks for TLS and the server answers the SSLRequest with no. */
export function noTlsServerFault(where: string, detail: string): UnavailableError {
  return new UnavailableError({
    message: `the PostgreSQL server of the registry at ${where} does not accept TLS connections`,
    why: `${detail}: the URL (or PGSSLMODE) asks for TLS`,
    hint: 'enable ssl on the server and keep sslmode=verify-full, or connect without TLS (a trusted network only): sslmode=disable in the URL or PGSSLMODE',
  });
}
