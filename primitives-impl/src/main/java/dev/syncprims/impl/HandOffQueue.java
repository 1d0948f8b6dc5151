package dev.syncprims.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * An unbounded multi-producer, single-consumer queue of linked nodes, through which threads hand
 * work to the timer's worker thread (after Vyukov's non-intrusive MPSC queue). Internal to {@link
 * WheelTimer}.
 *
 * <p>Two properties make it fit for that job, where an array queue that grows in chunks does
 * not:
 *
 * <ul>
 *   <li><b>A failed allocation loses nothing and blocks nobody.</b> An {@link #offer} allocates
 *       its node before it writes anything shared; if the allocation throws (an {@code
 *       OutOfMemoryError}), the queue is exactly as it was, and later offers and polls work.
 *   <li><b>The consumer never waits for a producer.</b> Between the exchange that claims a place
 *       at the tail and the store that links it, a producer may be preempted. {@link #poll()}
 *       then returns {@code null} rather than spinning, and {@link #hasStalledOffer()} tells the
 *       consumer that work is on its way, so that it comes back to it instead of sleeping.
 * </ul>
 *
 * <p>Not a general-purpose collection: {@link #poll()}, {@link #hasStalledOffer()} and {@link
 * #isEmpty()} may be called by one consumer thread only (or by a thread that has taken the
 * consumer's place for good, after it ended). {@link #offer} may be called by any thread.
 */
final class HandOffQueue<E> extends HandOffProducerFields<E> {

  /* Implementation notes
   *
   * The list. `head` is a node whose value has been taken (initially a stub); the elements are
   *   in the nodes after it. `tail` is the last node linked or claimed. offer():
   *     1. allocate the node (may throw; nothing shared written yet),
   *     2. prev = getAndSet(tail, node)     // claims the place: from here on tail != head
   *     3. prev.next = node (release)       // links it: the consumer can now reach it
   *   Between 2 and 3 the queue is "claimed, not yet written": head.next may be null although
   *   tail != head. poll() reports that as empty and leaves it; hasStalledOffer() tells the
   *   consumer that an element is on its way. Elements offered after a stalled one are reached
   *   only once it is linked (they hang off its node).
   * Counts. `offered` (getAndAdd by producers, after the link) and `polled` (written by the
   *   consumer alone, release) give an approximate size without walking the list; size() may
   *   be off by the offers in flight, and is never negative.
   * Memory modes: tail by getAndSet and volatile reads (a volatile field); offered by
   *   getAndAdd and volatile reads; polled by release stores and acquire reads; next by
   *   setRelease / getAcquire (the node's value, written before the link, is visible to the
   *   consumer that reads the link); head and a node's value are the consumer's own, plain.
   * Progress: offer() is wait-free (one exchange, one store, one add); poll() is wait-free.
   */

  /**
   * Called before each node is allocated, so that tests can make the allocation fail; {@code
   * null} in production.
   */
  private final @Nullable Runnable beforeAllocation;
  /**
   * Called between the claim and the link, so that tests can hold a producer there; {@code
   * null} in production.
   */
  private final @Nullable Runnable afterClaim;

  HandOffQueue() {
    this(null, null);
  }

  HandOffQueue(@Nullable Runnable beforeAllocation, @Nullable Runnable afterClaim) {
    HandOffNode<E> stub = new HandOffNode<>(null);
    this.head = stub;
    this.tail = stub;
    this.beforeAllocation = beforeAllocation;
    this.afterClaim = afterClaim;
  }

  /**
   * Adds {@code e} at the tail. If allocating its node throws, the exception propagates and the
   * queue is unchanged.
   *
   * @return the number of offers to this queue so far, this one included
   */
  long offer(E e) {
    Runnable hook = beforeAllocation;
    if (hook != null) {
      hook.run();
    }
    HandOffNode<E> node = new HandOffNode<>(e); // the only allocation: before any shared write
    HandOffNode<E> prev = getAndSetTail(node);
    // NOTE: claimed, not yet written. Until the next store, the consumer sees prev.next == null
    // with tail != head: poll() returns null and hasStalledOffer() returns true.
    Runnable stall = afterClaim;
    if (stall != null) {
      stall.run();
    }
    prev.setNextRelease(node);
    return getAndAddOffered(1) + 1;
  }

  /**
   * Takes the oldest element that is linked, or returns {@code null} if there is none (also
   * when an offer has claimed its place but not yet linked it). Consumer only.
   */
  @Nullable E poll() {
    HandOffNode<E> h = head;
    HandOffNode<E> n = h.getNextAcquire();
    if (n == null) {
      return null;
    }
    E v = n.value;
    n.value = null; // the node becomes the stub: it must not keep the element reachable
    head = n;
    setPolledRelease(polled + 1);
    return v;
  }

  /** Whether nothing is linked or claimed. Consumer only. */
  boolean isEmpty() {
    HandOffNode<E> h = head;
    return h.getNextAcquire() == null && tail == h;
  }

  /**
   * Whether an offer has claimed its place but not linked it yet, so that {@link #poll()}
   * returns {@code null} although an element is on its way. Consumer only.
   */
  boolean hasStalledOffer() {
    HandOffNode<E> h = head;
    return h.getNextAcquire() == null && tail != h;
  }

  /** About how many elements are in the queue; any thread. */
  long size() {
    return Math.max(0, offered - getPolledAcquire());
  }

  @SuppressWarnings("unchecked")
  private HandOffNode<E> getAndSetTail(HandOffNode<E> n) {
    return (HandOffNode<E>) TAIL.getAndSet(this, n);
  }

  private long getAndAddOffered(long delta) {
    return (long) OFFERED.getAndAdd(this, delta);
  }

  private long getPolledAcquire() {
    return (long) POLLED.getAcquire(this);
  }

  private void setPolledRelease(long n) {
    POLLED.setRelease(this, n);
  }

  private static final VarHandle TAIL;
  private static final VarHandle OFFERED;
  private static final VarHandle POLLED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      TAIL = l.findVarHandle(HandOffProducerFields.class, "tail", HandOffNode.class);
      OFFERED = l.findVarHandle(HandOffProducerFields.class, "offered", long.class);
      POLLED = l.findVarHandle(HandOffConsumerFields.class, "polled", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}

/** A node of the list; the value is cleared when the consumer takes it. */
final class HandOffNode<E> {
  @Nullable E value;
  @SuppressWarnings("UnusedVariable") // through NEXT
  private volatile @Nullable HandOffNode<E> next;

  HandOffNode(@Nullable E value) {
    this.value = value;
  }

  @SuppressWarnings("unchecked")
  @Nullable HandOffNode<E> getNextAcquire() {
    return (HandOffNode<E>) NEXT.getAcquire(this);
  }

  void setNextRelease(HandOffNode<E> n) {
    NEXT.setRelease(this, n);
  }

  private static final VarHandle NEXT;

  static {
    try {
      NEXT = MethodHandles.lookup().findVarHandle(HandOffNode.class, "next", HandOffNode.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}

/** The fields of a {@link HandOffQueue} that its consumer writes, first in the object. */
abstract class HandOffConsumerFields<E> {
  /** The node whose value was taken last (the stub). Consumer only. */
  HandOffNode<E> head;
  /** Elements taken so far; written by the consumer alone. */
  @SuppressWarnings("UnusedVariable") // through POLLED
  volatile long polled;
}

/** 128 bytes between the consumer's fields and the producers'. */
@SuppressWarnings("UnusedVariable")
abstract class HandOffPadding<E> extends HandOffConsumerFields<E> {
  long p00, p01, p02, p03, p04, p05, p06, p07;
  long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The fields of a {@link HandOffQueue} that its producers write. */
abstract class HandOffProducerFields<E> extends HandOffPadding<E> {
  /** The last node linked or claimed: changed by getAndSet (TAIL), read as a volatile field. */
  volatile HandOffNode<E> tail;

  /** Offers so far: raised by getAndAdd (OFFERED), read as a volatile field. */
  volatile long offered;
}
