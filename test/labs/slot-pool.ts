/**
 * The shared stack's TaskManager slots, handed to gradings and replays longest first (ADR 0104,
 * ADR 0119). Every test starts at once and waits here; when slots free up, the waiting run expected
 * to take longest gets them. A run holds the slots its jobs really take (phase 5's parallelism 2
 * takes two, phase 4's two jobs take two), at most `maxRuns` runs go at once (the machine's cores,
 * not the slots, bound how many runs help), and runs that share an `exclusive` key (phase 4's
 * Airflow DAGs, which allow one active run each) never overlap. A run may give its slots back
 * before it ends (`release`): once its jobs have ended, its cleanup needs none.
 */
export interface SlotRequest {
  /** Slots the run's jobs take at once. */
  slots: number;
  /** Expected duration (any unit): larger goes first; equal ones keep their order of arrival. */
  expected: number;
  /** Runs with the same key never run at the same time. */
  exclusive?: string;
}

export class SlotPool {
  private free: number;
  private running = 0;
  private readonly held = new Set<string>();
  private readonly waiting: { req: SlotRequest; seq: number; grant: () => void }[] = [];
  private seq = 0;

  constructor(
    private cap: number,
    private readonly opts: { maxRuns?: number } = {},
  ) {
    this.free = cap;
  }

  get capacity(): number {
    return this.cap;
  }

  /** The cluster's slots as they are now (the TaskManagers a file started): set before any run is granted. */
  setCapacity(slots: number): void {
    if (this.running > 0) throw new Error('the pool\'s capacity changes only while no run holds slots');
    this.free += slots - this.cap;
    this.cap = slots;
  }

  /** Runs fn once it holds req.slots slots, and gives them back when fn calls release or ends, whatever it does. */
  async run<T>(req: SlotRequest, fn: (release: () => void) => Promise<T>): Promise<T> {
    if (req.slots < 1 || req.slots > this.cap) throw new Error(`a run asks for ${req.slots} slots; the pool has ${this.cap}`);
    await new Promise<void>((grant) => {
      this.waiting.push({ req, seq: this.seq++, grant });
      // Let every test that starts in this turn of the event loop queue up before the first grant.
      setImmediate(() => this.dispatch());
    });
    let holding = true;
    const release = () => {
      if (!holding) return;
      holding = false;
      this.free += req.slots;
      this.running--;
      if (req.exclusive) this.held.delete(req.exclusive);
      this.dispatch();
    };
    try {
      return await fn(release);
    } finally {
      release();
    }
  }

  /**
   * Strict priority: the longest waiting run goes next, and nothing passes it while it waits for
   * slots or a free run. A run that waits only for its exclusive key lets the next ones pass: when
   * the key frees, at most maxRuns - 1 other runs hold slots, and it goes first.
   */
  private dispatch(): void {
    this.waiting.sort((a, b) => b.req.expected - a.req.expected || a.seq - b.seq);
    for (let i = 0; i < this.waiting.length; ) {
      const next = this.waiting[i]!;
      if (next.req.exclusive && this.held.has(next.req.exclusive)) {
        i++;
        continue;
      }
      if (next.req.slots > this.free || this.running >= (this.opts.maxRuns ?? Infinity)) return;
      this.waiting.splice(i, 1);
      this.free -= next.req.slots;
      this.running++;
      if (next.req.exclusive) this.held.add(next.req.exclusive);
      next.grant();
    }
  }
}
