import { MachineInfo } from '../machine-info';
import { FaultResult } from './fault-result';

/** results.json of `npm run faults`: the `faults` array of issue 8 and what it was measured on. */
export interface FaultsResults {
  faults: FaultResult[];
  settings: {
    connections: number;
    replicas: number;
    businessIds: number[];
    /** How long each fault keeps the target replica away. */
    holdMs: number;
    lockTtlMs: number;
    zkSessionTimeoutMs: number;
  };
  machine: MachineInfo;
  /** Duplicates where none may be, checker disagreements, hung requests, cells not measured. */
  problems: string[];
  durationMs: number;
}
