package dev.syncprims.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The waiting core of the library: a FIFO queue of parked threads that every blocking primitive
 * stands on. Internal; not part of the API.
 *
 * <p>A primitive keeps its own state word (a lock's hold count, a semaphore's permits) and takes it
 * with one CAS while nothing is queued. Only when a thread must wait does the primitive come here,
 * and the core then owns everything hard about blocking: queueing in arrival order, bounded
 * spinning, parking with the primitive as the blocker, deadlines, interrupts, cancellation that
 * unlinks the waiter, direct hand-off to a chosen waiter, and the protocol that makes a lost
 * wake-up impossible. A primitive tells the core only how its state word is taken ({@link
 * Acquirer}) and, for a hand-off, how it is given to a waiter ({@link Granter}).
 */
final class WaitQueue {
  /* Implementation notes
   *
   * 1. The queue and its lock.
   *    The queue is a doubly-linked list of Nodes (head = longest waiting). Every change to the
   *    list, and every change to a node's status made by another thread, happens while holding
   *    the queue lock: a small spin lock (an int word, CAS 0 -> 1, release-store back to 0) that is
   *    held for a handful of instructions and never while parking. The lock makes unlinking a
   *    node from the middle (cancellation), handing the resource to the head, and moving a node
   *    to another queue (Mesa signal) plain list code, which a lock-free queue would turn into the
   *    hardest part of the library. It is only taken on slow paths, by threads that are about to
   *    park or that must wake one: the uncontended acquire and release of every primitive never
   *    touch it. A thread that finds it held spins briefly and then yields, so a holder that was
   *    descheduled does not stall the others for long. Lock order: a condition queue's lock may
   *    be held while taking an entry queue's lock (transfer), never the reverse.
   *
   * 2. Node status (volatile int; changed under the queue lock, except WAITING -> SIGNALLED,
   *    which a releaser makes by CAS without it, and which a node makes to itself, also by CAS,
   *    to say that it is awake: a node moved to the head of a lock's queue by a Mesa signal
   *    (note 9), and a BARGING head that has asked for a hand-off (note 10)):
   *      WAITING    parked or about to park; a releaser may signal or grant it
   *      SIGNALLED  woken to try the state word again (still queued, still first)
   *      GRANTED    the resource was handed to it; it is unlinked; the waiter returns acquired
   *      CANCELLED  it gave up (deadline or interrupt) and is unlinked
   *    WAITING <-> SIGNALLED (releaser signals; the woken waiter resets it after a failed try),
   *    WAITING/SIGNALLED -> GRANTED (releaser), WAITING/SIGNALLED -> CANCELLED (the waiter).
   *    GRANTED and CANCELLED are final, and both happen under the queue lock, so a cancellation
   *    racing a grant has exactly one winner: a waiter whose deadline passes just as it is granted
   *    returns acquired, never both or neither.
   *
   * 3. Why no wake-up is lost (the announce, re-check, park protocol).
   *    A waiter appends its node (a volatile write of the queue) and then, in the same queue-lock
   *    hold, tries the state word again (a volatile read). A releaser writes the state word (a
   *    volatile write or CAS) and then reads the queue (volatile). All of these are volatile, so
   *    they fall into one total order: either the waiter's re-check sees the release, or the
   *    releaser sees the node and signals it. A signal before the park is not lost either:
   *    LockSupport keeps one permit, so the park returns at once. The same order protects the
   *    status: a waiter about to re-try writes WAITING and only then reads the state word; a
   *    releaser writes the state word and only then reads the head's status, and signals it
   *    (CAS WAITING -> SIGNALLED, then unpark) only if it is WAITING. A releaser that finds the
   *    head SIGNALLED (already awake) does nothing, which is cheap and safe: the head's next
   *    re-try comes after its WAITING write and therefore sees the release. So signalling needs
   *    no queue lock, and a release under contention costs two volatile reads.
   *
   * 4. Who may try the state word while queued.
   *    A queued node tries only under the queue lock, and only while it is first (FIFO) or at
   *    any time (barging). Together with grants, which also happen under the lock, this makes a
   *    node receive the resource at most once. A node that leaves the head of the queue by
   *    cancelling signals the new head, because whatever the old head was going to do (take a
   *    freed resource, pass on a signal it had received, stop blocking a smaller request behind
   *    it) falls to the new one. A node that acquires in shared mode (semaphores) signals the new
   *    head too, so that permits released in one go can satisfy several waiters in turn.
   *
   * 5. Spinning. An arriving thread that finds the resource taken does not spin: it queues at
   *    once (after one more try under the queue lock). Measured on 2 cores with JMH (MutexBench,
   *    empty critical section, 2 threads), 64 rounds of spinning before queueing cut throughput
   *    from about 35 to about 7 operations per microsecond: the spinner's reads and failed CASes
   *    keep taking the state word's cache line away from the holder, which is exactly the thread
   *    that must run for anybody to make progress. The spinning that pays is the woken head's:
   *    a head that a release woke (SIGNALLED) and that found the resource taken again re-tries
   *    a few times, SPINS_PER_RETRY spin rounds apart, before it parks again; the number of
   *    re-tries starts at 0 and doubles (plus one) after every such disappointment, up to
   *    MAX_POST_WAKE_SPINS (from a few to a few tens of microseconds, depending on how long the
   *    processor's spin-wait hint pauses). A re-try takes the queue lock only when a read of the
   *    state word says it could succeed (Acquirer.mayAcquire), so the spinning head does not
   *    write to the queue's cache line, which every release reads. While it spins it stays
   *    SIGNALLED, so releasers leave it alone: under steady contention the head stays awake and
   *    catches the resource at a later release, instead of costing every release an unpark.
   *
   * 6. Deadlines are absolute System.nanoTime() values computed once; comparisons are by
   *    difference (deadline - now > 0), which stays right across the overflow of nanoTime, and
   *    a timeout of Long.MAX_VALUE nanoseconds is about 292 years, so it never wraps.
   *
   * 7. Interrupts. Interruptible waits check the interrupted status after every wake-up, before
   *    the deadline, so an interrupt wins over a concurrent timeout. Uninterruptible waits clear
   *    it (so that park does not return at once forever) and set it again before returning.
   *
   * 8. Condition queues (monitors, and the conditions of the owned locks) hold nodes of threads
   *    that gave up a lock; no state word is tried there. A node leaves by its own giving up
   *    (remove), or by a signal of the lock's holder: a Mesa signal moves it to the lock's queue
   *    (transferTo, under both queue locks), a Hoare signal grants it the lock (grantFirst). Both
   *    happen under this queue's lock, so a waiter that gives up at the same moment finds out
   *    exactly which one won. grantFirst writes GRANTED before unlinking, so the waiter's check
   *    "my node has left the queue" (awaitSignal) is followed by a read that sees GRANTED; a node
   *    not GRANTED was moved, and the lock of the queue it was moved to orders the rest.
   *
   * 9. Spinning of condition waiters. A thread that waits on a condition waits for another
   *    thread's action, usually a short one (a producer's put, a consumer's take), and every
   *    park it avoids spares a system call on each side and the wake-up latency in between,
   *    which is what bounds a producer/consumer pair on few cores. So, on a multiprocessor, a
   *    condition waiter first spins, watching only its own node, for up to the queue's spin
   *    budget (awaitSignal); a Hoare signaller on the urgent queue does the same (awaitGrant);
   *    and a node that a Mesa signal moved to the head of the lock's queue marks itself
   *    SIGNALLED (awake) and spins and re-tries like a woken head (awaitQueued with tryFirst),
   *    instead of parking until the signaller's release unparks it. (Only the head does: the
   *    nodes signalAll moves behind it try once and park.) A condition waiter's spin ends at
   *    its deadline and, if the wait is interruptible, at an interrupt. The budget adapts per
   *    condition: a signal that arrives during the spin restores it to
   *    MAX_CONDITION_SPIN_NANOS, a spin that ends in a park anyway takes an eighth off it, down
   *    to MIN_CONDITION_SPIN_NANOS, so the waiters of a condition that is signalled rarely soon
   *    spin next to nothing. The urgent queue's budget is its own (awaitGrant), at most
   *    MAX_GRANT_SPIN_NANOS. Spinning yields the processor after a few microseconds, so that
   *    with more runnable threads than processors the awaited thread can run. Marking oneself
   *    SIGNALLED is safe for the reason note 3 gives: the node re-tries under the queue lock
   *    after it has written WAITING and before it parks, so a release that skipped it because
   *    it looked awake is seen by that re-try.
   *
   * 10. Eventual fairness under BARGING: the head asks when it can, releasers look when it can't.
   *    A barging release frees the resource and wakes the head, which then competes with the
   *    threads arriving at that moment; on its own it could lose every time. The bound: once the
   *    head has waited FAIRNESS_BOUND_NANOS, counted from the later of its arrival and the last
   *    time a head was served that way (handOffDueAt; so such hand-offs come about one per
   *    bound, and an oversubscribed lock does not become a convoy of parked threads), a release
   *    hands the resource straight to it (handOff, grantInOrder), so no arriving thread can take
   *    it in between. Who notices that the head is due:
   *    - The head, whenever it runs. A BARGING head parks with a timeout that ends when it
   *      becomes due (headParkDeadline; it shows as TIMED_WAITING in thread dumps), checks
   *      after every wake-up and after every failed re-try of its spin, and once due publishes
   *      handOffRequest (what it waits for: its arg) under the queue lock, only if it is still
   *      the head and not granted (requestHandOffIfDue). Then it marks itself SIGNALLED (note
   *      2) and spins the full budget (note 5), so that the next release grants it while it
   *      runs instead of leaving the resource idle while a parked thread is scheduled. If no
   *      release comes during the spin, it parks with its request still published, and the
   *      next release (for a semaphore, the next one that covers the request) hands off to it
   *      parked. A release reads handOffRequest: one volatile read.
   *    - The release, for a head that is parked (WAITING), or whose timeout has expired but
   *      that has not run yet (parkedHeadDue). It reads the head's status, and only for a
   *      parked head the clock: such a release would otherwise pay for an unpark, so the clock
   *      costs it little.
   *    The request is the head's own: unlink clears it when the head leaves the queue (granted,
   *    acquired by itself, cancelled), and the next head waits for its own bound; a head that
   *    asked and then took the resource itself counts as served (lastHandOff). A releaser that
   *    read a request just before it was cleared serves the next head instead: harmless, one
   *    release behaving as FIFO would. (So "about one per bound": such a stale request, a head
   *    that asked and then cancelled, and the heads a semaphore hand-off grants from the count
   *    after the first can each add one.)
   *    A semaphore release hands off to a head that asked only if its permits and the count
   *    cover the request, so a head asking for more than one release provides does not send
   *    every release through the queue lock.
   *    What is left to the scheduler: a head that was descheduled while it spun, before it
   *    asked, is neither parked nor able to ask, and releases in that time barge; it asks as
   *    soon as it runs again, and the next release serves it. (One descheduled after it asked
   *    is served anyway: the resource then waits for the scheduler to run it, at most about
   *    once per bound.) An earlier version made every release read the
   *    head and, every 64th time (counted in a shared word), the clock, and so also handed off
   *    to heads that were not running: the lock then waited for the scheduler, and the other
   *    threads, finding it held, parked. That gave shorter longest waits when threads outnumber
   *    processors (LockFairness, 4 threads on 2 cores: about 4 ms instead of about 12 ms, which
   *    is also the JDK's non-fair locks' figure there) at a large cost in throughput
   *    (SemaphoreBench, 8 threads on 2 cores, 2 permits: 11.4 operations per microsecond,
   *    against about 24 now and about 21 for the JDK's non-fair semaphore in the same
   *    sessions). Adding those hand-offs to heads that were not running to this scheme (sampled
   *    per thread, no shared counter) measured about 18; leaving out the timed park (so that
   *    releases hand off to heads still parked) about 22.
   *    So: a parked head is served by the first release after it becomes due, a running head
   *    by the first release after it asks (within one re-try), a descheduled head by the first
   *    release after it runs again. The first waiter is served within about one bound of
   *    becoming due plus the time the scheduler keeps it off a processor, and the n-th within
   *    about n bounds plus that: nobody starves.
   *
   * Memory effects: the primitive's own CAS and volatile accesses of its state word give the
   * happens-before edges between a release and the next acquire; a hand-off writes the
   * primitive's fields (owner, hold count) before the GRANTED status (volatile), and the waiter
   * reads GRANTED before it returns, so the new owner sees them.
   *
   * References: the structure of java.util.concurrent's AbstractQueuedSynchronizer (a FIFO of
   * parked nodes beside a state word), and Rust's parking_lot (a queue guarded by a small lock,
   * a validation callback under that lock, hand-off after a fairness timeout).
   */

  /** A waiting thread and what it asked for. */
  static final class Node {
    final Thread thread;
    /** Units requested: permits for a semaphore, 1 for a lock. */
    final int arg;
    /**
     * When the thread queued ({@code System.nanoTime()}), for eventual fairness; reset when the
     * node moves to another queue.
     */
    long arrivedAt;
    /** A primitive's own payload, e.g. the hold count a condition waiter must get back. */
    int saved;
    /** Position in its queue's arrival order; assigned when appended. */
    long seq;

    volatile int status;
    /** The queue holding this node, or null once it has left every queue. */
    volatile @Nullable WaitQueue queue;

    // Guarded by the queue lock of the queue holding the node.
    @Nullable Node prev;
    @Nullable Node next;

    Node(Thread thread, int arg) {
      this.thread = thread;
      this.arg = arg;
      this.arrivedAt = System.nanoTime();
    }
  }

  /** How a primitive's state word is taken. */
  interface Acquirer {
    /**
     * Tries once to take {@code arg} units of the resource for the calling thread, without
     * waiting. Called with or without the queue lock held; must not block.
     */
    boolean tryAcquire(int arg);

    /**
     * Whether {@link #tryAcquire} could succeed now, judged by reading the state word only: a
     * spinning head asks this before it takes the queue lock for a re-try, so that a futile
     * re-try costs no write. A wrong "yes" only costs that re-try; a wrong "no" (the word was
     * freed just after the read) is safe because the head re-tries under the queue lock, after
     * writing WAITING, before it parks (note 3).
     */
    boolean mayAcquire(int arg);
  }

  /** How a primitive gives its resource to a queued thread (under the queue lock). */
  interface Granter {
    /**
     * Gives the resource to {@code node}'s thread, or returns false if it cannot now. Called
     * under the queue lock with the first node; when it returns true the node is granted.
     */
    boolean grant(Node node);

    /** Called under the queue lock by {@link #handOff} when no thread is queued. */
    void releaseUnqueued();
  }

  static final int ACQUIRED = 0;
  static final int TIMED_OUT = 1;
  static final int INTERRUPTED = 2;

  static final int WAITING = 0;
  static final int SIGNALLED = 1;
  static final int GRANTED = 2;
  static final int CANCELLED = 3;

  /** Means "no deadline" where a deadline is expected; never compared by difference. */
  static final long NO_DEADLINE = 0L;

  /**
   * Eventual fairness: how long the first waiter may be overtaken under BARGING before a release
   * hands the resource to it directly, and the least time between two such hand-offs.
   */
  static final long FAIRNESS_BOUND_NANOS = 1_000_000L;

  /** Spin rounds between two re-tries of a woken head. */
  private static final int SPINS_PER_RETRY = 8;

  /** The most re-tries a woken head makes before it parks again. */
  private static final int MAX_POST_WAKE_SPINS = 63;

  /** Whether spinning can pay at all: with one processor the thread spun for cannot run. */
  private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

  /** The longest a condition waiter spins before it parks (note 9). */
  static final int MAX_CONDITION_SPIN_NANOS = 100_000;

  /**
   * The longest a Hoare signaller spins for the monitor to come back before it parks (its budget
   * adapts; see awaitGrant): enough for a running waiter's short turn in the monitor.
   */
  static final int MAX_GRANT_SPIN_NANOS = 2_000;

  /** The shortest spin budget of a condition queue, so that a budget can grow again. */
  static final int MIN_CONDITION_SPIN_NANOS = 1_000;

  /** Queue-lock spin rounds before yielding the processor. */
  private static final int QUEUE_LOCK_SPINS = 128;

  @SuppressWarnings("UnusedVariable") // read and written through QUEUE_LOCK
  private volatile int queueLock;

  /**
   * A condition queue's adaptive spin budget, in nanoseconds (note 9). Plain and racy on
   * purpose: it is a hint, and a lost update only makes one wait spin a little more or less.
   */
  private int conditionSpinNanos = MAX_CONDITION_SPIN_NANOS;
  private volatile @Nullable Node head;
  private @Nullable Node tail;
  private volatile int size;
  private long nextSeq;

  /**
   * When a waiter was last handed the resource, or last served after asking for a hand-off
   * (System.nanoTime()). Written under the queue lock; read under it by {@link
   * #requestHandOffIfDue}, and without it by a head that decides whether it is due and by {@link
   * #parkedHeadDue} (a stale value only moves one decision by one round or one release).
   */
  private volatile long lastHandOff = System.nanoTime() - 2 * FAIRNESS_BOUND_NANOS;

  /**
   * Eventual fairness under BARGING (note 10): 0, or the units the head asks to be handed (its
   * {@code arg}) once it has waited past the bound; cleared when the head leaves the queue.
   * Written under the queue lock; a releaser reads it without the lock, and that one volatile
   * read is all the fairness bound costs a release.
   */
  private volatile int handOffRequest;

  // ---------------------------------------------------------------------------------------------
  // Queries (any thread, no lock; the answers may be out of date at once)

  boolean hasWaiters() {
    return head != null;
  }

  int size() {
    return size;
  }

  @Nullable Node first() {
    return head;
  }

  /**
   * What the head of a BARGING queue has asked to be handed (note 10): 0 if nothing, otherwise
   * the units it waits for. A release that can satisfy it should hand off ({@link #handOff} or
   * {@link #grantInOrder}) instead of freeing the resource; one that cannot (a semaphore head
   * asking for more than one release and the count provide) releases as usual. One volatile
   * read, no clock.
   */
  int handOffRequest() {
    return handOffRequest;
  }

  /**
   * Whether the head is parked (WAITING) and due a hand-off: a releaser that finds it so hands
   * off to it instead of waking it to compete (note 10). Reads the clock only for a parked head,
   * whose release would otherwise cost an unpark anyway.
   */
  boolean parkedHeadDue() {
    Node h = head;
    return h != null && h.status == WAITING && System.nanoTime() - handOffDueAt(h) >= 0L;
  }

  /**
   * When the head {@code node} becomes due a hand-off: {@link #FAIRNESS_BOUND_NANOS} after the
   * later of its arrival and the last hand-off, so that it has waited a bound and hand-offs come
   * about one per bound. The last hand-off may be read without the lock: a stale value only moves
   * one decision by one round.
   */
  private long handOffDueAt(Node node) {
    long since = node.arrivedAt - lastHandOff > 0L ? node.arrivedAt : lastHandOff;
    return since + FAIRNESS_BOUND_NANOS;
  }

  /**
   * Called by the thread of {@code node} in a BARGING queue after every wake-up and every failed
   * re-try of its spin: if it is the head and has become due a hand-off, publishes its request
   * ({@link #handOffRequest}) and returns true. True at most once per node: only the head's
   * leaving clears its request.
   */
  private boolean requestHandOffIfDue(Node node) {
    if (head != node || handOffRequest != 0) {
      return false;
    }
    long now = System.nanoTime();
    if (now - handOffDueAt(node) < 0L) {
      return false;
    }
    lockQueue();
    // arg 0 would read as "no request"; no caller queues for 0 units, but a request must be seen.
    boolean raised =
        node.arg > 0 && head == node && node.status != GRANTED && now - handOffDueAt(node) >= 0L;
    if (raised) {
      handOffRequest = node.arg;
    }
    unlockQueue();
    return raised;
  }

  // ---------------------------------------------------------------------------------------------
  // Deadlines

  /** The absolute deadline {@code nanos} from now; {@code nanos} must be positive. */
  static long deadlineAfter(long nanos) {
    long deadline = System.nanoTime() + nanos; // may wrap; compared by difference
    return deadline == NO_DEADLINE ? deadline + 1 : deadline;
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  /**
   * Waits until {@code acquirer} succeeds for {@code arg} units, the deadline passes, or (if
   * {@code interruptible}) the thread is interrupted. Queues at once (see note 5 on spinning).
   *
   * @param blocker the primitive, recorded as the parked thread's blocker for thread dumps
   * @param fifo whether a queued thread may try only when it is first
   * @param shared whether a successful waiter should signal the next one (semaphores)
   * @param deadline an absolute {@code System.nanoTime()} deadline, or {@link #NO_DEADLINE}
   * @return {@link #ACQUIRED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}; the interrupted
   *     status is cleared when INTERRUPTED is returned, and set again on other results if an
   *     uninterruptible wait absorbed an interrupt
   */
  int acquire(
      Acquirer acquirer,
      Object blocker,
      int arg,
      boolean fifo,
      boolean shared,
      boolean interruptible,
      long deadline) {
    Node node = new Node(Thread.currentThread(), arg);
    lockQueue();
    append(node);
    // Announce (the append), then re-check (the try), in one hold: see note 3.
    if ((!fifo || head == node) && acquirer.tryAcquire(arg)) {
      Node next = leaveAfterAcquire(node, shared);
      unlockQueue();
      unparkIfNotNull(next);
      return ACQUIRED;
    }
    unlockQueue();
    return awaitQueued(acquirer, blocker, node, fifo, shared, interruptible, deadline, false);
  }

  /**
   * Waits with a node that is already in this queue (appended by {@link #acquire} or moved here
   * by {@link #transferTo}). With {@code tryFirst}, tries under the queue lock before the
   * first park, which a moved node needs: it may have been signalled while it was parked for its
   * previous queue. Under BARGING that first try may overtake the nodes ahead, as an arriving
   * thread's may: a thread that a Mesa signal moved competes again like an entrant, so the
   * waiters of one signalAll are not promised an order (under FIFO they keep it). Measured with
   * MonitorBench (two and four producer/consumer pairs on one buffer, 2 cores), a moved node
   * that parked without this try held the buffer to about a quarter of its throughput.
   */
  int awaitQueued(
      Acquirer acquirer,
      Object blocker,
      Node node,
      boolean fifo,
      boolean shared,
      boolean interruptible,
      long deadline,
      boolean tryFirst) {
    boolean absorbedInterrupt = false;
    boolean parkNow = !tryFirst;
    int postWakeSpins = 0;
    if (tryFirst
        && MULTIPROCESSOR
        && head == node
        && (node.status == SIGNALLED || casStatus(node, WAITING, SIGNALLED))) {
      // A node just moved here by a signal belongs to a thread that is awake (note 9): if it is
      // first, it spins and re-tries like a woken head, and says so, so that releasers do not
      // unpark it. A node moved behind others tries once and parks, as an arrival would, so
      // that the crowd signalAll moves does not spin all at once.
      postWakeSpins = MAX_POST_WAKE_SPINS;
    }
    for (;;) {
      if (parkNow) {
        parkUntil(blocker, fifo ? deadline : headParkDeadline(node, deadline));
        if (node.status == GRANTED) {
          return finish(ACQUIRED, absorbedInterrupt);
        }
        int giveUp = verdictAfterWake(interruptible, deadline);
        if (giveUp == ABSORBED_INTERRUPT) {
          absorbedInterrupt = true;
        } else if (giveUp != KEEP_WAITING) {
          if (cancel(node)) {
            return finish(giveUp, absorbedInterrupt);
          }
          // Granted just before the cancellation: it keeps what it was given.
          if (giveUp == INTERRUPTED) {
            absorbedInterrupt = true;
          }
          return finish(ACQUIRED, absorbedInterrupt);
        }
        if (!fifo
            && requestHandOffIfDue(node)
            && MULTIPROCESSOR
            && (node.status == SIGNALLED || casStatus(node, WAITING, SIGNALLED))) {
          // Asked (note 10): wait for the hand-off awake, and say so (SIGNALLED), so that the
          // resource is not left idle while a parked thread is scheduled.
          postWakeSpins = MAX_POST_WAKE_SPINS;
        }
      }
      parkNow = true;
      // A head woken by a release spins for a while, re-trying, before it announces WAITING
      // again: while it is SIGNALLED, releasers know it is awake and do not unpark it, so a lock
      // passed back and forth between running threads costs no system call. The budget doubles
      // with every wake-up that found the resource taken (note 5).
      if (node.status == SIGNALLED) {
        for (int i = 0; i < postWakeSpins; i++) {
          for (int k = 0; k < SPINS_PER_RETRY; k++) {
            Thread.onSpinWait();
          }
          int r = tryWhileQueued(acquirer, node, fifo, shared);
          if (r >= 0) {
            return finish(r, absorbedInterrupt);
          }
          if (!fifo && MULTIPROCESSOR && requestHandOffIfDue(node)) {
            // Became due while spinning: asked, and now waits awake for the hand-off (note 10).
            // This happens once per node: only the head's own request is cleared by its leaving.
            i = 0;
            postWakeSpins = MAX_POST_WAKE_SPINS;
          }
          if (spinMustEnd(interruptible, deadline)) {
            break; // the park below returns at once, and the verdict after it answers
          }
        }
        postWakeSpins = Math.min(2 * postWakeSpins + 1, MAX_POST_WAKE_SPINS);
      }
      lockQueue();
      if (node.status == GRANTED) {
        unlockQueue();
        return finish(ACQUIRED, absorbedInterrupt);
      }
      // Announce WAITING before the re-try reads the state word (note 3): a releaser that frees
      // the word after this re-try read it will see WAITING and wake us.
      node.status = WAITING;
      if ((!fifo || head == node) && acquirer.tryAcquire(node.arg)) {
        Node next = leaveAfterAcquire(node, shared);
        unlockQueue();
        unparkIfNotNull(next);
        return finish(ACQUIRED, absorbedInterrupt);
      }
      unlockQueue();
    }
  }

  /**
   * Whether a spinning waiter must stop and give its interrupt or deadline an answer: the spin of
   * a head that asked for a hand-off can last tens of microseconds.
   */
  private static boolean spinMustEnd(boolean interruptible, long deadline) {
    return (interruptible && Thread.currentThread().isInterrupted())
        || (deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0L);
  }

  /**
   * One re-try by a queued node that leaves its status as it is: returns ACQUIRED if it was
   * granted or took the resource, -1 otherwise.
   */
  private int tryWhileQueued(Acquirer acquirer, Node node, boolean fifo, boolean shared) {
    if (node.status != GRANTED && !acquirer.mayAcquire(node.arg)) {
      return -1; // nothing to take: no need to take the queue lock either
    }
    lockQueue();
    if (node.status == GRANTED) {
      unlockQueue();
      return ACQUIRED;
    }
    if ((!fifo || head == node) && acquirer.tryAcquire(node.arg)) {
      Node next = leaveAfterAcquire(node, shared);
      unlockQueue();
      unparkIfNotNull(next);
      return ACQUIRED;
    }
    unlockQueue();
    return -1;
  }

  /** {@link #verdictAfterWake}: no reason to stop waiting. */
  private static final int KEEP_WAITING = -1;

  /** {@link #verdictAfterWake}: an uninterruptible wait was interrupted; the status was cleared. */
  private static final int ABSORBED_INTERRUPT = -2;

  /**
   * Spins while {@code condition} holds, for at most about {@code nanos} nanoseconds; returns
   * true if the condition stopped holding, false if the time ran out first.
   */
  @SuppressWarnings("ThreadPriorityCheck") // the yield is the point: see the comment below
  private static boolean spinWhile(java.util.function.BooleanSupplier condition, long nanos) {
    long start = System.nanoTime();
    for (int i = 1; condition.getAsBoolean(); i++) {
      if ((i & 15) != 0) {
        Thread.onSpinWait();
        continue;
      }
      long spent = System.nanoTime() - start;
      if (spent > nanos) {
        return false;
      }
      if (spent > SPIN_BEFORE_YIELD_NANOS) {
        // With more runnable threads than processors, the thread we wait for may be waiting
        // for this processor: let it run.
        Thread.yield();
      }
    }
    return true;
  }

  /**
   * A wait that ended during its spin restores the whole budget; a spin that ended in a park
   * anyway shrinks it by an eighth, so the waiters of a queue whose signals come rarely (or whose
   * signallers cannot run while they spin) soon spin next to nothing.
   */
  private void adaptSpinBudget(boolean endedWhileSpinning) {
    int budget = conditionSpinNanos;
    conditionSpinNanos = endedWhileSpinning
        ? MAX_CONDITION_SPIN_NANOS
        : Math.max(budget - budget / 8, MIN_CONDITION_SPIN_NANOS);
  }

  /** How long spinWhile spins without yielding. */
  private static final long SPIN_BEFORE_YIELD_NANOS = 2_000L;

  /**
   * The deadline a BARGING waiter parks until: its own, or, if it is the head and has not asked
   * for a hand-off yet, the moment it becomes due one if that is earlier (note 10), so that it
   * wakes to ask even when no release wakes it.
   */
  private long headParkDeadline(Node node, long deadline) {
    if (head != node || handOffRequest != 0) {
      return deadline;
    }
    long due = handOffDueAt(node);
    if (due == NO_DEADLINE) {
      due++;
    }
    return deadline == NO_DEADLINE || due - deadline < 0L ? due : deadline;
  }

  /** Parks once: until unparked, until the deadline (if any), or spuriously. */
  private static void parkUntil(Object blocker, long deadline) {
    if (deadline == NO_DEADLINE) {
      LockSupport.park(blocker);
    } else {
      long remaining = deadline - System.nanoTime();
      if (remaining > 0L) {
        LockSupport.parkNanos(blocker, remaining);
      }
    }
  }

  /**
   * What a wake-up means for a wait, with the interrupt checked before the deadline so that it
   * wins over a concurrent timeout: {@link #INTERRUPTED} (interruptible; status cleared), {@link
   * #TIMED_OUT}, {@link #ABSORBED_INTERRUPT} (uninterruptible; status cleared, the caller sets it
   * again when it returns), or {@link #KEEP_WAITING}.
   */
  private static int verdictAfterWake(boolean interruptible, long deadline) {
    if (Thread.interrupted()) {
      return interruptible ? INTERRUPTED : ABSORBED_INTERRUPT;
    }
    if (deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0L) {
      return TIMED_OUT;
    }
    return KEEP_WAITING;
  }

  private static int finish(int result, boolean absorbedInterrupt) {
    if (absorbedInterrupt) {
      Thread.currentThread().interrupt();
    }
    return result;
  }

  /**
   * Unlinks a node that acquired by itself; in shared mode signals the new head. Returns the
   * thread to unpark after the queue lock is released, if any. Queue lock held.
   */
  private @Nullable Node leaveAfterAcquire(Node node, boolean shared) {
    if (head == node && handOffRequest != 0) {
      // Served after asking, if not by a hand-off: the next head waits its bound from now, as
      // after a hand-off.
      lastHandOff = System.nanoTime();
    }
    unlink(node);
    node.status = GRANTED;
    return shared ? signalFirstLocked() : null;
  }

  /**
   * Gives up waiting: unlinks the node unless it was granted first. Returns true if it was
   * cancelled, false if it had been granted (the caller then owns the resource).
   */
  boolean cancel(Node node) {
    lockQueue();
    if (node.queue != this || node.status == GRANTED) {
      unlockQueue();
      return false;
    }
    // Whatever the old head was going to do falls to the new one (note 4). When the resource is
    // still held the new head only re-tries and parks again: a spurious wake-up on the rare
    // cancellation path, in exchange for not asking the primitive whether it could proceed.
    boolean wasFirst = head == node;
    unlink(node);
    node.status = CANCELLED;
    Node next = wasFirst ? signalFirstLocked() : null;
    unlockQueue();
    unparkIfNotNull(next);
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Waking

  /**
   * Wakes the first waiter so that it tries the state word again, unless it is already awake.
   * Called by a releaser after it released the state word. Lock-free: one volatile read of the
   * head and of its status when the head is already awake, which is the common case under
   * contention.
   */
  void signalFirst() {
    unparkIfNotNull(signalHead());
  }

  /**
   * Marks the head SIGNALLED if it is WAITING and returns it (to unpark), else null. Correct with
   * or without the queue lock held: the waiter writes WAITING before it re-reads the state word,
   * and the releaser writes the state word before it reads WAITING here (note 3). A head that
   * is unlinked at the same moment needs no signal: it acquired (and will signal on release),
   * was granted, or cancelled (and cancel signals the new head).
   */
  private @Nullable Node signalHead() {
    Node h = head;
    if (h != null && h.status == WAITING && casStatus(h, WAITING, SIGNALLED)) {
      return h;
    }
    return null;
  }

  private @Nullable Node signalFirstLocked() {
    return signalHead();
  }

  /**
   * Hands the resource directly to the first waiter with {@link Granter#grant}. With nobody
   * queued, or if the grant fails, calls {@link Granter#releaseUnqueued} instead (and signals
   * the first waiter, if any, to try again), under the queue lock, so that a thread queueing at
   * the same moment sees the release when it re-checks.
   *
   * @return true if a waiter was granted
   */
  boolean handOff(Granter granter) {
    lockQueue();
    Node h = head;
    if (h != null && granter.grant(h)) {
      unlink(h);
      h.status = GRANTED;
      lastHandOff = System.nanoTime();
      unlockQueue();
      LockSupport.unpark(h.thread);
      return true;
    }
    granter.releaseUnqueued();
    Node next = signalFirstLocked();
    unlockQueue();
    unparkIfNotNull(next);
    return false;
  }

  /**
   * Grants waiters in queue order for as long as {@link Granter#grant} succeeds for the first
   * one (FIFO semaphores: released permits go to the head, and a head that cannot be satisfied
   * is not overtaken).
   */
  void grantInOrder(Granter granter) {
    Node chain = null;
    lockQueue();
    for (Node h = head; h != null && granter.grant(h); h = head) {
      unlink(h);
      h.status = GRANTED;
      h.next = chain; // reuse the unlinked node's link to collect the threads to unpark
      chain = h;
    }
    if (chain != null) {
      lastHandOff = System.nanoTime();
    }
    unlockQueue();
    while (chain != null) {
      Node n = chain;
      chain = n.next;
      n.next = null;
      LockSupport.unpark(n.thread);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Condition queues: waiting without trying any state word

  /** Appends a node for a condition wait (no state word to re-check: the caller holds the lock). */
  void enqueue(Node node) {
    lockQueue();
    append(node);
    unlockQueue();
  }

  /** Unlinks {@code node} if it is still in this queue; returns whether it was. */
  boolean remove(Node node) {
    lockQueue();
    boolean present = node.queue == this;
    if (present) {
      unlink(node);
      node.status = CANCELLED;
    }
    unlockQueue();
    return present;
  }

  /** The arrival number of the last node appended so far (for "the waiters present now"). */
  long lastSeq() {
    lockQueue();
    long s = nextSeq - 1;
    unlockQueue();
    return s;
  }

  /**
   * Moves the first node (Mesa signal) or every node (signalAll) to the tail of {@code entry}
   * without waking them: they wait there like any entrant and are woken when the lock is
   * released. Returns the number moved.
   */
  int transferTo(WaitQueue entry, boolean all) {
    int moved = 0;
    long now = System.nanoTime();
    lockQueue();
    try {
      Node h = head;
      if (h == null) {
        return 0;
      }
      entry.lockQueue();
      try {
        while (h != null) {
          unlink(h);
          h.status = WAITING;
          h.arrivedAt = now;
          entry.append(h);
          moved++;
          if (!all) {
            break;
          }
          h = head;
        }
      } finally {
        entry.unlockQueue();
      }
    } finally {
      unlockQueue();
    }
    return moved;
  }

  // ---------------------------------------------------------------------------------------------
  // Monitors: condition waits and Hoare hand-off

  /**
   * Parks while {@code node}, appended by {@link #enqueue} before the caller released its lock, is
   * in this condition queue: until a signal takes it out, the deadline passes, or (if {@code
   * interruptible}) the thread is interrupted. A signal either moved the node to another queue
   * ({@link #transferTo}) or granted it ({@link #grantFirst}), which marks it {@link #GRANTED}
   * before unlinking it, so a caller that is told {@link #ACQUIRED} and then reads a status other
   * than GRANTED knows the node is in (or, under that queue's lock, on its way into) the queue it
   * was moved to.
   *
   * @param deadline an absolute {@code System.nanoTime()} deadline, or {@link #NO_DEADLINE}
   * @return {@link #ACQUIRED} if a signal took the node out (also when it did so just before the
   *     wait gave up: the signal wins), {@link #TIMED_OUT} or {@link #INTERRUPTED} if the wait gave
   *     up first and the node was removed; the interrupted status is cleared when INTERRUPTED is
   *     returned, and set again on other results if an interrupt was absorbed or lost to a signal
   */
  int awaitSignal(Node node, Object blocker, boolean interruptible, long deadline) {
    boolean absorbedInterrupt = false;
    if (MULTIPROCESSOR) {
      // The spin never outlasts the deadline, and an interrupt of an interruptible wait ends it,
      // so that the loop below answers both as promptly as a parked waiter would.
      long budget = conditionSpinNanos;
      if (deadline != NO_DEADLINE) {
        budget = Math.min(budget, deadline - System.nanoTime());
      }
      if (budget > 0) {
        spinWhile(
            () -> node.queue == this && !(interruptible && Thread.currentThread().isInterrupted()),
            budget);
        adaptSpinBudget(node.queue != this);
      }
    }
    while (node.queue == this) {
      parkUntil(blocker, deadline);
      int giveUp = verdictAfterWake(interruptible, deadline);
      if (giveUp == ABSORBED_INTERRUPT) {
        absorbedInterrupt = true;
      } else if (giveUp != KEEP_WAITING) {
        if (remove(node)) {
          return finish(giveUp, absorbedInterrupt);
        }
        if (giveUp == INTERRUPTED) {
          absorbedInterrupt = true; // signalled first: the signal wins, the interrupt is kept
        }
        break;
      }
    }
    return finish(ACQUIRED, absorbedInterrupt);
  }

  /**
   * Grants the first node with {@link Granter#grant} if it arrived by {@code maxSeq} (see {@link
   * #lastSeq}); with no such node, or if the grant fails, does nothing. Unlike {@link #handOff},
   * which frees the resource when nobody is queued, this is for a queue that is not the
   * resource's own (a Hoare signal grants a monitor to a condition's waiter; a Hoare release
   * grants it to the urgent queue's head). The grant, the status and the unlinking happen in one
   * hold of the queue lock, so a waiter that gives up at the same moment ({@link #remove}) either
   * goes first and is not granted, or finds itself granted; the node is marked GRANTED before it
   * is unlinked, so a waiter that sees it gone ({@link #awaitSignal}) also sees it granted.
   *
   * @return true if a node was granted
   */
  boolean grantFirst(Granter granter, long maxSeq) {
    lockQueue();
    Node h = head;
    if (h == null || h.seq > maxSeq || !granter.grant(h)) {
      unlockQueue();
      return false;
    }
    h.status = GRANTED;
    unlink(h);
    unlockQueue();
    LockSupport.unpark(h.thread);
    return true;
  }

  /**
   * Parks, uninterruptibly, until {@code node} is {@link #GRANTED}: for a node that only a grant
   * takes out of its queue (a Hoare signaller on a monitor's urgent queue). An interrupt that
   * arrives meanwhile is kept: the interrupted status is set again before returning.
   */
  void awaitGrant(Node node, Object blocker) {
    boolean absorbedInterrupt = false;
    if (MULTIPROCESSOR) {
      // The urgent queue is never a condition queue: its spin budget is the grant's. It
      // doubles when the monitor came back during the spin and halves when it did not, so a
      // signaller whose waiters cannot run at once (more threads than processors) stops
      // spinning for them.
      int budget = Math.min(conditionSpinNanos, MAX_GRANT_SPIN_NANOS);
      conditionSpinNanos = spinWhile(() -> node.status != GRANTED, budget)
          ? Math.min(2 * budget, MAX_GRANT_SPIN_NANOS)
          : Math.max(budget / 2, MIN_CONDITION_SPIN_NANOS / 4);
    }
    while (node.status != GRANTED) {
      LockSupport.park(blocker);
      if (Thread.interrupted()) {
        absorbedInterrupt = true;
      }
    }
    if (absorbedInterrupt) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The list (queue lock held)

  @SuppressWarnings("NonAtomicVolatileUpdate") // size changes only under the queue lock
  private void append(Node node) {
    node.seq = nextSeq++;
    node.status = WAITING;
    Node t = tail;
    node.prev = t;
    node.next = null;
    node.queue = this;
    if (t == null) {
      head = node;
    } else {
      t.next = node;
    }
    tail = node;
    size = size + 1;
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // size changes only under the queue lock
  private void unlink(Node node) {
    Node p = node.prev;
    Node n = node.next;
    if (p == null) {
      // A request for a hand-off was the head's own: the next head asks for itself.
      if (handOffRequest != 0) {
        handOffRequest = 0;
      }
      head = n;
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
    node.queue = null;
    size = size - 1;
  }

  private static void unparkIfNotNull(@Nullable Node node) {
    if (node != null) {
      LockSupport.unpark(node.thread);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The queue lock

  // Yielding is the point: a holder that was descheduled needs the processor more than we do.
  @SuppressWarnings("ThreadPriorityCheck")
  private void lockQueue() {
    if (casQueueLock(0, 1)) {
      return;
    }
    int spins = 0;
    do {
      if (++spins < QUEUE_LOCK_SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    } while (getQueueLockPlain() != 0 || !casQueueLock(0, 1));
  }

  private void unlockQueue() {
    setQueueLockRelease(0);
  }

  private static boolean casStatus(Node node, int expected, int value) {
    return STATUS.compareAndSet(node, expected, value);
  }

  private boolean casQueueLock(int expected, int value) {
    return QUEUE_LOCK.compareAndSet(this, expected, value);
  }

  private int getQueueLockPlain() {
    return (int) QUEUE_LOCK.getOpaque(this);
  }

  private void setQueueLockRelease(int value) {
    QUEUE_LOCK.setRelease(this, value);
  }

  @Override
  public String toString() {
    return "WaitQueue[" + size + " waiting]";
  }

  private static final VarHandle QUEUE_LOCK;
  private static final VarHandle STATUS;

  static {
    try {
      QUEUE_LOCK = MethodHandles.lookup().findVarHandle(WaitQueue.class, "queueLock", int.class);
      STATUS = MethodHandles.lookup().findVarHandle(Node.class, "status", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
