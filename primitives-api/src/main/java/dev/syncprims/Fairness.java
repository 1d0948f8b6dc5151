package dev.syncprims;

/**
 * The order in which a primitive admits threads that compete for it.
 *
 * <p>Every primitive that can make threads wait reports its policy through a
 * {@code fairness()} method. The policy is fixed when the primitive is created;
 * {@link #BARGING} is the default wherever a factory method does not take one.
 *
 * <p>The untimed try-methods ({@code tryLock()}, {@code tryAcquire()}, {@code tryEnter()})
 * never wait and may take a free primitive ahead of queued threads under either policy.
 * Their timed versions follow the policy: with a timeout {@code <= 0} they do not wait,
 * and under {@link #FIFO} they then succeed only if no other thread is queued.
 */
public enum Fairness {

  /**
   * Throughput first, with a bound on overtaking. A thread that arrives while the
   * primitive is free may take it even if other threads are queued, which keeps the
   * primitive busy instead of idle while a woken thread is being scheduled.
   *
   * <p>Overtaking is bounded ("eventual fairness"), for the thread at the head of the queue:
   * once it has waited one bound of 1 ms, counted from the later of its arrival in the queue
   * and the last time a head was served this way, and has run since, it
   * is served before any thread that arrives later. A release then hands the primitive
   * directly to it, and arriving threads no longer take it first; this holds for every
   * request, a multi-permit {@code acquire(n)} included (the permits released meanwhile stay
   * counted, and the release that completes the request hands them all over). Exactly:
   * <ul>
   *   <li>a head that is parked is served by the first release after it becomes due;
   *   <li>a head that is running is served by the first release after it notices it is due,
   *       which it checks whenever it wakes and between its re-tries;
   *   <li>a head that the operating system has descheduled (more runnable threads than
   *       processors) is served by the first release after it runs again;
   *   <li>such hand-offs happen at most about once per bound, so that a busy primitive does
   *       not turn into a convoy of parked threads.
   * </ul>
   * Only the head is served this way. A thread that is k-th in the queue becomes the head
   * after the k-1 threads ahead of it leave, so it is overtaken for at most about k bounds
   * plus the holds ahead of it and the time the scheduler keeps it off a processor: no
   * queued thread starves. The untimed try-methods still barge, as described above.
   */
  BARGING,

  /**
   * Strict arrival order. A thread that arrives while other threads are queued joins the
   * end of the queue even if the primitive happens to be free, and a release hands the
   * primitive directly to the thread at the head of the queue. Throughput is lower than
   * with {@link #BARGING} under contention, because every hand-off waits for the woken
   * thread to be scheduled.
   */
  FIFO
}
