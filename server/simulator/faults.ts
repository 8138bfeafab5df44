/**
 * Which faults a request asks for: the `x-simulator-fault` header and `[sim:<fault>]` prompt tokens;
 * and which status a task should end with: the `x-simulator-status` header and the
 * `[sim:status=<word>]` prompt token.
 */
import { SIMULATOR_FAULTS, SIMULATOR_FAULT_HEADER, SIMULATOR_STATUS_HEADER, type SimulatorFault } from './types';

const FAULT_TOKEN = /\[sim:([a-z_,\s]+)\]/gi;
const STATUS_TOKEN = /\[sim:status=([^\]]*)\]/i;
/** A status word a submit may ask for: lower-case letters and `_`, at most 32 characters. */
const STATUS_WORD = /^[a-z_]{1,32}$/;

export function isFault(value: string): value is SimulatorFault {
  return (SIMULATOR_FAULTS as readonly string[]).includes(value);
}

function parseFaultList(value: string): SimulatorFault[] {
  return value
    .split(/[,\s]+/)
    .map((part) => part.trim().toLowerCase())
    .filter(isFault);
}

export function headerFaults(request: Request): SimulatorFault[] {
  const header = request.headers.get(SIMULATOR_FAULT_HEADER);
  return header ? parseFaultList(header) : [];
}

export function promptFaults(prompt: string): SimulatorFault[] {
  const found: SimulatorFault[] = [];
  for (const match of prompt.matchAll(FAULT_TOKEN)) found.push(...parseFaultList(match[1] ?? ''));
  return found;
}

/**
 * The status the task should report when its timeline ends: the header wins over the prompt token.
 * A value that is not a valid word (lower-case letters and `_`, at most 32) is ignored, like an
 * unknown fault name.
 */
export function requestedStatus(request: Request, prompt: string): string | undefined {
  const header = request.headers.get(SIMULATOR_STATUS_HEADER)?.trim();
  if (header && STATUS_WORD.test(header)) return header;
  const token = STATUS_TOKEN.exec(prompt)?.[1]?.trim();
  return token && STATUS_WORD.test(token) ? token : undefined;
}
