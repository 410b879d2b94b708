// Types for customer-pool.js (the bench is plain ESM JavaScript; test/bench/ checks its pure logic).
export interface Batch {
  handover: string;
  ids: string[];
}
export class CustomerPool {
  constructor(ids: string[], perMember: number, indices?: number[] | null);
  readonly remaining: number;
  readonly handedOutBelow: number;
  align(size: number): void;
  take(count: number): Batch | null;
}
export class StripedPool {
  constructor(ids: string[], perMember: number);
  readonly remaining: number;
  align(size: number): void;
  take(count: number): Batch | null;
}
export class WaitingLedger {
  constructor(ids: string[]);
  readonly count: number;
  note(externalUserid: string, errcode: number): void;
  unknown(): number[];
}
