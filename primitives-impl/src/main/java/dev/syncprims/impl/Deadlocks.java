package dev.syncprims.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
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
   * thread waits on a primitive), in a weak set: a primitive that nobody references any more is
   * collected as before. find() reads every registered queue's waiting nodes under its lock (A1),
   * then every owner (O), then the nodes again (A2), and keeps a waiting edge only if the same
   * node is in A1 and A2 (a node is never reused: the same node is the same wait) and an owner edge
   * only if its owner's waiting edge was kept. A thread gains and loses no lock while it waits,
   * except the one it waits for, and each owner read falls between the two reads of its thread's
   * node, so at the moment between O and A2 every kept edge held (DeadlockDetection, note 3, makes
   * the same argument for the on-wait walk).
   *
   * The cycles are the elementary cycles of that graph. Without semaphores every thread has one
   * successor, and each cycle is found once by walking; with semaphores a primitive may have
   * several holders, and the search is a depth-first search from each thread through threads of a
   * higher index only, so each cycle is found from its lowest-index thread, once. The search is
   * bounded (MAX_CYCLES, MAX_STEPS) so that a pathological graph cannot make the call hang.
   */

  private static final int MAX_CYCLES = 1_000;
  private static final int MAX_STEPS = 1_000_000;

  /** Every entry queue created so far and still referenced (weak), guarded by itself. */
  private static final Set<EntryQueue> QUEUES = Collections.newSetFromMap(new WeakHashMap<>());

  private Deadlocks() {}

  /** Registers a new entry queue; called once per queue, when its primitive first has a waiter. */
  static void register(EntryQueue queue) {
    synchronized (QUEUES) {
      QUEUES.add(queue);
    }
  }

  /**
   * The deadlocks among the library's primitives now: every cycle of threads each waiting for a
   * primitive that the next one holds, in no particular order; empty if there is none. Each cycle
   * existed, all at once, at a moment during the call (see the class description). Costs a pass
   * over every primitive that currently has or had waiters; meant for watchdogs and diagnostics,
   * not for a hot path.
   */
  public static List<Deadlock> find() {
    List<EntryQueue> queues;
    synchronized (QUEUES) {
      queues = new ArrayList<>(QUEUES);
    }
    Map<Thread, Waiting> first = waitingNodes(queues);
    Map<Object, List<Thread>> holders = new IdentityHashMap<>();
    for (EntryQueue q : queues) {
      List<Thread> h = holdersOf(q.blocker);
      if (!h.isEmpty()) {
        holders.put(q.blocker, h);
      }
    }
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
    if (primitive instanceof OwnedLock) {
      Thread owner = ((OwnedLock) primitive).owner();
      return owner == null ? List.of() : List.of(owner);
    }
    if (primitive instanceof QueuedSemaphore) {
      return ((QueuedSemaphore) primitive).recordedHolders();
    }
    return List.of();
  }

  /** The depth-first search for elementary cycles (see the implementation notes). */
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
      this.path = new int[threads.size()];
      this.onPath = new boolean[threads.size()];
    }

    List<Deadlock> run() {
      for (int s = 0; s < threads.size() && !full(); s++) {
        path[0] = s;
        onPath[s] = true;
        extend(s, 1);
        onPath[s] = false;
      }
      return found;
    }

    private boolean full() {
      return found.size() >= MAX_CYCLES || steps >= MAX_STEPS;
    }

    private void extend(int start, int length) {
      int last = path[length - 1];
      for (int j : next[last]) {
        if (full()) {
          return;
        }
        steps++;
        if (j == start) {
          record(length);
        } else if (j > start && !onPath[j]) {
          path[length] = j;
          onPath[j] = true;
          extend(start, length + 1);
          onPath[j] = false;
        }
      }
    }

    private void record(int length) {
      List<Thread> t = new ArrayList<>(length);
      List<Object> p = new ArrayList<>(length);
      boolean suspected = false;
      for (int i = 0; i < length; i++) {
        t.add(threads.get(path[i]));
        p.add(waitsFor[path[i]]);
        suspected |= !(waitsFor[path[i]] instanceof OwnedLock);
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
    String name = t.getName();
    return name.isEmpty() ? t.toString() : "\"" + name + "\"";
  }
}
