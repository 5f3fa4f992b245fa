/**
 * What the benchmarks read of the server's processes from /proc: CPU time (user + system, ms) of a process, its
 * threads and its tree, and resident memory. A process or thread that exits while it is read counts as nothing.
 */
import fs from "node:fs";

/** USER_HZ is 100: /proc counts CPU time in ticks of 10 ms. */
const TICK_MS = 10;

/** The fields of a /proc stat line after the command name (utime is [11], stime [12], cutime [13], cstime [14]). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null; // exited
  }
}

/** The thread ids of `pid` (none once it has exited). */
function tasksOf(pid: number): string[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** The pids of the processes `pid` started (its direct children, from every thread). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const task of tasksOf(pid)) {
    const list = readOrNull(`/proc/${pid}/task/${task}/children`)?.trim();
    for (const c of list ? list.split(/\s+/) : []) out.push(Number(c));
  }
  return out;
}

/** `pid` and every process below it. */
export function treePids(pid: number): number[] {
  return [pid, ...childPids(pid).flatMap(treePids)];
}

/** CPU (ms) of one process: its own, and that of its children it has waited for (exited ones). */
export function processCpuMs(pid: number): { own: number; waited: number } {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (!stat) return { own: 0, waited: 0 };
  const f = statFields(stat);
  return { own: (Number(f[11]) + Number(f[12])) * TICK_MS, waited: (Number(f[13]) + Number(f[14])) * TICK_MS };
}

/** CPU (ms) of the processes `pid` started, with the children they waited for (a helper's finished commands). */
export function childrenCpuMs(pid: number): number {
  let total = processCpuMs(pid).waited;
  for (const c of childPids(pid)) {
    const { own, waited } = processCpuMs(c);
    total += own + waited;
  }
  return total;
}

/** CPU (ms) the processes of `pid`'s tree have used themselves so far. */
export function treeCpuMs(pid: number): number {
  return treePids(pid).reduce((sum, p) => sum + processCpuMs(p).own, 0);
}

export interface ThreadCpu {
  id: number;
  name: string;
  /** The process's main thread (its id is the pid). */
  main: boolean;
  ms: number;
}

/** CPU (ms) of each thread of one process. */
export function threadCpu(pid: number): ThreadCpu[] {
  const out: ThreadCpu[] = [];
  for (const task of tasksOf(pid)) {
    const stat = readOrNull(`/proc/${pid}/task/${task}/stat`);
    if (!stat) continue;
    const f = statFields(stat);
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    out.push({ id: Number(task), name, main: task === String(pid), ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
  }
  return out;
}

/** Resident memory (bytes) of one process. */
export function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readOrNull(`/proc/${pid}/status`) ?? "")?.[1] ?? 0) * 1024;
}

/** Resident memory (bytes) of `pid`'s tree. */
export function treeRss(pid: number): number {
  return treePids(pid).reduce((sum, p) => sum + rssOf(p), 0);
}
