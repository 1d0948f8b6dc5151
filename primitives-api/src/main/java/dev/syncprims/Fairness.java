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
   * <p>Overtaking is bounded: once the thread at the head of the queue has waited longer
   * than a short bound (about one millisecond), the next release hands the primitive
   * directly to it, and arriving threads can no longer take it first. No queued thread
   * starves. This is sometimes called eventual fairness. The bound counts time in which the
   * head could take the primitive: a head that the operating system has descheduled (more
   * runnable threads than processors) is served by the first release after it runs again.
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
