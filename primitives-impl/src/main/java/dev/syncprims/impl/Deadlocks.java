package dev.syncprims.impl;

import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Finds the deadlocks among the library's primitives: the cycles of threads each waiting for a
 * primitive that the next one holds. Works whether on-wait detection ({@link
 * dev.syncprims.DeadlockException}) is on or off, for platform and virtual threads alike.
 *
 * <pre>{@code
 * for (Deadlock d : Deadlocks.find()) {
 *   log.error("{}", d); // names every thread and primitive of the cycle
 * }
 * }</pre>
 *
 * <p><b>What it sees.</b> Every thread queued to acquire a mutex, a reentrant mutex, a monitor's
 * entry or a semaphore of this library (timed or not), and the owner of every owned primitive.
 * A semaphore has no owner; while deadlock detection is on, each semaphore counts the permits
 * each thread took and has not released, and those threads count as its holders: a cycle closed
 * through them is reported as {@linkplain Deadlock#suspected() suspected}. With detection off,
 * semaphores close no cycles. It does not see threads blocked on anything else ({@code
 * synchronized}, the JDK's locks, I/O), nor a Hoare signaller waiting for its monitor back, nor a
 * thread waiting on a condition (it waits for a signal, which nobody owns). {@link
 * java.lang.management.ThreadMXBean#findDeadlockedThreads()} sees the JDK's locks and this
 * library's owned locks, but only for platform threads and without semaphores.
 *
 * <p><b>Consistency.</b> The graph is read twice, and only edges seen the same both times (the
 * same wait of the same thread, the same owner) are kept: a cycle reported existed, all of it at
 * once, at a moment during the call, even while the threads around it run. A cycle can end after
 * the call returns only through a timed wait's deadline or an interrupt.
 */
public final class Deadlocks {
  /* Implementation notes
   *
   * The library's entry queues register themselves here when they are created (the first time a
   * thread waits on a primitive), in a lock-free stack of weak references: a primitive that nobody
   * references any more is collected as before, and its cleared reference is unlinked by the next
   * pass over the stack (find(), or every PRUNE_EVERY registrations). find() reads every registered queue's waiting nodes under its lock (A1),
   * then every owner (O), then the nodes again (A2), and keeps a waiting edge only if the same
   * node is in A1 and A2 (a node is never reused: the same node is the same wait) and an owner edge
   * only if its owner's waiting edge was kept. A thread gains and loses no lock while it waits,
   * except the one it waits for, and each owner read falls between the two reads of its thread's
   * node, so at the moment between O and A2 every kept edge held (DeadlockDetection, note 3, makes
   * the same argument for the on-wait walk).
   *
   * The cycles are the elementary cycles of that graph, in two searches. Cycles of owned locks
   * come first: there every thread has at most one successor (the owner), and following
   * successors finds each cycle once, in linear time, however many semaphore cycles there are.
   * Then cycles through semaphores, where a primitive may have several holders: a depth-first
   * search from each thread that waits for a lock, never entering a lock waiter of lower index,
   * so each cycle is found once, from its lowest-index lock waiter. Cycles of semaphores alone are
   * left out (an idle consumer that took a permit and waits for the next one is such a "cycle").
   * The second search is bounded (MAX_CYCLES, MAX_STEPS, MAX_LENGTH) so that a pathological graph
   * cannot make the call hang or overflow the stack.
   */

  private static final int MAX_CYCLES = 1_000;
  private static final int MAX_STEPS = 1_000_000;
  /** The longest cycle reported, in threads (it also bounds the search's recursion). */
  private static final int MAX_LENGTH = 1_000;

  /**
   * Every entry queue registered so far, newest first: a lock-free stack of weak references, so
   * that registering is one CAS and a primitive nobody references is collected as before.
   */
  private static final AtomicReference<@Nullable Registered> QUEUES = new AtomicReference<>();

  /** Registrations since the last pruning of cleared references. */
  private static final AtomicInteger SINCE_PRUNED = new AtomicInteger();

  /** How many registrations trigger a pruning pass. */
  private static final int PRUNE_EVERY = 1024;

  /** One registered queue: a weak reference and the link to the one registered before. */
  private static final class Registered extends WeakReference<EntryQueue> {
    volatile @Nullable Registered next;

    Registered(EntryQueue queue, @Nullable Registered next) {
      super(queue);
      this.next = next;
    }
  }

  private Deadlocks() {}

  /** Registers a new entry queue; called once per queue, when its primitive first has a waiter. */
  static void register(EntryQueue queue) {
    Registered head;
    Registered mine;
    do {
      head = QUEUES.get();
      mine = new Registered(queue, head);
    } while (!QUEUES.compareAndSet(head, mine));
    if (SINCE_PRUNED.incrementAndGet() >= PRUNE_EVERY) {
      SINCE_PRUNED.set(0);
      liveQueues();
    }
  }

  /**
   * The registered queues still referenced, unlinking the cleared ones on the way (one pass at a
   * time: a concurrent registration only ever changes the head, which this never unlinks).
   */
  private static List<EntryQueue> liveQueues() {
    List<EntryQueue> live = new ArrayList<>();
    synchronized (SINCE_PRUNED) {
      Registered kept = null;
      for (Registered r = QUEUES.get(); r != null; r = r.next) {
        EntryQueue q = r.get();
        if (q != null) {
          live.add(q);
          kept = r;
        } else if (kept != null) {
          kept.next = r.next; // unlink a cleared one behind the head
        }
      }
    }
    return live;
  }

  /**
   * The deadlocks among the library's primitives now: every cycle of threads each waiting for a
   * primitive that the next one holds, in no particular order; empty if there is none. Each cycle
   * existed, all at once, at a moment during the call (see the class description). Costs a pass
   * over every primitive that currently has or had waiters; meant for watchdogs and diagnostics,
   * not for a hot path.
   */
  public static List<Deadlock> find() {
    List<EntryQueue> queues = liveQueues();
    Map<Thread, Waiting> first = waitingNodes(queues);
    IdentityHashMap<Object, List<Thread>> holders = new IdentityHashMap<>();
    for (EntryQueue q : queues) {
      List<Thread> h = holdersOf(q.blocker);
      if (!h.isEmpty()) {
        holders.put(q.blocker, h);
      }
    }
    VarHandle.acquireFence(); // the owner reads (plain) before the second look at the nodes
    Map<Thread, Waiting> second = waitingNodes(queues);
    // The graph: thread -> the primitive it waits for -> its holders, kept only if unchanged.
    List<Thread> threads = new ArrayList<>();
    Map<Thread, Integer> index = new HashMap<>();
    for (Map.Entry<Thread, Waiting> e : second.entrySet()) {
      Waiting before = first.get(e.getKey());
      if (before != null && before.node == e.getValue().node) {
        index.put(e.getKey(), threads.size());
        threads.add(e.getKey());
      }
    }
    int n = threads.size();
    Object[] waitsFor = new Object[n];
    int[][] next = new int[n][];
    for (int i = 0; i < n; i++) {
      Object p = second.get(threads.get(i)).primitive;
      waitsFor[i] = p;
      List<Thread> h = holders.getOrDefault(p, List.of());
      int[] succ = new int[h.size()];
      int k = 0;
      for (Thread t : h) {
        Integer j = index.get(t);
        if (j != null) {
          succ[k++] = j;
        }
      }
      next[i] = Arrays.copyOf(succ, k);
    }
    return new Search(threads, waitsFor, next).run();
  }

  /** A thread's wait as read from a queue: its node (the same node is the same wait) and the primitive. */
  private static final class Waiting {
    final WaitNode node;
    final Object primitive;

    Waiting(WaitNode node, Object primitive) {
      this.node = node;
      this.primitive = primitive;
    }
  }

  /** Each waiting thread's wait, read queue by queue under each queue's lock. */
  private static Map<Thread, Waiting> waitingNodes(List<EntryQueue> queues) {
    Map<Thread, Waiting> waits = new HashMap<>();
    for (EntryQueue q : queues) {
      for (WaitNode node : q.waitingNodes()) {
        waits.put(node.thread, new Waiting(node, q.blocker));
      }
    }
    return waits;
  }

  /** The owner of an owned primitive, or the recorded holders of a semaphore (detection on). */
  static List<Thread> holdersOf(Object primitive) {
    if (primitive instanceof OwnedLock lock) {
      Thread owner = lock.owner();
      return owner == null ? List.of() : List.of(owner);
    }
    if (primitive instanceof QueuedSemaphore semaphore) {
      return semaphore.recordedHolders();
    }
    return List.of();
  }

  /** The search for cycles (see the implementation notes). */
  private static final class Search {
    private final List<Thread> threads;
    private final Object[] waitsFor;
    private final int[][] next;
    private final List<Deadlock> found = new ArrayList<>();
    private final int[] path;
    private final boolean[] onPath;
    private int steps;

    Search(List<Thread> threads, Object[] waitsFor, int[][] next) {
      this.threads = threads;
      this.waitsFor = waitsFor;
      this.next = next;
      this.path = new int[Math.min(threads.size(), MAX_LENGTH)];
      this.onPath = new boolean[threads.size()];
    }

    private boolean waitsForLock(int i) {
      return waitsFor[i] instanceof OwnedLock;
    }

    List<Deadlock> run() {
      lockCycles();
      for (int s = 0; s < threads.size() && !full(); s++) {
        if (waitsForLock(s)) {
          path[0] = s;
          onPath[s] = true;
          extend(s, 1);
          onPath[s] = false;
        }
      }
      return found;
    }

    /**
     * The cycles of owned locks only, first, so that no number of semaphore cycles can crowd
     * them out: each such thread has one successor (the owner), so following successors from
     * every thread not yet seen finds each cycle once, in linear time.
     */
    private void lockCycles() {
      int n = threads.size();
      int[] seenFrom = new int[n];
      Arrays.fill(seenFrom, -1);
      for (int s = 0; s < n; s++) {
        int i = s;
        while (i >= 0 && seenFrom[i] < 0 && waitsForLock(i)) {
          seenFrom[i] = s;
          i = next[i].length == 1 ? next[i][0] : -1;
        }
        if (i >= 0 && seenFrom[i] == s && waitsForLock(i)) { // came round within this walk
          int length = 0;
          int k = i;
          do {
            if (length == path.length) {
              return; // longer than MAX_LENGTH: not reported
            }
            path[length++] = k;
            k = next[k][0];
          } while (k != i);
          record(length, false);
        }
      }
    }

    private boolean full() {
      return found.size() >= MAX_CYCLES || steps >= MAX_STEPS;
    }

    /**
     * The cycles through at least one semaphore and at least one owned lock, each found from the
     * lowest-index thread of it that waits for a lock: the search starts only from such threads,
     * and never enters one of lower index than the start. Cycles of semaphores alone are not
     * reported: "took a permit and has not released one" is what every consumer of a signal
     * does, and such a cycle is the normal state of an idle producer-consumer pair.
     */
    private void extend(int start, int length) {
      int last = path[length - 1];
      for (int j : next[last]) {
        if (full()) {
          return;
        }
        steps++;
        if (j == start) {
          if (throughASemaphore(length)) {
            record(length, true);
          }
        } else if (!onPath[j] && (j > start || !waitsForLock(j)) && length < path.length) {
          path[length] = j;
          onPath[j] = true;
          extend(start, length + 1);
          onPath[j] = false;
        }
      }
    }

    private boolean throughASemaphore(int length) {
      for (int i = 0; i < length; i++) {
        if (!waitsForLock(path[i])) {
          return true;
        }
      }
      return false; // owned locks only: already found by lockCycles
    }

    private void record(int length, boolean suspected) {
      List<Thread> t = new ArrayList<>(length);
      List<Object> p = new ArrayList<>(length);
      for (int i = 0; i < length; i++) {
        t.add(threads.get(path[i]));
        p.add(waitsFor[path[i]]);
      }
      found.add(new Deadlock(t, p, suspected));
    }
  }

  /**
   * "{@code "a" waits for <p0>, held by "b"; "b" waits for <p1>, held by "a"}": the cycle of
   * {@code threads[i]} waiting for {@code primitives[i]}, held by the next thread.
   */
  static String describe(List<Thread> threads, List<Object> primitives) {
    StringBuilder b = new StringBuilder();
    int n = threads.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append("; ");
      }
      b.append(name(threads.get(i)))
          .append(" waits for ")
          .append(primitives.get(i))
          .append(", held by ")
          .append(name(threads.get((i + 1) % n)));
    }
    return b.toString();
  }

  private static String name(@Nullable Thread t) {
    if (t == null) {
      return "nobody";
    }
    String name = t.getName(); // never toString(): a virtual thread's takes a monitor (pinning)
    return name.isEmpty() ? "thread #" + t.getId() : "\"" + name + "\"";
  }
}
