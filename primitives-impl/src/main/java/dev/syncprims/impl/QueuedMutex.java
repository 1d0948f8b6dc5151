package dev.syncprims.impl;

import dev.syncprims.Fairness;
import dev.syncprims.Mutex;

/**
 * A {@link Mutex}: an owned, non-reentrant lock whose waiting threads park in a FIFO queue.
 *
 * <pre>{@code
 * Mutex mutex = Primitives.mutex();            // BARGING, eventually fair
 * try (Held h = mutex.locked()) {
 *   balance += amount;
 * }
 * }</pre>
 *
 * <p><b>Ownership, and why re-locking fails fast.</b> A mutex has an owner: the thread that
 * locked it is the only one that may unlock it ({@link IllegalMonitorStateException} otherwise).
 * Because this mutex is not reentrant, a holder that locks it again would wait for itself for
 * ever: the smallest deadlock there is, with one thread and one resource. The mutex knows its
 * owner, so it reports that mistake at once instead: {@code lock()}, {@code lockInterruptibly()}
 * and the timed {@code tryLock} throw {@link IllegalStateException} when called by the holder,
 * and the untimed {@code tryLock()} returns {@code false}. A binary semaphore, which has no
 * owner, cannot tell the two cases apart; that is the difference between the two (see the guide,
 * "Mutexes").
 *
 * <p><b>Fairness.</b> {@link Fairness#BARGING} (the default) lets an arriving thread take a free
 * mutex ahead of queued threads, which keeps the mutex busy while a woken thread is still being
 * scheduled; once the head of the queue has waited the bound of about 1 ms and has run since,
 * it is served before any thread that arrives later, so no thread starves (the exact rule:
 * {@link Fairness#BARGING}; the code: {@code BargingEntryQueue}). {@link Fairness#FIFO} hands the mutex to
 * the longest-waiting thread at every unlock. The untimed {@link #tryLock()} may take a free
 * mutex ahead of queued threads in both modes.
 *
 * <p><b>Serialization.</b> The class is {@link java.io.Serializable} because its superclass,
 * {@link java.util.concurrent.locks.AbstractOwnableSynchronizer}, is. Only the fairness policy is
 * written: a deserialized mutex is always unlocked and has no queued threads, whatever its state
 * when it was written, as {@link java.util.concurrent.locks.ReentrantLock} does.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before it unlocks happen-before the actions
 * of the thread that locks the mutex next, after its lock operation returns.
 *
 * <p><b>Footprint.</b> 24 bytes while uncontended (with compressed pointers); the wait queue is
 * created when a thread first has to wait.
 *
 * <p><b>Tools.</b> The class extends {@link java.util.concurrent.locks.AbstractOwnableSynchronizer}
 * for its owner field, so {@code jstack -l} lists a held mutex under "Locked ownable
 * synchronizers" of its holder, a blocked thread shows "parking to wait for" this mutex, and
 * {@code java.lang.management.ThreadInfo.getLockOwnerName()} names the holder.
 */
public final class QueuedMutex extends OwnedLock implements Mutex {
  /* Implementation notes
   *
   * Everything but re-locking by the holder is in OwnedLock (state word, fast paths, hand-off,
   * conditions) and EntryQueue (queueing and parking): see the notes there. The hold count of a
   * QueuedMutex is only ever 0 or 1. A holder that asks again is detected on the slow path only
   * (the fast path's CAS fails on a held word, then the owner is compared), so the detection
   * costs nothing on an uncontended lock.
   */

  /** Creates an unlocked mutex with the given fairness. */
  public QueuedMutex(Fairness fairness) {
    super(fairness);
  }

  /** Creates an unlocked {@link Fairness#BARGING} mutex. */
  public QueuedMutex() {
    this(Fairness.BARGING);
  }

  @Override
  boolean relockByOwner(boolean wouldWait) {
    if (wouldWait) {
      throw new IllegalStateException(
          "self-deadlock: " + Thread.currentThread() + " already holds " + this
              + ", which is not reentrant");
    }
    return false;
  }

  @Override
  String kind() {
    return "QueuedMutex";
  }
}
