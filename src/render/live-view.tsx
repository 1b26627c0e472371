import { Box, render, Text, useStderr, type Instance, type RenderOptions } from 'ink';
import type { ProgressEvent } from '../core/schemas/report.js';
import { liveLayout } from './live-layout.js';
import { liveProgressText, ProgressModel, type ProgressSnapshot } from './progress-model.js';
import { ms, oneLine } from './text.js';

/**
 * The live terminal view of an eval run. All state lives in ProgressModel outside React; the
 * component only draws a snapshot. Events update the model immediately but the screen at most
 * once per `intervalMs`, so 100,000 samples cost a few hundred renders, not 100,000.
 */

const BAR_WIDTH = 30;

function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

/**
 * `color: false` (NO_COLOR, --no-color, FORCE_COLOR=0: render/terminal.ts) draws with no colour or style at all, so the only escape
 * sequences left are ink's cursor moves that redraw the view in place. Every line is cut to the
 * width (never wrapped) and the lines kept to the terminal's rows (`liveLayout`), so ink never
 * switches to clearing the screen and the scrollback.
 */
export function LiveView({ snapshot: s, color = true, width = 80, rows }: { snapshot: ProgressSnapshot; color?: boolean; /** The terminal's columns. */ width?: number; /** The terminal's rows; undefined draws every line. */ rows?: number }) {
  const paint = (name: string | undefined) => (color ? name : undefined);
  const dim = color;
  const layout = liveLayout(s, width, rows);
  return (
    <Box flexDirection="column">
      {layout.label ? (
        <Text bold={color} wrap="truncate-end">
          {oneLine(s.label, 100)}
        </Text>
      ) : null}
      <Text wrap="truncate-end">
        <Text color={paint('cyan')}>{bar(s.fraction)}</Text> {liveProgressText(s)}
      </Text>
      <Text wrap="truncate-end">
        <Text color={paint('green')}>pass {s.passed}</Text> <Text color={paint(s.failed > 0 ? 'red' : undefined)}>fail {s.failed}</Text>{' '}
        <Text color={paint(s.errored > 0 ? 'yellow' : undefined)}>error {s.errored}</Text>
        {s.cached > 0 ? <Text dimColor={dim}> cached {s.cached}</Text> : null}
        {s.resumed > 0 ? <Text dimColor={dim}> resumed {s.resumed}</Text> : null} · p50 {ms(s.p50)} · p95 {ms(s.p95)}
      </Text>
      {layout.notices.map((n, i) => (
        <Text key={`n${i}`} dimColor={dim} wrap="truncate-end">
          {oneLine(n, 200)}
        </Text>
      ))}
      {layout.failures.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor={dim}>Latest failures</Text>
          {layout.failures.map((f, i) => {
            const [first = '', ...rest] = f.lines;
            const word = first.slice(0, 5);
            return (
              <Box key={`f${i}`} flexDirection="column">
                <Text wrap="truncate-end">
                  <Text color={paint(f.kind === 'fail' ? 'red' : 'yellow')}>{word}</Text>
                  {first.slice(5)}
                </Text>
                {rest.map((line, j) => (
                  <Text key={j} wrap="truncate-end">
                    {line}
                  </Text>
                ))}
              </Box>
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
}

export interface LiveViewOptions {
  /** Where to draw; defaults to process.stdout. */
  stdout?: NodeJS.WriteStream;
  /** Where `print` writes its lines (the command's stderr); defaults to process.stderr. */
  stderr?: { write(text: string): unknown };
  /** Least time between two screen updates. */
  intervalMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Colours and styles (false under NO_COLOR, --no-color or FORCE_COLOR=0: render/terminal.ts); default true. */
  color?: boolean;
  /** Passed through to ink (tests use `debug` and `patchConsole: false`). */
  ink?: Omit<RenderOptions, 'stdout'>;
  /** Ctrl-Z: the process's signal by default, a fake in tests. */
  jobControl?: JobControl;
}

/**
 * Hands out ink's own stderr writer (useStderr), which erases the frame, writes, and draws the
 * frame again below what it wrote.
 */
function StderrWriter({ take }: { take: (write: (data: string) => void) => void }) {
  take(useStderr().write);
  return null;
}

/** Where Ctrl-Z (SIGTSTP) arrives, and how the process stops itself. */
export interface JobControl {
  on(signal: 'SIGTSTP', listener: () => void): unknown;
  off(signal: 'SIGTSTP', listener: () => void): unknown;
  /** Stops the process as Ctrl-Z does (the view's own listener is off by then); returns once it is continued. */
  suspend(): void;
}

const processJobControl: JobControl = {
  on: (signal, listener) => process.on(signal, listener),
  off: (signal, listener) => process.off(signal, listener),
  suspend: () => process.kill(process.pid, 'SIGTSTP'),
};

export interface LiveViewHandle {
  onEvent(e: ProgressEvent): void;
  /**
   * Writes a line to stderr (a warning) above the frame, where it stays: ink redraws by erasing its
   * last frame's height upward from the cursor, so a line written behind its back would be erased.
   */
  print(line: string): void;
  /** Draws the final state and unmounts; the last frame stays on screen. */
  stop(): Promise<void>;
  /** The state last drawn (or about to be), for callers that print a summary after the view. */
  snapshot(): ProgressSnapshot;
}

export function startLiveView(opts: LiveViewOptions = {}): LiveViewHandle {
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? 100;
  const model = new ProgressModel();
  let lastDraw = now();
  let stopped = false;
  let started = false;
  const color = opts.color ?? true;
  const stdout = opts.stdout ?? process.stdout;
  // Read at every draw: the terminal may be resized during a run.
  const width = () => stdout.columns || 80;
  const rows = () => stdout.rows || undefined;
  const stderr = opts.stderr ?? process.stderr;
  let writeAbove: ((data: string) => void) | undefined;
  const frame = () => (
    <>
      <LiveView snapshot={model.snapshot(lastDraw)} color={color} width={width()} rows={rows()} />
      <StderrWriter take={(w) => (writeAbove = w)} />
    </>
  );
  // ink writes `print`'s lines to its stderr: the command's, in the order they come.
  const mount = (): Instance => render(frame(), { ...opts.ink, stdout, stderr: stderr as NodeJS.WriteStream });
  let instance = mount();
  const jobs = opts.jobControl ?? processJobControl;

  function draw(): void {
    lastDraw = now();
    instance.rerender(frame());
  }

  // Ctrl-Z: ink hides the cursor while it draws, and its next frame would move up over what the
  // shell printed meanwhile ("Stopped", `fg`). So the view ends before the process stops (its frame
  // stays, the cursor is shown again), and once continued (`fg`: the shell's lines are printed by
  // then) a new view starts below them.
  function onSuspend(): void {
    draw();
    instance.unmount();
    jobs.off('SIGTSTP', onSuspend);
    jobs.suspend(); // returns when the process is continued
    jobs.on('SIGTSTP', onSuspend);
    instance = mount();
  }
  jobs.on('SIGTSTP', onSuspend);

  // Redraws pending changes when events pause, and keeps elapsed time and ETA ticking.
  const timer = setInterval(() => {
    if (!stopped) draw();
  }, Math.max(interval, 250));
  timer.unref();

  function onEvent(e: ProgressEvent): void {
    if (stopped) return;
    if (e.type === 'start') started = true;
    model.apply(e, now());
    if (now() - lastDraw >= interval) draw();
  }

  function print(line: string): void {
    // Once the view is gone (stopped), ink writes nothing: the line goes straight to stderr.
    if (stopped || !writeAbove) stderr.write(`${line}\n`);
    else writeAbove(`${line}\n`);
  }

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    jobs.off('SIGTSTP', onSuspend);
    // Nothing was dispatched (a failed preflight): leave no empty bar above the error.
    if (started) draw();
    else instance.clear();
    instance.unmount();
    await instance.waitUntilExit();
  }

  return { onEvent, print, stop, snapshot: () => model.snapshot(now()) };
}
