package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.ReentrantMutex;

/**
 * A {@link ReentrantMutex}: an owned lock that its holder may lock again, whose waiting threads
 * park in a FIFO queue.
 *
 * <pre>{@code
 * ReentrantMutex lock = Primitives.reentrantMutex();
 * lock.lock();
 * try {
 *   helperThatAlsoLocks();     // lock(); ... unlock(); inside: the hold count goes 1 -> 2 -> 1
 * } finally {
 *   lock.unlock();
 * }
 * }</pre>
 *
 * <p><b>Reentrancy.</b> The holder may lock again; each lock adds one to its hold count and each
 * unlock takes one away, and the lock is free when the count is back to 0. This lets a method that
 * holds the lock call another that takes the same lock. The count is at most {@value
 * ReentrantMutex#MAX_HOLD_COUNT}; a lock beyond that throws {@link IllegalStateException} and leaves
 * the count as it was. {@link #getHoldCount()} is the caller's count.
 *
 * <p><b>Fairness</b>, <b>memory consistency</b>, <b>serialization</b> (it always deserializes
 * unlocked and unqueued), <b>footprint</b> (24 bytes uncontended) and <b>tools</b> as for {@link
 * QueuedMutex}. A condition's {@code await} releases every hold and
 * restores the count before returning.
 */
public final class QueuedReentrantMutex extends OwnedLock implements ReentrantMutex {
  /* Implementation notes
   *
   * The hold count is the low 16 bits of OwnedLock's state word (see the state table there). Only
   * the holder changes a held word, so re-locking and partial unlocking are plain release
   * stores, not CASes: nothing else can write the word while its count is above 0 (an arriving
   * thread's CAS expects a count of 0 and fails).
   */

  /** Creates an unlocked reentrant mutex with the given fairness. */
  public QueuedReentrantMutex(Fairness fairness) {
    super(fairness);
  }

  /** Creates an unlocked {@link Fairness#BARGING} reentrant mutex. */
  public QueuedReentrantMutex() {
    this(Fairness.BARGING);
  }

  @Override
  boolean relockByOwner(boolean wouldWait) {
    incrementHolds();
    return true;
  }

  @Override
  public int getHoldCount() {
    return holdsOfCaller();
  }

  @Override
  String kind() {
    return "QueuedReentrantMutex";
  }
}
