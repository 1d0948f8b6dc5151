package dev.syncprims.impl;

import static dev.syncprims.impl.Parking.ABSORBED_INTERRUPT;
import static dev.syncprims.impl.Parking.ACQUIRED;
import static dev.syncprims.impl.Parking.KEEP_WAITING;
import static dev.syncprims.impl.Parking.NO_DEADLINE;

import java.util.concurrent.locks.LockSupport;

/**
 * The queue of a condition variable (of a monitor, or of an owned lock's {@code newCondition()}):
 * threads that gave up the lock to wait for a signal. No state word is tried here. Internal; not
 * part of the API.
 */
final class ConditionQueue extends NodeList {
  /* Implementation notes
   *
   * A node enters before its thread releases the lock (enqueue), so a signal given by the next
   * holder finds it. It leaves in one of three ways, each under this queue's lock, so a waiter that
   * gives up at the same moment as a signal finds out exactly which one won:
   *   - a Mesa signal moves it to the lock's entry queue (transferTo), where it waits like an
   *     entrant (EntryQueue.awaitMoved);
   *   - a Hoare signal grants it the lock (grantFirst): GRANTED, then unlinked;
   *   - its own timeout or interrupt removes it (remove).
   * awaitSignal returns when the node has left this queue; a node that is not GRANTED then was
   * moved, and the lock of the queue it was moved to orders the rest.
   *
   * Spinning. A condition waiter waits for another thread's action, usually a short one (a
   * producer's put, a consumer's take), and every park it avoids spares a system call on each
   * side and the wake-up latency in between. So, on a multiprocessor, a waiter first spins,
   * watching only its own node, for up to the queue's budget. The budget adapts per condition: a
   * signal that arrives during the spin restores it to MAX_SPIN_NANOS, a spin that ends in a park
   * anyway takes an eighth off it, down to MIN_SPIN_NANOS, so the waiters of a condition that is
   * signalled rarely soon spin next to nothing. The spin ends at the deadline and, if the wait is
   * interruptible, at an interrupt.
   */

  /** The longest a condition waiter spins before it parks. */
  static final int MAX_SPIN_NANOS = 100_000;

  /** The shortest budget, so that a budget can grow again. */
  static final int MIN_SPIN_NANOS = 1_000;

  /** The adaptive spin budget; plain and racy on purpose: a hint, a lost update costs one wait a little. */
  private int spinNanos = MAX_SPIN_NANOS;

  /** Appends a node for a condition wait; the caller holds the lock and releases it afterwards. */
  void enqueue(WaitNode node) {
    lock();
    try {
      append(node, System.nanoTime());
    } finally {
      unlock();
    }
  }

  /** Unlinks {@code node} if it is still here; returns whether it was (a signal did not take it). */
  boolean remove(WaitNode node) {
    lock();
    try {
      return removeLocked(node);
    } finally {
      unlock();
    }
  }

  /**
   * Waits until a signal takes {@code node} out of this queue, the deadline passes, or (if {@code
   * interruptible}) the thread is interrupted.
   *
   * @return {@link Parking#ACQUIRED} if a signal took the node out (also when it did so just
   *     before the wait gave up: the signal wins), {@link Parking#TIMED_OUT} or {@link
   *     Parking#INTERRUPTED} if the wait gave up first and the node was removed; the interrupted
   *     status is cleared when INTERRUPTED is returned, and set again on other results if an
   *     interrupt was absorbed or lost to a signal
   */
  int awaitSignal(WaitNode node, Object blocker, boolean interruptible, long deadline) {
    boolean absorbedInterrupt = false;
    spinFor(node, interruptible, deadline);
    while (node.list == this) {
      Parking.parkUntil(blocker, deadline);
      int verdict = Parking.verdict(interruptible, deadline);
      if (verdict == ABSORBED_INTERRUPT) {
        absorbedInterrupt = true;
      } else if (verdict != KEEP_WAITING) {
        if (remove(node)) {
          return Parking.finish(verdict, absorbedInterrupt);
        }
        // Signalled first: the signal wins, an interrupt is kept in the status.
        absorbedInterrupt |= verdict == Parking.INTERRUPTED;
        break;
      }
    }
    return Parking.finish(ACQUIRED, absorbedInterrupt);
  }

  /** The spin before the first park; it never outlasts the deadline and ends at an interrupt. */
  private void spinFor(WaitNode node, boolean interruptible, long deadline) {
    if (!Parking.MULTIPROCESSOR) {
      return;
    }
    long budget = spinNanos;
    if (deadline != NO_DEADLINE) {
      budget = Math.min(budget, deadline - System.nanoTime());
    }
    if (budget > 0) {
      Parking.spinWhile(
          () -> node.list == this && !(interruptible && Thread.currentThread().isInterrupted()),
          budget);
      int b = spinNanos;
      spinNanos = node.list != this ? MAX_SPIN_NANOS : Math.max(b - b / 8, MIN_SPIN_NANOS);
    }
  }

  /**
   * Mesa signal: moves the first node, or every node if {@code all}, to the tail of {@code entry}
   * without waking them; they wait there like any entrant. Returns the number moved.
   */
  int transferTo(EntryQueue entry, boolean all) {
    int moved = 0;
    long now = System.nanoTime();
    lock();
    try {
      WaitNode h = first();
      if (h == null) {
        return 0;
      }
      entry.lock(); // lock order: condition, then entry
      try {
        while (h != null) {
          if (DeadlockDetection.ENABLED) {
            // The moved thread waits for the lock from now on, parked and unaware: say so for it,
            // before it is moved, so that the signaller's own next wait can see the cycle.
            DeadlockDetection.publishFor(h.thread, entry.blocker);
          }
          unlink(h);
          entry.append(h, now);
          moved++;
          if (!all) {
            break;
          }
          h = first();
        }
      } finally {
        entry.unlock();
      }
    } finally {
      unlock();
    }
    return moved;
  }

  /**
   * Hoare signal: grants the first node with {@code granter} if it arrived by {@code maxSeq} (see
   * {@link #lastSeq}), in the one grant sequence; returns whether a node was granted. A waiter that
   * gives up at the same moment either goes first and is not granted, or finds itself granted.
   */
  boolean grantFirst(EntryQueue.Granter granter, long maxSeq) {
    WaitNode h;
    lock();
    try {
      h = first();
      if (h == null || h.seq > maxSeq || granter.grant(h, 1) != 1) {
        return false;
      }
      grant(h);
    } finally {
      unlock();
    }
    LockSupport.unpark(h.thread);
    return true;
  }
}
