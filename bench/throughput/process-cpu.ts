import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ; 100 on Linux in practice). */
const clockTicksPerSecond = 100;

/** CPU time (user + system, in ms) a process has used so far, from `/proc`; undefined when unreadable. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return ((userTicks + systemTicks) * 1000) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** CPU time of this process (user + system, in ms). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The pid of the process whose command line contains `pattern` (e.g. a unique db file name). */
export function findProcessId(pattern: string): number | undefined {
  try {
    const found = execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
      .split('\n')
      .map(Number)
      .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
    return found[0];
  } catch {
    return undefined;
  }
}
