/** Where a running cluster answers: what a client needs to connect. */
export interface ClusterAddress {
  host: string;
  port: number;
  user: string;
  /** The superuser's password: the tests check it never appears in any output. */
  password: string;
}

export interface RunningCluster extends ClusterAddress {
  /** Stops the server and removes its folder (in a detached process); idempotent, and also runs at exit. */
  stop(): void;
}

export function findPostgresBin(): { bin?: string; missing?: string };
export function freePort(): Promise<number>;
export function startCluster(bin: string): Promise<RunningCluster>;
