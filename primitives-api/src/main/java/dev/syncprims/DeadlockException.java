package dev.syncprims;

import java.util.List;
import java.util.Objects;

/**
 * Thrown by a blocking acquire of an owned primitive (a {@link Mutex}, a {@link ReentrantMutex},
 * the entry of a {@link Monitor}) when deadlock detection is on and waiting would close a cycle:
 * threads each waiting for a primitive that the next one holds, the last waiting for one that the
 * calling thread holds. None of them could ever proceed; instead of joining them, the caller gets
 * this exception, having acquired nothing and changed nothing. It can then give up what it holds
 * (its {@code finally} blocks do that as the exception passes) so that the others go on.
 *
 * <p>Detection is off by default. It is switched on for the whole JVM with the system property
 * {@code dev.syncprims.deadlockDetection=true}, read once, when the library first needs it. Off,
 * it costs nothing; on, it costs nothing while a primitive is free and a bounded walk of the
 * wait-for graph before a thread parks. Exactly one thread of a cycle gets this exception: the one
 * whose wait would close it. Timed waits ({@code tryLock(time, unit)}) are not checked and do not
 * count as edges of a cycle: they end by themselves. The re-entry of a condition waiter into its
 * lock or monitor counts as an edge but is never refused (a condition wait must return holding
 * the lock): a cycle that such a re-entry closes, after a timed condition wait ran out or an
 * interrupt, is not refused in anyone; {@code dev.syncprims.impl.Deadlocks.find()} lists it. A
 * {@link Mutex} locked again by its holder still throws the plain {@link IllegalStateException}
 * it always has.
 *
 * <p>The message names every thread and primitive of the cycle, in order, starting with the
 * calling thread. {@link #threads()} returns the threads; the exception keeps them only in memory
 * (a deserialized copy has the message and an empty list).
 */
public class DeadlockException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // threads are not serializable: a deserialized copy has none
  private final transient List<Thread> threads;

  /**
   * An exception for the cycle of {@code threads}, in cycle order, starting with the thread that
   * would have closed it.
   *
   * @param message the detail message, naming every thread and primitive of the cycle
   * @param threads the threads of the cycle, in cycle order
   * @throws NullPointerException if {@code message}, {@code threads} or one of them is null
   */
  public DeadlockException(String message, List<Thread> threads) {
    super(Objects.requireNonNull(message, "message"));
    this.threads = List.copyOf(Objects.requireNonNull(threads, "threads"));
  }

  /**
   * The threads of the cycle, in order: each waits for a primitive that the next one holds, and
   * the last for one that the first holds. The first is the thread that got this exception.
   * Empty for a deserialized exception.
   *
   * @return the threads of the cycle, an unmodifiable list
   */
  public List<Thread> threads() {
    List<Thread> t = threads;
    return t == null ? List.of() : t;
  }
}
