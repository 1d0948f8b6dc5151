package dev.syncprims.impl;

import org.jspecify.annotations.Nullable;

/**
 * The {@link dev.syncprims.Fairness#BARGING} policy of an {@link EntryQueue}, with the whole rule
 * of eventual fairness: an arriving thread may take a free resource ahead of queued threads, but
 * once the head has waited {@link #FAIRNESS_BOUND_NANOS} and has run since, it is served before
 * any thread that arrives later. Internal; not part of the API.
 */
final class BargingEntryQueue extends EntryQueue {
  /* Implementation notes: eventual fairness
   *
   * A barging release frees the resource and wakes the head, which then competes with the threads
   * arriving at that moment; on its own it could lose every time. The bound: once the head has
   * waited FAIRNESS_BOUND_NANOS, counted from the later of its arrival and the last time a head was
   * served this way (dueAt; so such hand-offs come at most about one per bound, and an
   * oversubscribed lock does not turn into a convoy of parked threads), the next release that can
   * serve it hands the resource straight to it (EntryQueue.handOff), so no arriving thread can take
   * it in between. Who notices that the head is due:
   *
   *   - The head itself, whenever it runs. It parks with a timeout that ends when it becomes due
   *     (parkDeadline; it shows as TIMED_WAITING in thread dumps), and checks after every wake-up
   *     and every failed re-try of its spin (askIfDue). Once due, it publishes what it waits for
   *     (request = its arg) under the queue lock, if it is still the head and not granted; then it
   *     marks itself SIGNALLED and spins the full budget, so that the next release grants it while
   *     it runs. If none comes, it parks with its request still published.
   *   - A release, for a head that is parked (WAITING) and due (parkedHeadDue): it reads the
   *     head's status and, only for a parked head, the clock; such a release would otherwise pay
   *     for an unpark.
   *
   * While a request is published, arriving threads do not take the resource (arrivalMayTake) and
   * queued nodes other than the head do not try (mayTry): this is what serves a head that waits
   * for more than one release provides (a semaphore's acquire(n)): the permits released meanwhile
   * stay in the count, visible to availablePermits(), and the release that completes the request
   * hands them all to the head. The untimed tryAcquire()/tryLock() still barge, as documented.
   *
   * The request belongs to the head: headLeft clears it when the head leaves the queue (granted,
   * acquired by itself, cancelled), and the next head waits for its own bound. A head that asked
   * and then took the resource itself counts as served (servedByItself). A releaser that read a
   * request just before it was cleared serves the next head instead: one release behaving as FIFO
   * would, harmless.
   *
   * The bound, exactly: a head that is parked is served by the first release after it becomes
   * due; a head that is running, by the first release after it asks (within one re-try of its
   * spin); a head that was descheduled while it spun, before it asked, only by the first release
   * after it runs again and asks (releases in between barge). Hand-offs are at most about one per
   * bound (a stale request and the heads a semaphore hand-off grants after the first can each add
   * one). Only the head is served this way; the k-th waiter becomes head after the k-1 ahead of it
   * leave, each within about one bound plus its hold and the time the scheduler keeps it off a
   * processor, so nobody starves.
   *
   * Memory: lastHandOff and request are volatile, written under the queue lock, read without it by
   * releasers and by the head (a stale value moves one decision by one release or one round).
   */

  /**
   * How long the head may be overtaken before a release hands the resource to it directly, and
   * the least time between two such hand-offs.
   */
  static final long FAIRNESS_BOUND_NANOS = 1_000_000L;

  /** When a head was last served by a hand-off or after asking ({@code System.nanoTime()}). */
  private volatile long lastHandOff = System.nanoTime() - 2 * FAIRNESS_BOUND_NANOS;

  /** 0, or the units the head asks to be handed (its arg) once it is due. */
  private volatile int request;

  BargingEntryQueue(
      Acquirer acquirer, Granter granter, Object blocker, boolean shared, int maxArg) {
    super(acquirer, granter, blocker, shared, maxArg);
  }

  @Override
  boolean mayTry(WaitNode node) {
    return request == 0 || first() == node;
  }

  @Override
  boolean arrivalMayTake() {
    return request == 0;
  }

  /**
   * Hand off if the head asked and this release with what is available covers its request, or if
   * the head is parked and due. One volatile read when nobody asked and the head is awake.
   */
  @Override
  boolean handOffDue(int units, int available) {
    int r = request;
    return r != 0 ? (long) available + units >= r : parkedHeadDue();
  }

  /** Whether the head is parked (WAITING) and due; reads the clock only for a parked head. */
  private boolean parkedHeadDue() {
    WaitNode h = first();
    return h != null && h.status == WaitNode.WAITING && System.nanoTime() - dueAt(h) >= 0L;
  }

  /** When the head {@code node} becomes due: a bound after the later of its arrival and the last hand-off. */
  private long dueAt(WaitNode node) {
    long last = lastHandOff;
    long since = node.arrivedAt - last > 0L ? node.arrivedAt : last;
    return since + FAIRNESS_BOUND_NANOS;
  }

  /** The head that has not asked yet parks until it becomes due, so that it wakes to ask. */
  @Override
  long parkDeadline(WaitNode node, long deadline) {
    if (first() != node || request != 0 || node.arg > maxArg) {
      return deadline;
    }
    long due = dueAt(node);
    return Parking.earlier(deadline, due == Parking.NO_DEADLINE ? due + 1 : due);
  }

  /** Publishes the head's request if it is due; true at most once per node. */
  @Override
  boolean askIfDue(WaitNode node) {
    if (first() != node
        || request != 0
        || node.arg > maxArg
        || System.nanoTime() - dueAt(node) < 0L) {
      return false;
    }
    lock();
    try {
      // arg 0 would read as "no request"; nobody queues for 0 units, but a request must be seen.
      // A request no release can ever meet (more than a bounded semaphore's maxPermits) is not
      // published: it would keep every other thread out for ever.
      boolean ask =
          node.arg > 0
              && node.arg <= maxArg
              && first() == node
              && node.status != WaitNode.GRANTED
              && request == 0
              && System.nanoTime() - dueAt(node) >= 0L;
      if (ask) {
        request = node.arg;
      }
      return ask;
    } finally {
      unlock();
    }
  }

  @Override
  void servedByItself(WaitNode node) {
    if (request != 0 && first() == node) {
      lastHandOff = System.nanoTime(); // served after asking: the next head waits its bound from now
    }
  }

  @Override
  void handedOff() {
    lastHandOff = System.nanoTime();
  }

  @Override
  boolean signalsAfterHandOff() {
    return true;
  }

  /** The head's request was its own: the next head asks for itself. */
  @Override
  void headLeft() {
    if (request != 0) {
      request = 0;
    }
  }

  /** For tests and {@code toString()}: the pending request, 0 if none. */
  int request() {
    return request;
  }

  @Override
  public String toString() {
    @Nullable WaitNode h = first();
    return "BargingEntryQueue[" + size() + " waiting" + (h != null && request != 0 ? ", head asked" : "") + "]";
  }
}
