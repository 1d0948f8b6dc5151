package dev.syncprims.impl;

import static dev.syncprims.impl.ModelChecked.spinUntil;
import static dev.syncprims.impl.ModelChecked.verify;

import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Races of three threads on a {@link Mutex}, explored by Lincheck's model checker (see {@link
 * ModelChecked}); {@link MutexLincheckTest} checks generated scenarios of three threads against
 * a sequential model, these are the races chosen by hand:
 *
 * <ul>
 *   <li>hand-off vs barger vs releaser: a waiter is queued in {@code lock()}; the holder unlocks
 *       while another thread tries {@code tryLock()}, then {@code tryLock(0)}, then {@code
 *       lock()}. Mutual exclusion holds at every step, everyone finishes, the lock ends free;
 *   <li>unlock vs the interrupt of the first waiter, a second waiter behind it (in {@code lock()}
 *       or a timed {@code tryLock} that cannot expire): whoever gets the lock, the second waiter
 *       always gets it in the end, and the first either got it or threw InterruptedException.
 * </ul>
 *
 * <p>Mutual exclusion is checked by an owner field that each thread sets on entering and clears
 * before leaving: a second thread inside finds it set.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MutexRacesLincheckTest {

  /** The critical section's witness: who is inside, if anyone. */
  private static final class Inside {
    private @Nullable Thread owner;

    void enter(Mutex m) {
      verify(owner == null, "two threads inside " + m);
      owner = Thread.currentThread();
    }

    void leave() {
      owner = null;
    }
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void handOffVsBargerVsReleaser(Fairness fairness) {
    ModelChecked.check(
        ModelChecked.INVOCATIONS,
        () -> {
          Mutex m = Primitives.mutex(fairness);
          Inside inside = new Inside();
          ModelChecked.Threads threads = new ModelChecked.Threads();
          boolean[] holding = new boolean[1];
          threads.start(
              () -> {
                m.lock();
                try {
                  inside.enter(m);
                  holding[0] = true;
                  spinUntil(() -> m.getQueueLength() >= 1);
                  inside.leave();
                } finally {
                  m.unlock(); // to the queued waiter (FIFO), or free for whoever is first
                }
              });
          spinUntil(() -> holding[0]);
          threads.start(() -> lockedVisit(m, inside));
          threads.start(
              () -> {
                if (m.tryLock()) { // untimed: may barge in both modes
                  visitHeld(m, inside);
                }
                if (m.tryLock(0, TimeUnit.NANOSECONDS)) {
                  visitHeld(m, inside);
                }
                lockedVisit(m, inside);
              });
          threads.joinAll();
          verify(!m.isLocked() && !m.hasQueuedThreads(), "after the scene: " + m);
        });
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  void unlockVsInterruptOfTheFirstWaiter(Fairness fairness) {
    // Under FIFO the second waiter uses a timed tryLock (a day), under BARGING lock().
    boolean timedSecond = fairness == Fairness.FIFO;
    ModelChecked.check(
        ModelChecked.INVOCATIONS,
        () -> {
          Mutex m = Primitives.mutex(fairness);
          Inside inside = new Inside();
          ModelChecked.Threads threads = new ModelChecked.Threads();
          m.lock();
          try {
            Thread first =
                threads.start(
                    () -> {
                      try {
                        m.lockInterruptibly();
                      } catch (InterruptedException e) {
                        verify(!Thread.currentThread().isInterrupted(), "the status stayed set");
                        return;
                      }
                      visitHeld(m, inside);
                    });
            spinUntil(() -> m.getQueueLength() == 1);
            threads.start(
                () -> {
                  if (timedSecond) {
                    verify(m.tryLock(1, TimeUnit.DAYS), "a timed tryLock with a day to go failed");
                    visitHeld(m, inside);
                  } else {
                    lockedVisit(m, inside);
                  }
                });
            spinUntil(() -> m.getQueueLength() == 2);
            threads.start(first::interrupt);
          } finally {
            m.unlock(); // racing the interrupt
          }
          threads.joinAll();
          verify(!m.isLocked() && !m.hasQueuedThreads(), "after the scene: " + m);
        });
  }

  /** Locks, passes through the critical section, unlocks. */
  private static void lockedVisit(Mutex m, Inside inside) {
    m.lock();
    visitHeld(m, inside);
  }

  /** Passes through the critical section of the held mutex and unlocks it. */
  private static void visitHeld(Mutex m, Inside inside) {
    try {
      inside.enter(m);
      inside.leave();
    } finally {
      m.unlock();
    }
  }
}
