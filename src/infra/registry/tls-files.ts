import { InputError } from '../../core/errors.js';

/**
 * The certificate files of a registry URL as libpq reads them, where pg reads them otherwise:
 * - under sslmode=disable libpq opens no certificate file, while pg reads every one the URL names
 *   (and target.ts filled sslrootcert from PGSSLROOTCERT), so a PGSSLROOTCERT kept for other servers,
 *   or a file not on this machine, failed a connection that uses no TLS at all;
 * - `sslrootcert=system` is libpq's word for the operating system's CA store, which pg opens as a
 *   file named "system" in the working folder: refused (exit 2) naming the file to give instead.
 */

const TLS_FILE_PARAMS = ['sslrootcert', 'sslcert', 'sslkey'];

/** Removes from the URL pg connects with the certificate files a connection without TLS never reads. */
export function withoutUnreadTlsFiles(url: URL): void {
  if (url.searchParams.getAll('sslmode').at(-1) !== 'disable') return;
  for (const param of TLS_FILE_PARAMS) url.searchParams.delete(param);
}

/** `sslrootcert=system` (in the URL, or PGSSLROOTCERT: `from`) where TLS is used: exit 2. */
export function refuseSystemRootCert(url: URL, from: string): void {
  if (url.searchParams.getAll('sslmode').at(-1) === 'disable' || url.searchParams.get('sslrootcert') !== 'system') return;
  throw new InputError({
    message: `sslrootcert=system (in ${from}) is not supported by promptctl`,
    why: "libpq reads it as the operating system's store of trusted CA certificates; the pg driver promptctl connects through would open a file named \"system\" in the current folder instead",
    hint: "give the path of the system's CA bundle: sslrootcert=/etc/ssl/certs/ca-certificates.crt (Debian, Ubuntu, Alpine) or /etc/pki/tls/certs/ca-bundle.crt (Red Hat, Fedora); or leave sslrootcert out to trust the CA certificates Node.js ships (Mozilla's list, plus NODE_EXTRA_CA_CERTS)",
  });
}
