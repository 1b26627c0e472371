import { describe, expect, it } from 'vitest';
import { pgFault } from '../../src/infra/registry/postgres/faults.js';
import { isLostConnection } from '../../src/infra/registry/postgres/lost-connection.js';
import { isUnreadableReply } from '../../src/infra/registry/postgres/protocol-fault.js';

/** The words of a reply pg could not read (test/e2e/postgres-damaged-replies.test.ts damages real replies). */

describe('a reply the driver could not read (damaged bytes, another service on the port)', () => {
  const ctx = { where: 'postgres://ana@db:5432/prompts', secrets: ['s3cr3t-pw'], doing: 'reading the audit log' };
  it("pg's unknown message code is exit 3 naming it, and the connection is not used again", () => {
    // pg-protocol's own error for a message code it does not know: no SQLSTATE, so it read as a bug (exit 70).
    const invalid = Object.assign(new Error('received invalid response: 0'), { name: 'error', severity: 'error' });
    expect(isLostConnection(invalid)).toBe(true);
    expect(pgFault(invalid, ctx)).toMatchObject({ exitCode: 3, message: 'a reply from the PostgreSQL registry at postgres://ana@db:5432/prompts could not be read while reading the audit log', why: expect.stringMatching(/^received invalid response: 0: the bytes that arrived are not a PostgreSQL reply/) });
  });

  it("a RangeError pg's parser threw reading a message is the same fault; one from elsewhere stays a bug", () => {
    const parsing = Object.assign(new RangeError('The value of "offset" is out of range.'), { code: 'ERR_OUT_OF_RANGE', stack: 'RangeError [ERR_OUT_OF_RANGE]: The value of "offset" is out of range.\n    at parseDataRowMessage (/x/dist/bin/vendor/pg.cjs:2983:18)\n    at Parser.handlePacket (/x/dist/bin/vendor/pg.cjs:2901:22)' });
    expect(isUnreadableReply(parsing)).toBe(true);
    const elsewhere = Object.assign(new RangeError('Invalid array length'), { stack: 'RangeError: Invalid array length\n    at render (/x/dist/bin/chunks/chunk-A.cjs:1:1)' });
    expect(isUnreadableReply(elsewhere)).toBe(false);
    expect(pgFault(elsewhere, ctx)).toBe(elsewhere);
  });
});
