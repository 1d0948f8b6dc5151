package dev.syncprims.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A waiting thread and what it asked for: the element of every queue of the waiting core (entry
 * queues, condition queues, the urgent stack). Internal; not part of the API.
 */
final class WaitNode {
  /* Implementation notes: the status table
   *
   * status is a volatile int. Every change made by another thread than the node's own happens
   * under the lock of the queue holding the node (NodeList), except WAITING -> SIGNALLED, which a
   * releaser makes by CAS without it, and which the node's own thread makes by CAS to say that it
   * is awake (a head that a Mesa signal moved, or a BARGING head that asked for a hand-off).
   *
   *   status     meaning                                           next states (by whom)
   *   ---------  ------------------------------------------------  ---------------------------------
   *   WAITING    parked or about to park; may be signalled or      SIGNALLED (releaser, or itself),
   *              granted                                           GRANTED (granter), CANCELLED (itself)
   *   SIGNALLED  awake: will try the state word again; still       WAITING (itself, before it re-tries
   *              queued                                            under the queue lock), GRANTED, CANCELLED
   *   GRANTED    given the resource; unlinked (final)              -
   *   CANCELLED  gave up (deadline or interrupt); unlinked (final) -
   *
   * GRANTED and CANCELLED are both decided under the queue lock, so a cancellation racing a grant
   * has exactly one winner. GRANTED is always written before the node is unlinked (NodeList.grant),
   * so a thread that sees its node gone from a queue and then reads its status sees GRANTED if it
   * was granted. The thread reads GRANTED (volatile) before it uses what it was given, so every
   * write the granter made before it (owner, hold count) is visible to it.
   */

  static final int WAITING = 0;
  static final int SIGNALLED = 1;
  static final int GRANTED = 2;
  static final int CANCELLED = 3;

  final Thread thread;
  /** Units requested: permits for a semaphore, 1 for a lock. */
  final int arg;
  /**
   * When the node entered its current queue ({@code System.nanoTime()}), for eventual fairness;
   * reset when a signal moves it to another queue. Written by the thread that appends it, under
   * the queue lock.
   */
  long arrivedAt;
  /** A primitive's own payload: the hold count or depth a waiter must get back. */
  int saved;
  /** Position in its queue's arrival order; assigned when appended, under the queue lock. */
  long seq;

  volatile int status;
  /** The list holding this node, or null once it has left every list. */
  volatile @Nullable NodeList list;

  // Guarded by the lock of the list holding the node (on a monitor's urgent stack, by occupancy).
  @Nullable WaitNode prev;
  @Nullable WaitNode next;

  WaitNode(Thread thread, int arg) {
    this.thread = thread;
    this.arg = arg;
  }

  /** WAITING -> SIGNALLED; returns whether this call made it. */
  boolean casWaitingToSignalled() {
    return STATUS.compareAndSet(this, WAITING, SIGNALLED);
  }

  /** The node after this one in its list; read only under that list's lock. */
  @Nullable WaitNode next() {
    return next;
  }

  private static final VarHandle STATUS;

  static {
    try {
      STATUS = MethodHandles.lookup().findVarHandle(WaitNode.class, "status", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
