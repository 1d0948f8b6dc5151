package dev.syncprims.impl;

import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The urgent queue of a Hoare monitor: signallers that handed the monitor to a waiter and wait to
 * get it back. It is a stack: the most recent signaller resumes first. Internal; not part of the
 * API.
 */
final class UrgentStack {
  /* Implementation notes
   *
   * Only the occupant of the monitor touches the stack: a signaller pushes itself before it grants
   * the monitor away (and pops itself if there was nobody to grant), and a releaser pops the top
   * and grants it the monitor. Occupancy is mutual exclusion, and every change of occupant is a
   * happens-before edge (the state word, or a GRANTED status), so plain fields are enough; only
   * size is volatile, for monitoring from other threads.
   *
   * Why a stack. With nested signals (S signals W1; W1, now occupying, signals W2), both S and W1
   * wait here. When W2 leaves, W1 resumes: its signal() call returns inside the region it was
   * running, exactly as if W2's turn had been a call it made. Only when W1 leaves does S resume,
   * seeing everything W1 and W2 did. The last signaller is the one whose region the monitor was
   * taken from most recently; resuming it first keeps each signaller's region a properly nested
   * block, as the urgent queue of Hoare's paper does for nested signals. (A FIFO would resume S
   * first, in the middle of W1's unfinished region.)
   *
   * Each waiting signaller spins briefly before it parks (the waiter it signalled usually runs a
   * short turn); the budget is the stack's own, adapted like a condition queue's, at most
   * MAX_SPIN_NANOS.
   */

  /** The longest a signaller spins for the monitor to come back before it parks. */
  static final int MAX_SPIN_NANOS = 2_000;

  private static final int MIN_SPIN_NANOS = ConditionQueue.MIN_SPIN_NANOS / 4;

  /** The most recent signaller; only the occupant reads or writes it. */
  private @Nullable WaitNode top;

  private volatile int size;

  /** The adaptive spin budget; racy on purpose (a hint). */
  private int spinNanos = MAX_SPIN_NANOS;

  /** Pushes the occupant's node (occupant only). */
  @SuppressWarnings("NonAtomicVolatileUpdate") // only the occupant writes size
  void push(WaitNode node) {
    node.next = top;
    top = node;
    size = size + 1;
  }

  /** Pops the top node, or returns null if empty (occupant only). */
  @SuppressWarnings("NonAtomicVolatileUpdate") // only the occupant writes size
  @Nullable WaitNode pop() {
    WaitNode t = top;
    if (t != null) {
      top = t.next;
      t.next = null;
      size = size - 1;
    }
    return t;
  }

  int size() {
    return size;
  }

  /**
   * Marks {@code node}, popped by the occupant after it gave the monitor to the node's thread,
   * GRANTED, and unparks the thread.
   */
  static void grant(WaitNode node) {
    node.status = WaitNode.GRANTED;
    LockSupport.unpark(node.thread);
  }

  /**
   * Parks, uninterruptibly, until {@code node} is GRANTED. An interrupt that arrives meanwhile is
   * kept: the interrupted status is set again before returning.
   */
  void awaitGrant(WaitNode node, Object blocker) {
    boolean absorbedInterrupt = false;
    if (Parking.MULTIPROCESSOR) {
      // Doubles when the monitor came back during the spin, halves when it did not, so a
      // signaller whose waiters cannot run at once (more threads than processors) stops spinning.
      int budget = spinNanos;
      spinNanos =
          Parking.spinWhile(() -> node.status != WaitNode.GRANTED, budget)
              ? Math.min(2 * budget, MAX_SPIN_NANOS)
              : Math.max(budget / 2, MIN_SPIN_NANOS);
    }
    while (node.status != WaitNode.GRANTED) {
      LockSupport.park(blocker);
      if (Thread.interrupted()) {
        absorbedInterrupt = true;
      }
    }
    if (absorbedInterrupt) {
      Thread.currentThread().interrupt();
    }
  }
}
