/** The one source of time. Tests hand the server a ManualClock and move it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/** Cognito's wire format for dates: epoch seconds as a JSON number, fractional allowed. */
export const toEpochSeconds = (ms: number): number => ms / 1000;
