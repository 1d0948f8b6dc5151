package dev.syncprims.impl;

import dev.syncprims.DeadlockException;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * On-wait deadlock detection: before a thread parks on an owned lock (a mutex, a reentrant mutex,
 * a monitor's entry) it follows the wait-for graph from the lock it wants (its owner, the lock
 * that owner waits for, that lock's owner, ...), and if the walk comes back to itself it throws
 * {@link DeadlockException} instead of waiting. Switched on with the system property {@value
 * #PROPERTY}, read once, when this class is first used. Internal; not part of the API.
 */
final class DeadlockDetection {
  /* Implementation notes
   *
   * 1. The graph. Owners are the locks' own (OwnedLock.owner()). The other half, "what does
   *    thread T wait for", exists only while detection is on: WAITS maps each thread that waits
   *    for an owned lock to a Wait, a new object for every wait, put before the thread queues and
   *    removed when it stops waiting (acquired, interrupted). Timed waits are not put: they end by
   *    themselves, so a cycle through one is not a deadlock, only a delay. Waits that cannot give
   *    up are put but do not check, since they must return holding the lock; others' walks see
   *    them: the re-entry after a condition wait, put by the Mesa signal that moves the waiter
   *    (publishFor, before the move, so that the signaller's next wait finds a cycle through it;
   *    the moved thread removes it once it holds the lock, also when the lock was handed to it
   *    while it was still parked), and a Hoare signaller waiting for the monitor back (put
   *    before it hands the monitor over, so that the signalled thread, which may run at once,
   *    sees it). Where such a wait is the
   *    last to close a cycle (a condition wait that timed out or was interrupted, re-entering),
   *    nobody is refused: Deadlocks.find() shows the hang.
   *
   * 2. The walk. From the wanted lock L0: X1 = owner(L0); W1 = WAITS(X1), X1 waits for L1 ...;
   *    it succeeds when some owner(Lk) is the walker, and stops when an owner is null, a thread
   *    waits for nothing (or for a semaphore, which has no owner), a thread comes round again (a
   *    cycle the walker is not part of), or after MAX_HOPS hops.
   *
   * 3. No false cycle. The walk reads the graph piece by piece while it changes, so what it saw
   *    may never have existed all at once (X1 owned L0 when read, then released it, then started
   *    waiting for a lock the walker holds). A cycle is reported only after a second look: every
   *    owner again (owner(Li) is still X(i+1)), then every Wait again (WAITS(Xi) is still the same
   *    object). Why that is enough: a thread neither gains nor loses locks while it waits, except
   *    the one it waits for; the same Wait object seen twice means Xi waited all the time between
   *    the two reads, and the owner re-read falls inside that time. So at the moment between the
   *    owner re-reads and the Wait re-reads, each Xi held L(i-1) and waited for Li, held by X(i+1):
   *    the cycle existed then, and since every thread in it waits untimed for the next, it still
   *    does. (Reading a Wait happens-after the owner writes its thread made before waiting; the
   *    owner field is plain, and only its holder writes it while it is held.)
   *
   * 4. Exactly one exception per cycle. Putting one's Wait and walking happen under one global
   *    lock (CHECK), so the checks of all threads are in one order. Of the threads that close a
   *    cycle, the last one to check sees all the others' Waits (they were put in earlier checks and
   *    stay while their threads wait) and the locks they hold (acquired before they waited): it
   *    finds the cycle. Any earlier one checked before the last Wait existed and found none. The
   *    one that finds it removes its Wait before releasing CHECK and throws; the cycle is gone, and
   *    a later check cannot find it. CHECK is taken only on the way to parking with detection on;
   *    it is held for the walk, at most MAX_HOPS owner and map reads, never while parking. It is a
   *    monitor rather than a ReentrantLock so that no error (a StackOverflowError while it is
   *    released) can leave it held; a Wait put before a walk that fails is removed again.
   */

  /** The system property that switches detection on. */
  static final String PROPERTY = "dev.syncprims.deadlockDetection";

  /** Whether detection is on: the property, read once. */
  static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

  /** The longest cycle the walk looks for (in threads). */
  static final int MAX_HOPS = 64;

  private static final ConcurrentHashMap<Thread, Wait> WAITS = new ConcurrentHashMap<>();

  /**
   * The detector's lock (note 4): a monitor, because the JVM releases it whatever ends the block,
   * a StackOverflowError included; nothing parks while holding it.
   */
  private static final Object CHECK = new Object();

  private DeadlockDetection() {}

  /** One wait of one thread for one primitive: a new object per wait (note 3). */
  static final class Wait {
    final Object primitive;

    Wait(Object primitive) {
      this.primitive = primitive;
    }
  }

  /**
   * Records that the calling thread is about to wait, untimed, for {@code lock}, which it does not
   * hold. If {@code check}, first makes sure that the wait would not close a cycle: if it would,
   * throws {@link DeadlockException} with nothing recorded. End the wait with {@link #endWait}.
   */
  static Wait beginWait(OwnedLock lock, boolean check) {
    Thread me = Thread.currentThread();
    Wait mine = new Wait(lock);
    if (!check) {
      // No CHECK needed: the thread has no Wait now (a moved condition waiter, which has one,
      // keeps it instead: OwnedLock.reenterAfterWait), so this put replaces none that a walk may
      // have read; it only adds an arrow, which a walk either sees or, if it comes later, misses
      // like any wait that begins after the walk.
      WAITS.put(me, mine);
      return mine;
    }
    Cycle cycle;
    synchronized (CHECK) {
      WAITS.put(me, mine);
      try {
        cycle = cycleClosedBy(me, lock, mine);
      } catch (RuntimeException | Error e) { // an OutOfMemoryError: leave no stale wait behind
        WAITS.remove(me, mine);
        throw e;
      }
      if (cycle != null) {
        WAITS.remove(me, mine);
      }
    }
    if (cycle != null) {
      String message =
          "waiting would close a deadlock: " + Deadlocks.describe(cycle.threads, cycle.primitives);
      Events.deadlockDetected(cycle.threads, cycle.primitives, message);
      throw new DeadlockException(message, cycle.threads);
    }
    return mine;
  }

  /**
   * Records, for {@code thread}, that it waits for {@code lock} from now on, without checking: a
   * Mesa signal moving a parked condition waiter to the lock's entry queue. The thread ends that
   * wait itself, with {@link #endMovedWait}, when it holds the lock again, whichever way it got it
   * (handed over while still parked, or taken after it woke).
   */
  static void publishFor(Thread thread, Object lock) {
    WAITS.put(thread, new Wait(lock));
  }

  /**
   * Ends the wait that {@link #publishFor} recorded for the calling thread, now that it holds the
   * lock again. Keeping the same Wait object for the whole re-entry, rather than putting a new
   * one, keeps a walk that read it once able to confirm it (note 3).
   */
  static void endMovedWait() {
    WAITS.remove(Thread.currentThread());
  }

  /** Whether a wait of {@code thread} is recorded now (for tests: none is left behind). */
  static boolean isWaiting(Thread thread) {
    return WAITS.containsKey(thread);
  }

  /** Records that the wait begun with {@code wait} by the calling thread is over. */
  static void endWait(Wait wait) {
    WAITS.remove(Thread.currentThread(), wait);
  }

  /** A cycle found by the walk: {@code threads[i]} waits for {@code primitives[i]}. */
  private static final class Cycle {
    final List<Thread> threads;
    final List<Object> primitives;

    Cycle(List<Thread> threads, List<Object> primitives) {
      this.threads = threads;
      this.primitives = primitives;
    }
  }

  /** The walk (note 2) and its second look (note 3); CHECK held. */
  private static @Nullable Cycle cycleClosedBy(Thread me, OwnedLock wanted, Wait mine) {
    List<Thread> threads = new ArrayList<>();
    List<OwnedLock> locks = new ArrayList<>();
    List<Wait> waits = new ArrayList<>();
    threads.add(me);
    locks.add(wanted);
    waits.add(mine);
    OwnedLock lock = wanted;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      Thread owner = lock.owner();
      if (owner == me) {
        return confirmed(threads, locks, waits) ? new Cycle(threads, new ArrayList<>(locks)) : null;
      }
      if (owner == null || threads.contains(owner)) {
        return null; // free, or a cycle that the calling thread is not part of
      }
      Wait w = WAITS.get(owner);
      if (w == null || !(w.primitive instanceof OwnedLock next)) {
        return null; // running, or waiting for something without an owner
      }
      threads.add(owner);
      waits.add(w);
      lock = next;
      locks.add(lock);
    }
    return null;
  }

  /** The second look of note 3: every owner, then every Wait, unchanged. */
  private static boolean confirmed(List<Thread> threads, List<OwnedLock> locks, List<Wait> waits) {
    int n = threads.size();
    for (int i = 0; i < n; i++) {
      if (locks.get(i).owner() != threads.get((i + 1) % n)) {
        return false;
      }
    }
    VarHandle.acquireFence(); // the owner reads (plain) before the Wait reads, as note 3 needs
    for (int i = 1; i < n; i++) {
      if (WAITS.get(threads.get(i)) != waits.get(i)) {
        return false;
      }
    }
    return true;
  }
}
