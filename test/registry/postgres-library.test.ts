import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openRegistry, render, UnknownEnvironmentError } from '../../src/index.js';
import { postgresAvailable } from '../support/postgres.js';
import { teamRegistryForFile } from '../support/team-registry.js';

/**
 * An application reading a team registry on PostgreSQL through the library: the active version,
 * rendered with the CLI's checks; an unknown environment is an error; and when the database goes
 * away (a TCP proxy in front of it is closed) the last good value is served marked stale, while a
 * reader that never read anything gets the exit-3 error.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const team = teamRegistryForFile(pgOk, `${ID}@1.0.0`);

/**
 * A TCP proxy to the cluster that can be closed, cutting every connection through it, or frozen:
 * its connections stay open and carry nothing more (a proxy that stopped forwarding).
 */
async function proxy(): Promise<{ port: number; close: () => Promise<void>; freeze: () => void }> {
  const sockets = new Set<Socket>();
  const pairs: Array<[Socket, Socket]> = [];
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: team.cluster.host, port: team.cluster.port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    freeze: () => {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const urlThrough = (port: number) => `postgres://${team.cluster.user}:${encodeURIComponent(team.cluster.password)}@127.0.0.1:${port}/${team.database}`;

describe.runIf(pgOk)('openRegistry({ url }) for applications', () => {
  it('reads the active version and renders it with the typed checks of the CLI', async () => {
    const reader = openRegistry({ url: team.cluster.url(team.database, { withPassword: true }) });
    try {
      const prompt = await reader.getActive(ID, 'staging');
      expect(prompt).toMatchObject({ id: ID, version: '1.0.0', env: 'staging', deployedBy: 'ana' });
      expect(prompt!.stale).toBeUndefined();
      const variables = prompt!.content.variables ?? [];
      const values = Object.fromEntries(variables.filter((v) => v.required !== false).map((v) => [v.name, v.type === 'number' ? 1 : 'How do I reset my password?']));
      const messages = render(prompt!, values);
      expect(messages.length).toBe(prompt!.content.messages.length);
      expect(messages.map((m) => m.content).join('\n')).not.toContain('{{');
      expect(() => render(prompt!, { ...values, not_declared: 'x' })).toThrow(expect.objectContaining({ exitCode: 2, problems: [expect.objectContaining({ field: 'variables.not_declared' })] }));
      if (variables.some((v) => v.required !== false)) expect(() => render(prompt!, {})).toThrow(expect.objectContaining({ exitCode: 2 }));
    } finally {
      await reader.close();
    }
  });

  it('throws for an unknown environment (naming the known ones), and returns undefined only for a known one', async () => {
    const reader = openRegistry({ url: team.cluster.url(team.database, { withPassword: true }) });
    const declared = openRegistry({ url: team.cluster.url(team.database, { withPassword: true }), environments: ['development', 'staging', 'production'] });
    try {
      const err = await reader.getActive(ID, 'prodution').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownEnvironmentError);
      expect(err).toMatchObject({ exitCode: 2, environment: 'prodution', known: ['staging'] });
      await expect(reader.exportEnv('production')).rejects.toBeInstanceOf(UnknownEnvironmentError);
      // A prompt id the registry never registered is misspelt, not "nothing deployed".
      await expect(reader.getActive('no-such-prompt', 'staging')).rejects.toMatchObject({ name: 'UnknownPromptError', exitCode: 2, known: [ID] });
      // Tested marks are events about no environment (''): that is not an environment to read.
      await expect(reader.getActive(ID, '')).rejects.toBeInstanceOf(UnknownEnvironmentError);
      // Declared by the application: never deployed to yet is a known environment with nothing active.
      expect(await declared.getActive(ID, 'production')).toBeUndefined();
      expect(Object.keys((await declared.exportEnv('production')).prompts)).toEqual([]);
      await expect(declared.getActive(ID, 'qa')).rejects.toMatchObject({ exitCode: 2, message: 'unknown environment "qa"' });
    } finally {
      await reader.close();
      await declared.close();
    }
  });

  it('serves the last good value marked stale when the team.database is unreachable; with none cached, throws exit 3', async () => {
    const gate = await proxy();
    const everyCall = openRegistry({ url: urlThrough(gate.port), cacheTtlMs: 0 });
    const cached = openRegistry({ url: urlThrough(gate.port), cacheTtlMs: 3_600_000 });
    const never = openRegistry({ url: urlThrough(gate.port), cacheTtlMs: 0 });
    try {
      const fresh = await everyCall.getActive(ID, 'staging');
      expect(fresh).toMatchObject({ version: '1.0.0' });
      expect(fresh!.stale).toBeUndefined();
      await cached.getActive(ID, 'staging');
      await everyCall.exportEnv('staging');
      await gate.close();

      const stale = await everyCall.getActive(ID, 'staging');
      expect(stale).toMatchObject({ version: '1.0.0', contentHash: fresh!.contentHash, stale: true });
      expect(Date.parse(stale!.fetchedAt!)).not.toBeNaN();
      expect(stale!.staleReason).toMatch(/PostgreSQL registry/);
      expect(stale!.staleReason).not.toContain(team.cluster.password);
      expect(await everyCall.exportEnv('staging')).toMatchObject({ stale: true, prompts: { [ID]: { version: '1.0.0' } } });
      // Within its TTL a value is served without asking the database: not stale.
      expect((await cached.getActive(ID, 'staging'))!.stale).toBeUndefined();

      const err = await never.getActive(ID, 'staging').catch((e: unknown) => e);
      expect(err).toMatchObject({ exitCode: 3 });
      expect((err as Error).message).toMatch(/PostgreSQL registry at postgres:\/\/postgres@127\.0\.0\.1/);
      expect((err as Error).message).not.toContain(team.cluster.password);
    } finally {
      await gate.close();
      await Promise.all([everyCall.close(), cached.close(), never.close()]);
    }
  });

  it('serves the last good value marked stale when its connection stops answering mid-use, not a wait for ever', async () => {
    const gate = await proxy();
    // query_timeout in the URL shortens the reader's wait for an answer (10 s by default).
    const reader = openRegistry({ url: `${urlThrough(gate.port)}?query_timeout=1000`, cacheTtlMs: 0 });
    try {
      const fresh = await reader.getActive(ID, 'staging');
      expect(fresh).toMatchObject({ version: '1.0.0' });
      gate.freeze();
      const stale = await reader.getActive(ID, 'staging');
      expect(stale).toMatchObject({ version: '1.0.0', stale: true });
      expect(stale!.staleReason).toMatch(/^no answer from the PostgreSQL registry at postgres:\/\/postgres@127\.0\.0\.1/);
      expect(stale!.staleReason).not.toContain(team.cluster.password);
    } finally {
      await gate.close();
      await reader.close();
    }
  });
});
