package dev.syncprims.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A doubly-linked list of {@link WaitNode}s in arrival order, guarded by a small spin lock: the
 * base of every queue of the waiting core. Internal; not part of the API.
 */
abstract class NodeList {
  /* Implementation notes
   *
   * The lock. Every change to the list, and every change to a node's status made by another
   * thread than the node's own (WaitNode's table), happens while holding the list's lock: an int
   * word, CAS 0 -> 1 to take it, a release store of 0 to give it back. It is held for a handful of
   * instructions and never while parking. It makes unlinking a node from the middle
   * (cancellation), handing the resource to the head and moving a node to another queue (a Mesa
   * signal) plain list code, which a lock-free queue would turn into the hardest part of the
   * library. Only slow paths take it: the uncontended acquire and release of every primitive never
   * touch it. A thread that finds it held spins briefly, then yields, so that a holder that was
   * descheduled gets the processor back.
   *
   * Every hold is written lock(); try { ... } finally { unlock(); }, so a callback that throws
   * while the lock is held (a primitive's grant or try, an OutOfMemoryError) releases it on the
   * way out instead of leaving every later slow path spinning. The callbacks are written so that
   * they change nothing before they can no longer fail (see EntryQueue.Granter).
   *
   * Lock order: a condition queue's lock may be held while taking an entry queue's lock
   * (ConditionQueue.transferTo), never the reverse.
   *
   * The grant sequence, the same everywhere: the granter gives the resource (owner, hold count,
   * permits), then grant() writes GRANTED, then unlinks the node, then, after the lock is released,
   * the thread is unparked. GRANTED before unlinking means a thread that sees its node gone reads
   * GRANTED if it was granted (WaitNode).
   */

  /** Queue-lock spin rounds before yielding the processor. */
  private static final int LOCK_SPINS = 128;

  @SuppressWarnings("UnusedVariable") // read and written through LOCK
  private volatile int lock;

  private volatile @Nullable WaitNode head;
  private @Nullable WaitNode tail;
  private volatile int size;
  private long nextSeq;

  // ---------------------------------------------------------------------------------------------
  // Queries (any thread, no lock; the answers may be out of date at once)

  final boolean hasWaiters() {
    return head != null;
  }

  final int size() {
    return size;
  }

  /** The first node, read without the lock (volatile). */
  final @Nullable WaitNode first() {
    return head;
  }

  /** Whether {@code thread} waits in this list now. */
  final boolean contains(Thread thread) {
    lock();
    try {
      for (WaitNode n = head; n != null; n = n.next) {
        if (n.thread == thread) {
          return true;
        }
      }
      return false;
    } finally {
      unlock();
    }
  }

  /**
   * The nodes waiting now, in queue order, leaving out those already granted (a snapshot, for
   * {@link Deadlocks}).
   */
  final List<WaitNode> waitingNodes() {
    List<WaitNode> nodes = new ArrayList<>();
    lock();
    try {
      for (WaitNode n = head; n != null; n = n.next) {
        if (n.status != WaitNode.GRANTED) {
          nodes.add(n);
        }
      }
      return nodes;
    } finally {
      unlock();
    }
  }

  /** The arrival number of the last node appended so far ("the waiters present now"). */
  final long lastSeq() {
    lock();
    try {
      return nextSeq - 1;
    } finally {
      unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The list (lock held)

  /** Appends {@code node}, WAITING, arrived now. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // size changes only under the lock
  final void append(WaitNode node, long now) {
    node.seq = nextSeq++;
    node.status = WaitNode.WAITING;
    node.arrivedAt = now;
    WaitNode t = tail;
    node.prev = t;
    node.next = null;
    node.list = this;
    if (t == null) {
      head = node;
    } else {
      t.next = node;
    }
    tail = node;
    size = size + 1;
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // size changes only under the lock
  final void unlink(WaitNode node) {
    WaitNode p = node.prev;
    WaitNode n = node.next;
    if (p == null) {
      head = n;
      headLeft();
    } else {
      p.next = n;
    }
    if (n == null) {
      tail = p;
    } else {
      n.prev = p;
    }
    node.prev = null;
    node.next = null;
    node.list = null;
    size = size - 1;
  }

  /** Called under the lock when the head has been unlinked; a queue's policy may keep state for it. */
  void headLeft() {}

  /**
   * The one grant sequence (lock held): GRANTED, then unlinked. The caller has already given the
   * node's thread the resource, and unparks it after releasing the lock.
   */
  final void grant(WaitNode node) {
    node.status = WaitNode.GRANTED;
    unlink(node);
  }

  /** Unlinks {@code node} if it is still here and marks it CANCELLED; returns whether it was here. */
  @SuppressWarnings("ReferenceEquality") // identity: which queue holds the node
  final boolean removeLocked(WaitNode node) {
    if (node.list != this || node.status == WaitNode.GRANTED) {
      return false;
    }
    unlink(node);
    node.status = WaitNode.CANCELLED;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // The lock

  // Yielding is the point: a holder that was descheduled needs the processor more than we do.
  @SuppressWarnings("ThreadPriorityCheck")
  final void lock() {
    if (LOCK.compareAndSet(this, 0, 1)) {
      return;
    }
    int spins = 0;
    do {
      if (++spins < LOCK_SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    } while ((int) LOCK.getOpaque(this) != 0 || !LOCK.compareAndSet(this, 0, 1));
  }

  final void unlock() {
    LOCK.setRelease(this, 0);
  }

  /** Unparks the thread of each node of a chain linked through {@code next} (lock not held). */
  static void unparkChain(@Nullable WaitNode chain) {
    while (chain != null) {
      WaitNode n = chain;
      chain = n.next;
      n.next = null;
      java.util.concurrent.locks.LockSupport.unpark(n.thread);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + size + " waiting]";
  }

  private static final VarHandle LOCK;

  static {
    try {
      LOCK = MethodHandles.lookup().findVarHandle(NodeList.class, "lock", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
