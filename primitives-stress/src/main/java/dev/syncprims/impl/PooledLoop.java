package dev.syncprims.impl;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The worker loop of one stress-test timer, run on a shared cached pool instead of a thread of its
 * own: jcstress makes its states by the thousand, so a state must not cost a thread. It is the
 * thread factory of the timer; the {@code Thread} it returns is never started for real.
 *
 * <p>Either the timer launches the loop itself, with its first {@code schedule} (as {@code
 * TimerClose_NoLostTimeout} does: {@code launchOnStart}), or the test launches it with {@link
 * #launch()} at the moment it chooses, and the timer's own start is a no-op. The second way lets
 * a state schedule a timeout in its constructor, so that it sits in the slot when the actors
 * run, without a worker per state being alive for the whole batch of states (jcstress builds a
 * batch of up to some thousand states before it runs the actors on them); and, with {@link
 * #awaitRunning()}, it puts the worker's first look at the slot in the middle of the actors'
 * race rather than tens of microseconds after it (the time a pooled thread takes to wake up).
 *
 * <p>Every wait is bounded.
 *
 * <p>It is in package {@code dev.syncprims.impl} for the same reason as the tests that use it:
 * they build their timers with the package-private {@code WheelTimer.Builder.stripes(int)}.
 */
@NullMarked
final class PooledLoop implements ThreadFactory {
  /** The longest an arbiter waits for the timer to settle, or for the loop to end. */
  static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** The longest an actor waits for the loop to be running. */
  static final long RENDEZVOUS_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** How long an actor spins before it starts to yield (three threads on two cores). */
  static final long SPIN_NANOS = 20_000L;

  /** Runs the loops of all timers; its threads are reused from state to state. */
  static final ExecutorService LOOPS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "timer-loop");
            t.setDaemon(true);
            return t;
          });

  private final boolean launchOnStart;
  private volatile @Nullable Runnable loop;
  private volatile boolean launched;
  private volatile boolean running;
  private volatile boolean ended;

  /**
   * @param launchOnStart whether the timer's start of its thread launches the loop; otherwise
   *     only {@link #launch()} does
   */
  PooledLoop(boolean launchOnStart) {
    this.launchOnStart = launchOnStart;
  }

  @Override
  public Thread newThread(Runnable r) {
    loop = r;
    return new Thread() {
      @Override
      @SuppressWarnings("UnsynchronizedOverridesSynchronized") // nothing to guard
      public void start() {
        if (launchOnStart) {
          launch();
        }
      }
    };
  }

  /** Runs the timer's loop on the pool. Once only. */
  void launch() {
    Runnable r = Objects.requireNonNull(loop, "the timer has not asked for its thread");
    launched = true;
    LOOPS.execute(
        () -> {
          running = true;
          try {
            r.run();
          } finally {
            ended = true;
          }
        });
  }

  /** Whether the loop was launched (by the timer or by {@link #launch()}). */
  boolean launched() {
    return launched;
  }

  /** Whether the loop has ended (the timer closed). */
  boolean ended() {
    return ended;
  }

  /**
   * Waits, at most {@link #RENDEZVOUS_NANOS}, until the loop is about to run; spins first, then
   * yields, so that the pooled thread gets a processor.
   */
  @SuppressWarnings("ThreadPriorityCheck") // three threads on two cores: let the awaited one run
  void awaitRunning() {
    long start = System.nanoTime();
    while (!running) {
      long waited = System.nanoTime() - start;
      if (waited > RENDEZVOUS_NANOS) {
        return;
      }
      if (waited < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /** Waits, at most {@link #LIMIT_NANOS}, until the loop has ended; returns whether it has. */
  boolean awaitEnded() {
    long start = System.nanoTime();
    while (!ended && System.nanoTime() - start < LIMIT_NANOS) {
      LockSupport.parkNanos(10_000L);
    }
    return ended;
  }
}
