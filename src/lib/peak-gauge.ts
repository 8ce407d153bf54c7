/**
 * The highest value observed over the last window or so (two rotating buckets). The instantaneous
 * count of in-flight callbacks drops to nearly zero each time a shared commit answers its batch,
 * so a worker that samples it at the wrong moment sees an idle server in the middle of a burst.
 */
export class PeakGauge {
  private current = 0;
  private previous = 0;
  private windowStart = 0;

  constructor(
    private readonly windowMs = 500,
    private readonly now: () => number = () => performance.now(),
  ) {}

  observe(value: number): void {
    this.rotate();
    if (value > this.current) this.current = value;
  }

  peak(): number {
    this.rotate();
    return Math.max(this.current, this.previous);
  }

  private rotate(): void {
    const t = this.now();
    const elapsed = t - this.windowStart;
    if (elapsed < this.windowMs) return;
    this.previous = elapsed < 2 * this.windowMs ? this.current : 0;
    this.current = 0;
    this.windowStart = t;
  }
}
