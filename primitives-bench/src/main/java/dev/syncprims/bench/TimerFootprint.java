package dev.syncprims.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jol.info.GraphLayout;

/**
 * The memory a timer retains per pending timeout, measured with JOL: the size of everything
 * reachable from the timer with {@link #N} timeouts pending, minus the same with none, divided by
 * {@code N}. The task is one shared {@code Runnable}, so the figure is the timer's own cost; for
 * {@code java.util.Timer} it includes the {@code TimerTask} that its API makes the caller allocate
 * per schedule. The handles returned to the caller are not kept.
 *
 * <p>Run: {@code java -cp primitives-bench/target/benchmarks.jar dev.syncprims.bench.TimerFootprint}
 */
public final class TimerFootprint {
  static final int N = 100_000;

  private TimerFootprint() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("retained bytes per pending timeout (JOL graph size, " + N + " pending)");
    for (String impl : new String[] {"WheelTimer", "STPE", "juTimer"}) {
      System.out.printf(Locale.ROOT, "%-12s %6.1f%n", impl, perTimeout(impl));
    }
  }

  static double perTimeout(String name) throws InterruptedException {
    TimerBench.Impl impl = TimerBench.Impl.create(name);
    try {
      Object root = rootOf(impl);
      Runnable task = () -> {};
      // Start the worker threads and let them reach their idle state before the first snapshot.
      impl.schedule(task, TimeUnit.HOURS.toNanos(3));
      settle();
      long empty = GraphLayout.parseInstance(root).totalSize();
      for (int i = 0; i < N; i++) {
        impl.schedule(task, TimeUnit.HOURS.toNanos(1) + i * 1_000L); // the handle is dropped
      }
      settle();
      long full = GraphLayout.parseInstance(root).totalSize();
      return (full - empty) / (double) N;
    } finally {
      impl.close();
    }
  }

  /** Gives the timers' threads time to take the new timeouts from their hand-over queues. */
  private static void settle() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
  }

  private static Object rootOf(TimerBench.Impl impl) {
    if (impl instanceof TimerBench.Wheel w) {
      return w.timer;
    }
    if (impl instanceof TimerBench.Stpe s) {
      return s.executor;
    }
    return ((TimerBench.JuTimer) impl).timer;
  }
}
