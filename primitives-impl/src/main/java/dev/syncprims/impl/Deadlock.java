package dev.syncprims.impl;

import java.util.List;

/**
 * One cycle of the wait-for graph found by {@link Deadlocks#find()}: {@code threads().get(i)}
 * waits for {@code primitives().get(i)}, which the next thread of the list holds (the last
 * thread's primitive is held by the first). A value: it describes the moment of the search.
 *
 * <p>{@link #suspected()} is true when a semaphore closes the cycle. A semaphore has no owner, so
 * "held by" means "took permits and has not released as many", which only shows that the thread
 * could release one, not that it will; and any other thread may release a permit. Such a cycle is
 * a hang only if no thread outside it will release. Cycles made of semaphores alone are not
 * reported: a consumer that took a signal and waits for the next one would be one.
 */
public final class Deadlock {
  private final List<Thread> threads;
  private final List<Object> primitives;
  private final boolean suspected;

  Deadlock(List<Thread> threads, List<Object> primitives, boolean suspected) {
    if (threads.size() != primitives.size() || threads.isEmpty()) {
      throw new IllegalArgumentException(
          "a cycle needs as many primitives as threads, at least one: "
              + threads.size()
              + " threads, "
              + primitives.size()
              + " primitives");
    }
    this.threads = List.copyOf(threads);
    this.primitives = List.copyOf(primitives);
    this.suspected = suspected;
  }

  /** The threads of the cycle, in order; each waits for the primitive at the same index. */
  public List<Thread> threads() {
    return threads;
  }

  /** The primitives of the cycle, in order; each is held by the next thread of {@link #threads()}. */
  public List<Object> primitives() {
    return primitives;
  }

  /** Whether a semaphore closes the cycle (see the class description). */
  public boolean suspected() {
    return suspected;
  }

  @Override
  public String toString() {
    return (suspected ? "suspected deadlock: " : "deadlock: ") + Deadlocks.describe(threads, primitives);
  }
}
