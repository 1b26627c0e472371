import { spawn } from 'node:child_process';

/** Opens a file with the platform's opener, detached; a failure is reported to `onError`, never thrown. */
export function openInBrowser(file: string, onError: (message: string) => void): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', file]] : ['xdg-open', [file]];
  const child = spawn(cmd as string, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', (err) => onError(`could not open ${file} (${cmd}: ${err.message}); open it in a browser yourself`));
  child.unref();
}
