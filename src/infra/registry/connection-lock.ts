/**
 * One caller at a time on a connection. A transaction stays open across awaits, so without this
 * another caller's statement could run inside it (and be committed or rolled back with it). FIFO;
 * when the connection is free a step starts at once, so a lone caller pays no queueing.
 */
export class ConnectionLock {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  /** Runs `work` alone on the connection, after the callers that asked before it. */
  async run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.held || this.waiting.length > 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held = true;
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    // Handed straight to the next caller: `held` stays true so nobody slips in between.
    if (next) next();
    else this.held = false;
  }
}
