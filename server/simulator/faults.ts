/** Which faults a request asks for: the `x-simulator-fault` header and `[sim:<fault>]` prompt tokens. */
import { SIMULATOR_FAULTS, SIMULATOR_FAULT_HEADER, type SimulatorFault } from './types';

const FAULT_TOKEN = /\[sim:([a-z_,\s]+)\]/gi;

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
