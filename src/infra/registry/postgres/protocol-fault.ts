/**
 * A reply from the PostgreSQL server that the driver could not read: its bytes damaged on the way (a
 * proxy or a network fault) or not PostgreSQL's protocol at all (another service on the port). pg
 * reports an unknown message code as an error without a SQLSTATE ("received invalid response: 0"),
 * and a message whose lengths run past the bytes it holds as a RangeError thrown in its socket's data
 * handler, which no query awaits: it reaches the process as an uncaught exception (bin/main.ts).
 * Either is the connection's fault (exit 3), never a bug of promptctl's and never exit 1.
 */
export function isUnreadableReply(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (/^received invalid response: /.test(err.message)) return true;
  const code = (err as NodeJS.ErrnoException).code;
  // Thrown while pg-protocol's Parser read a message (its frames name its parse functions).
  return (code === 'ERR_OUT_OF_RANGE' || code === 'ERR_BUFFER_OUT_OF_BOUNDS' || err instanceof RangeError) && /\bParser\.(?:parse|handlePacket)\b|\bparse\w*Message\b/.test(err.stack ?? '');
}

/**
 * The words of that fault: what happened, why, and what to do. `where`: the registry's URL without
 * its password, when known. `firstConnect`: met while the command first connected, so nothing was
 * sent or recorded yet and there is nothing to resume: `then` says what to do after the fix.
 */
export function unreadableReplyWords(detail: string, where?: string, doing?: string, firstConnect?: { then: string }): { message: string; why: string; hint: string } {
  const message = `a reply from the PostgreSQL registry${where ? ` at ${where}` : ''} could not be read${doing ? ` while ${doing}` : ''}`;
  if (firstConnect) {
    return {
      message,
      why: `${detail}: the bytes that arrived are not a PostgreSQL reply: another service listens on that port, or a proxy, load balancer or network fault damaged them; nothing was read or written`,
      hint: `check that the URL's port is PostgreSQL's (5432 unless the server was set up otherwise) and what is between promptctl and the server (a proxy or pooler, TLS termination); ${firstConnect.then}`,
    };
  }
  return {
    message,
    why: `${detail}: the bytes that arrived are not a PostgreSQL reply: damaged on the way (a proxy, load balancer or network fault) or sent by another service on that port. Nothing is read from such a connection again; a transaction it cut short was rolled back by the server, unless its COMMIT had arrived`,
    hint: 'check what is between promptctl and the server (a proxy or pooler, TLS termination) and that the URL\'s port is PostgreSQL\'s; then run the command again (an eval: with --resume)',
  };
}
