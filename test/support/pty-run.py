"""Runs a command on a pseudo-terminal, for the few tests only a terminal can show (the confirmation, signals).

usage: pty-run.py WAIT_FOR ACTION -- command args...
  Reads the terminal (and the file $PTY_RUN_WATCH, when set, for a command whose stderr is redirected)
  until WAIT_FOR appears, then ACTION: SIGTERM, SIGHUP or SIGINT to the command, HANGUP (the terminal
  closes: its master side is closed, so the kernel hangs it up; nothing more is read), or keys (\\x03 for Ctrl-C).
Prints one JSON line: the exit code, whether the terminal echoes again, and what the terminal showed.
A safety net kills the command after 30 s (a hang is then reported as exit null), never a pass/fail timer.
"""
import json, os, pty, select, signal, sys, termios, time

i = sys.argv.index('--')
wait_for, action = sys.argv[1].encode(), sys.argv[2]
watch = os.environ.get('PTY_RUN_WATCH')
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[i + 1], sys.argv[i + 1:])
out, acted, code, t0 = b'', False, None, time.time()

def seen():
    if wait_for in out: return True
    if watch and os.path.exists(watch):
        with open(watch, 'rb') as f: return wait_for in f.read()
    return False

while True:
    if not acted and seen():
        acted = True
        if action == 'HANGUP':
            os.close(fd)
            fd = None
        elif action.startswith('SIG'): os.kill(pid, getattr(signal, action))
        else: os.write(fd, action.encode().decode('unicode_escape').encode())
    if fd is None: time.sleep(0.05)
    elif select.select([fd], [], [], 0.05)[0]:
        try: out += os.read(fd, 65536)
        except OSError: pass
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        code = os.waitstatus_to_exitcode(st)
        break
    if time.time() - t0 > 30:
        os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
        break
echo = None if fd is None else bool(termios.tcgetattr(fd)[3] & termios.ECHO)
print(json.dumps({'exit': code, 'echo': echo, 'acted': acted, 'output': out.decode(errors='replace')}))
