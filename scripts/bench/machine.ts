/** The machine a benchmark ran on, for the report, and how busy other work kept it during each section. */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs the process may use. */
  cores: number;
  ramBytes: number;
  os: string;
  node: string;
  chromium: string;
  playwrightCore: string;
  /** 1-minute load average when the run started and when it ended (other work on the machine skews timings). */
  loadAverage: { start: number; end: number };
  /** Each section's load, measured around it (see `SectionLoad`). */
  sections?: SectionLoad[];
}

/**
 * How busy the machine was while one section ran. The load average counts the bench's own
 * processes too (Node, Chromium), so the verdict rests on CPU time: the machine's busy CPU time
 * (/proc/stat) minus the CPU time of this process and its descendants (Chromium), as a share of all
 * cores over the section. Without /proc (not Linux) only the load average is known.
 */
export interface SectionLoad {
  section: string;
  durationMs: number;
  /** 1-minute load average at the section's start and end. */
  loadStart: number;
  loadEnd: number;
  /** Share of all cores (0–1) used by processes other than the bench's during the section; null without /proc. */
  otherCpuShare: number | null;
  /** Other work used at least `BUSY_SHARE` of the machine (or, without /proc, the load average exceeded the cores). */
  busy: boolean;
}

/** Other processes using a fifth of the machine or more make a section's timings pessimistic. */
export const BUSY_SHARE = 0.2;

/** The 1-minute load average now. */
export const loadNow = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

interface CpuSample {
  at: number;
  load: number;
  /** Busy jiffies of the whole machine, or null without /proc. */
  machineBusy: number | null;
  /** Jiffies used by this process and its descendants (live ones, plus reaped children's totals). */
  ownTree: number | null;
}

function machineBusyJiffies(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    return (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  } catch {
    return null;
  }
}

/** utime+stime+cutime+cstime of every process in this process's tree. */
function ownTreeJiffies(): number | null {
  try {
    const stats = new Map<number, { ppid: number; jiffies: number }>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      let text: string;
      try {
        text = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // pid (comm) state ppid … utime(14) stime(15) cutime(16) cstime(17); comm may hold spaces
      const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(name), { ppid: Number(rest[1]), jiffies: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) });
    }
    const inTree = (pid: number) => {
      for (let p = pid, hops = 0; p > 1 && hops < 64; hops += 1) {
        if (p === process.pid) return true;
        p = stats.get(p)?.ppid ?? 0;
      }
      return false;
    };
    let total = 0;
    for (const [pid, s] of stats) if (inTree(pid)) total += s.jiffies;
    return total;
  } catch {
    return null;
  }
}

function sampleCpu(): CpuSample {
  return { at: performance.now(), load: loadNow(), machineBusy: machineBusyJiffies(), ownTree: ownTreeJiffies() };
}

/** Jiffies per second of /proc/stat and /proc/<pid>/stat (USER_HZ, 100 on every Linux build that matters). */
const USER_HZ = 100;

/**
 * Starts measuring a section; call the returned function when it ends. A child that exits during the
 * section moves its time into its parent's cutime/cstime, so the tree total stays continuous.
 */
export function startSectionLoad(section: string, cores = availableParallelism()): () => SectionLoad {
  const start = sampleCpu();
  return () => {
    const end = sampleCpu();
    const durationMs = end.at - start.at;
    let otherCpuShare: number | null = null;
    if (start.machineBusy !== null && end.machineBusy !== null && start.ownTree !== null && end.ownTree !== null && durationMs > 0) {
      const others = end.machineBusy - start.machineBusy - (end.ownTree - start.ownTree);
      otherCpuShare = Math.min(1, Math.max(0, others / USER_HZ / (durationMs / 1000) / cores));
    }
    return {
      section,
      durationMs,
      loadStart: start.load,
      loadEnd: end.load,
      otherCpuShare,
      busy: otherCpuShare !== null ? otherCpuShare >= BUSY_SHARE : Math.max(start.load, end.load) > cores,
    };
  };
}

export function machineInfo(chromium: string, playwrightCore: string, loadAtStart: number, sections: SectionLoad[] = []): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    ramBytes: totalmem(),
    os: `${process.platform} ${release()}`,
    node: process.version,
    chromium,
    playwrightCore,
    loadAverage: { start: loadAtStart, end: loadNow() },
    sections,
  };
}
