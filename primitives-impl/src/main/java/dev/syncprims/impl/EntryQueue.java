package dev.syncprims.impl;

import static dev.syncprims.impl.Parking.ABSORBED_INTERRUPT;
import static dev.syncprims.impl.Parking.ACQUIRED;
import static dev.syncprims.impl.Parking.KEEP_WAITING;
import static dev.syncprims.impl.Parking.MULTIPROCESSOR;

import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The queue of threads waiting to take a primitive's state word (a lock's, a semaphore's, a
 * monitor's entry), and the loop in which they wait: the heart of the waiting core. Internal; not
 * part of the API.
 *
 * <p>A primitive keeps its own state word and takes it with one CAS while nothing is queued. Only
 * when a thread must wait does it come here. The primitive tells the queue how its word is taken
 * ({@link Acquirer}) and how it is given to waiters ({@link Granter}), through a private object of
 * its own, never through its public class. The fairness policy is fixed when the queue is built:
 * {@link FifoEntryQueue} or {@link BargingEntryQueue}, which differ only in the few questions this
 * class asks them ({@link #mayTry}, {@link #parkDeadline}, {@link #askIfDue}, ...).
 */
abstract class EntryQueue extends NodeList {
  /* Implementation notes
   *
   * 1. Why no wake-up is lost (announce, re-check, park). A waiter appends its node and then, in
   *    the same hold of the queue lock, tries the state word again. A releaser writes the state
   *    word (volatile write or CAS) and then reads the queue (volatile). All of these are
   *    volatile, so they fall into one total order: either the waiter's re-check sees the release,
   *    or the releaser sees the node and signals it. A signal before the park is not lost either:
   *    LockSupport keeps one permit. The same order protects the status: a waiter about to re-try
   *    writes WAITING and only then reads the state word; a releaser writes the state word and only
   *    then reads the head's status, and signals it (CAS WAITING -> SIGNALLED, then unpark) only if
   *    it is WAITING. A releaser that finds the head SIGNALLED (awake) does nothing: the head's
   *    next re-try comes after its WAITING write and therefore sees the release. So a release under
   *    contention costs two volatile reads and no queue lock.
   *
   * 2. Who may try while queued: only under the queue lock, and only a node the policy allows
   *    (mayTry: the head under FIFO; under BARGING any node, unless the head has asked for a
   *    hand-off). Grants also happen under the lock, so a node receives the resource at most once.
   *    A head that leaves by cancelling signals the new head, because whatever the old head was
   *    going to do (take a freed resource, stop blocking a smaller request) falls to the new one.
   *    In shared mode (semaphores) a node that acquired signals the new head too, so that permits
   *    released in one go serve several waiters in turn.
   *
   * 3. Spinning. An arriving thread that finds the resource taken queues at once: a spinner's
   *    reads and failed CASes take the state word's cache line away from the holder, the one
   *    thread that must run for anybody to make progress. The spinning that pays is the woken
   *    head's: a head that a release woke (SIGNALLED) and that found the resource taken again
   *    re-tries a few times, SPINS_PER_RETRY spin rounds apart, before it parks again; its number
   *    of re-tries starts at 0 and doubles (plus one) after every such disappointment, up to
   *    MAX_SPINS. A re-try takes the queue lock only when a read of the state word says it could
   *    succeed (Acquirer.mayAcquire), so the spinning head does not write the queue's cache line,
   *    which every release reads. While it spins it stays SIGNALLED, so releasers leave it alone:
   *    under steady contention the head stays awake and catches the resource at a later release
   *    instead of costing every release an unpark.
   *
   * 4. The grant sequence (handOff): under the queue lock the Granter gives the resource to the
   *    first k nodes, then each is marked GRANTED and unlinked (NodeList.grant), then, after the
   *    lock is released, unparked. The word is never free in between, so no arriving thread can
   *    take it; the waiter reads GRANTED before it returns, so it sees what the granter wrote.
   *    Two consequences of GRANTED coming first, both handled here:
   *    - The granted thread may run, and release, while its node is still linked as the head. A
   *      release that finds the head GRANTED waits for the granter's lock and signals the head
   *      after it (signalHead).
   *    - GRANTED overwrites a SIGNALLED that a concurrent lock-free release put on the same head
   *      (semaphores, BARGING: a second release adding permits while the first hands off). That
   *      signal was for "the head", so in shared mode a hand-off passes it on: after granting,
   *      still under the lock, it signals the new head, as a node that acquired by itself does.
   */

  /** How a primitive's state word is taken. Implemented by a private object of the primitive. */
  interface Acquirer {
    /**
     * Tries once to take {@code arg} units for the calling thread, without waiting. Called with or
     * without the queue lock held; must not block or call into the waiting core.
     */
    boolean tryAcquire(int arg);

    /**
     * Whether {@link #tryAcquire} could succeed now, judged by reading the state word only: a
     * spinning head asks before it takes the queue lock for a re-try. A wrong "yes" costs one
     * re-try; a wrong "no" is safe, because the head re-tries under the queue lock, after writing
     * WAITING, before it parks (note 1).
     */
    boolean mayAcquire(int arg);
  }

  /** How a primitive gives its resource to waiters. Implemented by a private object of the primitive. */
  interface Granter {
    /**
     * Called with the queue lock held, with the first node ({@code null} if nobody waits) and the
     * units being released ({@code 0} when only what the state word holds is given out). Gives
     * the resource to the first {@code k >= 0} nodes (reading later ones with {@link
     * WaitNode#next()}) and returns {@code k}; the queue then grants them (note 4). What it does
     * when it gives to nobody is the primitive's business (a lock frees its word; a semaphore
     * adds the units to its count, or, when asked to only hand off, changes nothing). It must not
     * block or call into the waiting core, and may throw (a release past a bound) only before it
     * has changed anything.
     */
    int grant(@Nullable WaitNode first, int units);
  }

  /** Spin rounds between two re-tries of a woken head. */
  private static final int SPINS_PER_RETRY = 8;

  /** The most re-tries a woken head makes before it parks again. */
  static final int MAX_SPINS = 63;

  /** {@link #spin}: the spin ended because the wait was interrupted or its deadline passed. */
  private static final int GIVE_UP = -2;

  /** {@link #spin}: no luck; announce WAITING and re-try once more under the lock. */
  private static final int NOT_YET = -1;

  final Acquirer acquirer;
  final Granter granter;
  /** The primitive, recorded as the blocker of every park, for thread dumps and tools. */
  final Object blocker;
  /** Whether a node that acquired signals the next one (semaphores). */
  private final boolean shared;
  /** The most units a request can ever be served (a bounded semaphore's maxPermits). */
  final int maxArg;

  EntryQueue(Acquirer acquirer, Granter granter, Object blocker, boolean shared, int maxArg) {
    this.acquirer = acquirer;
    this.granter = granter;
    this.blocker = blocker;
    this.shared = shared;
    this.maxArg = maxArg;
  }

  /**
   * A queue with the given policy, for a primitive whose requests can be served up to {@code
   * maxArg} units at once ({@code Integer.MAX_VALUE} when there is no such bound).
   */
  static EntryQueue create(
      boolean fifo,
      boolean shared,
      int maxArg,
      Acquirer acquirer,
      Granter granter,
      Object blocker) {
    return fifo
        ? new FifoEntryQueue(acquirer, granter, blocker, shared, maxArg)
        : new BargingEntryQueue(acquirer, granter, blocker, shared, maxArg);
  }

  // ---------------------------------------------------------------------------------------------
  // The policy's questions

  /** Whether {@code node} may try the state word now (queue lock held, or a hint without it). */
  abstract boolean mayTry(WaitNode node);

  /** Whether an arriving thread may take the state word without queueing (no lock; a hint). */
  abstract boolean arrivalMayTake();

  /**
   * Whether a release of {@code units}, with {@code available} units in the state word, should go
   * through {@link #handOff} rather than free the word and signal.
   */
  abstract boolean handOffDue(int units, int available);

  /** The deadline the thread of {@code node} parks until: its own, or earlier if the policy needs. */
  abstract long parkDeadline(WaitNode node, long deadline);

  /** Called by the thread of {@code node} after every wake-up and failed re-try; true if it just asked for a hand-off. */
  abstract boolean askIfDue(WaitNode node);

  /** Called under the lock when {@code node} acquired by itself, before it is unlinked. */
  abstract void servedByItself(WaitNode node);

  /** Called under the lock after a hand-off granted at least one node. */
  abstract void handedOff();

  /**
   * Whether a hand-off in shared mode signals the new head afterwards (note 4): needed where
   * releases also signal without the lock (BARGING); under FIFO every release with waiters goes
   * through the lock, and the signal would only wake a head that cannot proceed.
   */
  abstract boolean signalsAfterHandOff();

  // ---------------------------------------------------------------------------------------------
  // Waiting

  /**
   * Waits until the state word is taken for {@code arg} units, the deadline passes, or (if {@code
   * interruptible}) the thread is interrupted.
   *
   * @param deadline an absolute {@code System.nanoTime()} deadline, or {@link Parking#NO_DEADLINE}
   * @return {@link Parking#ACQUIRED}, {@link Parking#TIMED_OUT} or {@link Parking#INTERRUPTED};
   *     the interrupted status is cleared when INTERRUPTED is returned, and set again on other
   *     results if an uninterruptible wait absorbed an interrupt
   */
  final int acquire(int arg, boolean interruptible, long deadline) {
    WaitNode node = new WaitNode(Thread.currentThread(), arg);
    WaitNode wake = null;
    boolean acquired = false;
    lock();
    try {
      append(node, System.nanoTime());
      // Announce (the append), then re-check (the try), in one hold of the lock: note 1.
      if (mayTry(node) && acquirer.tryAcquire(arg)) {
        wake = leaveAfterAcquire(node);
        acquired = true;
      }
    } finally {
      unlock();
    }
    if (acquired) {
      unparkIfNotNull(wake);
      return ACQUIRED;
    }
    Object event = Events.beginContended(blocker, size());
    int result = await(node, interruptible, deadline, false);
    if (event != null) {
      Events.endContended(event, result == ACQUIRED);
    }
    return result;
  }

  /**
   * Waits, uninterruptibly and without a deadline, with a node that a Mesa signal moved here
   * ({@link ConditionQueue#transferTo}). It tries before its first park, since it may have been
   * signalled while parked for its condition; under BARGING that try may overtake the nodes ahead,
   * as an arriving thread's may. A node moved to the head is awake and says so (SIGNALLED), then
   * spins like a woken head; one moved behind others tries once and parks.
   */
  final void awaitMoved(WaitNode node) {
    int unused = await(node, false, Parking.NO_DEADLINE, true);
  }

  /*
   * The loop. Repeatedly:
   *   park (except right after a move), until unparked, the deadline, or the policy's wake-up;
   *   if granted, return acquired;
   *   if interrupted (interruptible) or past the deadline, give up, unless granted first;
   *   if the policy says the head is due a hand-off, ask for it and wait awake;
   *   if awake (SIGNALLED), spin, re-trying while the state word looks free;
   *   announce WAITING and re-try once under the queue lock; park again if that fails.
   */
  private int await(WaitNode node, boolean interruptible, long deadline, boolean moved) {
    boolean absorbedInterrupt = false;
    boolean park = !moved;
    int spins = moved && wakeIfFirst(node) ? MAX_SPINS : 0;
    for (;;) {
      if (park) {
        Parking.parkUntil(blocker, parkDeadline(node, deadline));
      }
      park = true;
      if (node.status == WaitNode.GRANTED) { // handed the resource while parked
        return Parking.finish(ACQUIRED, absorbedInterrupt);
      }
      int verdict = Parking.verdict(interruptible, deadline); // interrupt first, then deadline
      if (verdict == ABSORBED_INTERRUPT) {
        absorbedInterrupt = true;
      } else if (verdict != KEEP_WAITING) {
        return giveUp(node, verdict, absorbedInterrupt);
      }
      if (askIfDue(node) && wakeIfFirst(node)) { // asked: wait for the hand-off awake
        spins = MAX_SPINS;
      }
      if (node.status == WaitNode.SIGNALLED) { // awake: spin before announcing WAITING again
        int r = spin(node, spins, interruptible, deadline);
        if (r == ACQUIRED) {
          return Parking.finish(ACQUIRED, absorbedInterrupt);
        }
        if (r == GIVE_UP) { // seen the interrupt or the deadline: answer it, do not re-try
          park = false;
          continue;
        }
        spins = MULTIPROCESSOR ? Math.min(2 * spins + 1, MAX_SPINS) : 0;
      }
      if (retryAnnounced(node)) { // WAITING, then one re-try under the lock (note 1)
        return Parking.finish(ACQUIRED, absorbedInterrupt);
      }
    }
  }

  /**
   * On a multiprocessor, marks the head {@code node} awake (SIGNALLED) so that releasers do not
   * unpark it while it spins; returns whether it is now an awake head.
   */
  private boolean wakeIfFirst(WaitNode node) {
    return MULTIPROCESSOR
        && first() == node
        && (node.status == WaitNode.SIGNALLED || node.casWaitingToSignalled());
  }

  /**
   * The awake head's spin: up to {@code spins} re-tries, SPINS_PER_RETRY rounds apart, each
   * taking the lock only when the word looks free. A head that becomes due a hand-off meanwhile
   * asks and starts a full spin (at most once: only its leaving clears its request).
   */
  private int spin(WaitNode node, int spins, boolean interruptible, long deadline) {
    for (int i = 0; i < spins; i++) {
      for (int k = 0; k < SPINS_PER_RETRY; k++) {
        Thread.onSpinWait();
      }
      if (tryWhileQueued(node)) {
        return ACQUIRED;
      }
      if (MULTIPROCESSOR && askIfDue(node)) {
        i = 0;
        spins = MAX_SPINS;
      }
      if (Parking.spinMustEnd(interruptible, deadline)) {
        return GIVE_UP;
      }
    }
    return NOT_YET;
  }

  /** One re-try that leaves the status as it is; true if granted or acquired. */
  private boolean tryWhileQueued(WaitNode node) {
    if (node.status != WaitNode.GRANTED && !acquirer.mayAcquire(node.arg)) {
      return false; // nothing to take: no need to take the queue lock either
    }
    return tryLocked(node, false);
  }

  /** Announces WAITING, then re-tries under the lock (note 1); true if granted or acquired. */
  private boolean retryAnnounced(WaitNode node) {
    return tryLocked(node, true);
  }

  private boolean tryLocked(WaitNode node, boolean announce) {
    WaitNode wake = null;
    boolean acquired;
    lock();
    try {
      if (node.status == WaitNode.GRANTED) {
        return true;
      }
      if (announce) {
        node.status = WaitNode.WAITING; // before the re-try reads the word: a later release sees it
      }
      acquired = mayTry(node) && acquirer.tryAcquire(node.arg);
      if (acquired) {
        wake = leaveAfterAcquire(node);
      }
    } finally {
      unlock();
    }
    unparkIfNotNull(wake);
    return acquired;
  }

  /**
   * Unlinks a node that acquired by itself (lock held); in shared mode signals the new head.
   * Returns the node to unpark after the lock is released, if any.
   */
  private @Nullable WaitNode leaveAfterAcquire(WaitNode node) {
    servedByItself(node);
    grant(node);
    return shared ? signalHead() : null;
  }

  /**
   * Gives up waiting for {@code verdict}: unlinks the node unless it was granted first, in which
   * case the thread keeps what it was given (an interrupt that lost is kept in its status).
   */
  private int giveUp(WaitNode node, int verdict, boolean absorbedInterrupt) {
    WaitNode wake = null;
    boolean cancelled;
    lock();
    try {
      boolean wasFirst = first() == node;
      cancelled = removeLocked(node);
      if (cancelled && wasFirst) {
        wake = signalHead(); // whatever the old head was going to do falls to the new one
      }
    } finally {
      unlock();
    }
    unparkIfNotNull(wake);
    if (cancelled) {
      return Parking.finish(verdict, absorbedInterrupt);
    }
    return Parking.finish(ACQUIRED, absorbedInterrupt || verdict == Parking.INTERRUPTED);
  }

  // ---------------------------------------------------------------------------------------------
  // Releasing

  /**
   * Wakes the first waiter so that it tries again, unless it is already awake. Called by a
   * releaser after it freed the state word; lock-free (note 1).
   */
  final void signalFirst() {
    unparkIfNotNull(signalHead());
  }

  /**
   * Marks the head SIGNALLED if it is WAITING and returns it (to unpark), else null; with or
   * without the lock. A head unlinked at the same moment needs no signal: it acquired (and will
   * signal on release), or cancelled (and cancel signals the new head). A head that reads
   * GRANTED is being handed the resource and unlinked by a granter that holds the lock (GRANTED
   * is written before unlinking, note 4), and its thread may already run, and even release, while
   * it is still linked: the releaser then takes the lock, which waits for the unlinking, and
   * signals the head that follows. Without that, such a release would signal nobody and leave the
   * next waiter parked with the resource free.
   */
  private @Nullable WaitNode signalHead() {
    WaitNode h = first();
    if (h == null) {
      return null;
    }
    if (h.status == WaitNode.GRANTED) {
      lock();
      try {
        h = first();
      } finally {
        unlock();
      }
      if (h == null) {
        return null;
      }
    }
    if (h.status == WaitNode.WAITING && h.casWaitingToSignalled()) {
      return h;
    }
    return null;
  }

  /**
   * Releases {@code units} through the {@link Granter} under the queue lock (note 4): it gives
   * them, with what the state word holds, to the heads it can serve, in order. Returns the number
   * of nodes granted.
   */
  final int handOff(int units) {
    WaitNode chainHead = null;
    WaitNode chainTail = null;
    WaitNode wake = null;
    int granted;
    lock();
    try {
      granted = granter.grant(first(), units);
      for (int i = 0; i < granted; i++) {
        WaitNode h = first();
        if (h == null) {
          throw new AssertionError("the granter granted more nodes than are queued");
        }
        grant(h);
        // The unlinked node's link collects the threads to unpark, in queue order.
        if (chainTail == null) {
          chainHead = h;
        } else {
          chainTail.next = h;
        }
        chainTail = h;
      }
      if (granted > 0) {
        handedOff();
        if (shared && signalsAfterHandOff()) {
          wake = signalHead(); // the signal a racing release may have spent on a granted node
        }
      }
    } finally {
      unlock();
    }
    unparkChain(chainHead);
    unparkIfNotNull(wake);
    return granted;
  }

  private static void unparkIfNotNull(@Nullable WaitNode node) {
    if (node != null) {
      LockSupport.unpark(node.thread);
    }
  }
}
