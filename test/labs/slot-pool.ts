/**
 * The shared stack's TaskManager slots, handed to gradings longest first (ADR 0104). Every grading
 * test starts at once and waits here; when slots free up, the waiting run expected to take longest
 * gets them (a lab that runs two jobs takes both). Started in the order the tests are declared, the
 * longest exercise came last and ran alone at the end while the other slot sat idle. A run may
 * give its slots back before it ends (`release`): once its jobs have ended, its cleanup needs none.
 */
export interface SlotRequest {
  /** Slots the run holds: 1, or 2 for a lab that runs two jobs at once. */
  slots: number;
  /** Expected duration (any unit): larger goes first; equal ones keep their order of arrival. */
  expected: number;
}

export class SlotPool {
  private free: number;
  private readonly waiting: { req: SlotRequest; seq: number; grant: () => void }[] = [];
  private seq = 0;

  constructor(readonly capacity: number) {
    this.free = capacity;
  }

  /** Runs fn once it holds req.slots slots, and gives them back when fn calls release or ends, whatever it does. */
  async run<T>(req: SlotRequest, fn: (release: () => void) => Promise<T>): Promise<T> {
    if (req.slots < 1 || req.slots > this.capacity) throw new Error(`a run asks for ${req.slots} slots; the pool has ${this.capacity}`);
    await new Promise<void>((grant) => {
      this.waiting.push({ req, seq: this.seq++, grant });
      // Let every test that starts in this turn of the event loop queue up before the first grant.
      setImmediate(() => this.dispatch());
    });
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      this.free += req.slots;
      this.dispatch();
    };
    try {
      return await fn(release);
    } finally {
      release();
    }
  }

  /** Strict priority: the longest waiting run goes next, and nothing passes it while it waits for slots. */
  private dispatch(): void {
    this.waiting.sort((a, b) => b.req.expected - a.req.expected || a.seq - b.seq);
    while (this.waiting[0] && this.waiting[0].req.slots <= this.free) {
      const next = this.waiting.shift()!;
      this.free -= next.req.slots;
      next.grant();
    }
  }
}
