// Process ids from /proc (Linux): the workers a `gatehouse serve --workers N` primary forked, and
// whether a process is really gone (a killed child whose parent died may linger as a zombie).
import { readdir, readFile } from 'node:fs/promises';

async function stat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** The direct children of a process. */
export async function childPids(pid: number): Promise<number[]> {
  const entries = await readdir('/proc');
  const children: number[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const info = await stat(Number(entry));
        if (info?.ppid === pid) children.push(Number(entry));
      }),
  );
  return children.sort((a, b) => a - b);
}

/** True once the process no longer runs (exited, or a zombie waiting to be reaped). */
export async function gone(pid: number): Promise<boolean> {
  const info = await stat(pid);
  return info === undefined || info.state === 'Z' || info.state === 'X';
}

/** Waits until every process is gone, or throws after timeoutMs. */
export async function waitUntilGone(pids: number[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = (await Promise.all(pids.map(async (pid) => ((await gone(pid)) ? undefined : pid)))).filter((pid) => pid !== undefined);
    if (alive.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes still running: ${alive.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SIGKILL, ignoring processes that are already gone. */
export function killNow(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
