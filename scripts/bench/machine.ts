/** The machine a benchmark ran on, for the report. */
import { readFileSync } from 'node:fs';
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
}

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

export function machineInfo(chromium: string, playwrightCore: string, loadAtStart: number): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    ramBytes: totalmem(),
    os: `${process.platform} ${release()}`,
    node: process.version,
    chromium,
    playwrightCore,
    loadAverage: { start: loadAtStart, end: loadNow() },
  };
}
