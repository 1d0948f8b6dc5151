package dev.syncprims.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jetbrains.lincheck.Lincheck;
import org.jspecify.annotations.Nullable;

/**
 * Scenes for Lincheck's model checker ({@link Lincheck#runConcurrentTest}): a scene is a plain
 * block of code that starts a few threads, joins them and asserts; the model checker runs it many
 * times, switching threads at every shared-memory access, park and unpark, and explores the
 * interleavings systematically, whatever the number of processors. A scene fails when it throws,
 * and Lincheck then prints the interleaving that led there. A scene in which some thread can never
 * finish fails as a hang, with its interleaving too.
 *
 * <p>What the model checker does not show, and other tests do:
 *
 * <ul>
 *   <li><b>Lost wake-ups.</b> Lincheck lets {@code LockSupport.park} return spuriously at any
 *       time, and the waiting core re-checks after every wake-up, so a missing unpark is
 *       invisible here (the contract tests and jcstress catch it).
 *   <li><b>Time.</b> Lincheck makes {@code System.nanoTime()} return a constant, so a positive
 *       timeout never expires in a scene (a timed wait is an untimed one there), and under
 *       BARGING the head never becomes due the eventual-fairness hand-off: the paths that a
 *       timeout or the fairness bound takes are reached here only through interrupts, which
 *       end a wait by the same cancellation.
 * </ul>
 */
final class ModelChecked {
  private ModelChecked() {}

  /**
   * Interleavings explored per scene: enough to find a race of a few steps in seconds, so that
   * the suite stays quick. Raise it to search further: {@code -Dsyncprims.lincheck.invocations=5000}.
   */
  static final int INVOCATIONS = Integer.getInteger("syncprims.lincheck.invocations", 60);

  /** Explores {@code invocations} interleavings of {@code scene}; fails on the first that throws. */
  static void check(int invocations, Runnable scene) {
    Lincheck.runConcurrentTest(invocations, scene);
  }

  /** Code run by a scene's thread; it may throw anything, which then fails the scene. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /**
   * The threads of one scene: started, joined, and their failures rethrown in the scene's thread.
   * Each thread writes only its own slot of the failures, and the join orders that write before
   * the read.
   */
  static final class Threads {
    private final List<Thread> threads = new ArrayList<>();
    private final @Nullable Throwable[] failures = new Throwable[8];

    /** Starts a thread running {@code body}; returns it (to interrupt it, for example). */
    Thread start(Body body) {
      int slot = threads.size();
      Thread t =
          new Thread(
              () -> {
                try {
                  body.run();
                } catch (Throwable e) {
                  failures[slot] = e;
                }
              });
      threads.add(t);
      t.start();
      return t;
    }

    /** Joins every thread and throws the first failure, if any. */
    void joinAll() {
      for (Thread t : threads) {
        join(t);
      }
      for (int i = 0; i < threads.size(); i++) {
        Throwable f = failures[i];
        if (f != null) {
          throw new AssertionError("thread " + i + " of the scene failed: " + f, f);
        }
      }
    }

    /** The failure of the thread started {@code index}-th, once it has been joined. */
    @Nullable Throwable failure(int index) {
      return failures[index];
    }
  }

  /** Joins {@code t}; an interrupt of the scene's own thread fails the scene. */
  static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError("the scene's thread was interrupted", e);
    }
  }

  /**
   * Waits until {@code condition} holds, by spinning: the model checker sees the loop and runs the
   * other threads meanwhile (a condition that can never hold fails the scene as a hang).
   */
  static void spinUntil(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      Thread.onSpinWait();
    }
  }

  /** Fails the scene with {@code message} unless {@code condition} holds. */
  static void verify(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
