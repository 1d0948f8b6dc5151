package dev.syncprims.impl;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;

/** What the deadlock tests (detection on, and {@link Deadlocks#find()}) do over and over. */
final class DeadlockScenes {
  private DeadlockScenes() {}

  /** Waits for {@code lock}, then lets it go at once. */
  static void lockThenUnlock(Lock lock) {
    lock.lock();
    try {
      // nothing to do while holding it
    } finally {
      lock.unlock();
    }
  }

  /**
   * The cycles that {@link Deadlocks#find()} finds now and that involve any of {@code threads}:
   * a test looks only at its own threads, whatever else runs in the JVM.
   */
  static List<Deadlock> cyclesOf(Thread... threads) {
    return cyclesOf(Set.of(threads));
  }

  /** As {@link #cyclesOf(Thread...)}. */
  static List<Deadlock> cyclesOf(Collection<Thread> threads) {
    Set<Thread> ours = Set.copyOf(threads);
    return Deadlocks.find().stream()
        .filter(d -> d.threads().stream().anyMatch(ours::contains))
        .collect(Collectors.toList());
  }
}
