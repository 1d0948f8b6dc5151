package dev.syncprims.bench;

import dev.syncprims.impl.Primitives;
import dev.syncprims.impl.WheelTimer;
import io.netty.util.HashedWheelTimer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The processor time that a timer's own thread spends while it holds 100,000 timeouts due in
 * one to two hours and nothing is due (connection idle timeouts): the worker thread's CPU time
 * ({@link ThreadMXBean#getThreadCpuTime}) over a measured window, as a percentage of one core,
 * for the library's {@link WheelTimer}, {@link ScheduledThreadPoolExecutor}, Netty's {@code
 * HashedWheelTimer} (1 ms tick, 512 buckets, as the WheelTimer) and {@link java.util.Timer}. Not
 * a JMH benchmark: the quantity is the idle cost of another thread, not a rate of operations.
 *
 * <p>Run: {@code java -cp primitives-bench/target/benchmarks.jar dev.syncprims.bench.TimerIdleCpu
 * [seconds]} (default 30 s of measurement per timer, after 5 s to settle).
 */
public final class TimerIdleCpu {
  static final int PENDING = 100_000;

  private TimerIdleCpu() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
    long settleMillis = args.length > 1 ? Long.parseLong(args[1]) : 5_000;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("thread CPU time is not supported by this JVM");
    }
    mx.setThreadCpuTimeEnabled(true);
    System.out.printf(Locale.ROOT, "worker CPU with %,d timeouts due in 1-2 h, over %d s%n",
        PENDING, seconds);
    for (String impl : new String[] {"WheelTimer", "STPE", "Netty", "juTimer"}) {
      double percent = measure(impl, seconds, settleMillis, mx);
      System.out.printf(Locale.ROOT, "%-12s %8.4f %% of a core%n", impl, percent);
    }
  }

  /** Records the one thread that a timer's factory makes. */
  static final class Recording implements ThreadFactory {
    final AtomicReference<@Nullable Thread> made = new AtomicReference<>();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "idle-cpu-timer");
      t.setDaemon(true);
      made.set(t);
      return t;
    }

    Thread thread() {
      Thread t = made.get();
      if (t == null) {
        throw new IllegalStateException("the timer made no thread");
      }
      return t;
    }
  }

  @SuppressWarnings({"FutureReturnValueIgnored", "deprecation"}) // handles dropped; getId for 17
  static double measure(String impl, long seconds, long settleMillis, ThreadMXBean mx)
      throws Exception {
    Recording factory = new Recording();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long hour = TimeUnit.HOURS.toNanos(1);
    Runnable nothing = () -> {};
    AutoCloseable close;
    Thread worker;
    switch (impl) {
      case "WheelTimer" -> {
        WheelTimer timer = Primitives.timerBuilder().threadFactory(factory).build();
        for (int i = 0; i < PENDING; i++) {
          timer.schedule(nothing, hour + random.nextLong(hour), TimeUnit.NANOSECONDS);
        }
        close = timer;
        worker = factory.thread();
      }
      case "STPE" -> {
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, factory);
        stpe.setRemoveOnCancelPolicy(true);
        for (int i = 0; i < PENDING; i++) {
          stpe.schedule(nothing, hour + random.nextLong(hour), TimeUnit.NANOSECONDS);
        }
        close = stpe::shutdownNow;
        worker = factory.thread();
      }
      case "Netty" -> {
        HashedWheelTimer netty = new HashedWheelTimer(factory, 1, TimeUnit.MILLISECONDS, 512);
        for (int i = 0; i < PENDING; i++) {
          netty.newTimeout(t -> {}, hour + random.nextLong(hour), TimeUnit.NANOSECONDS);
        }
        close = netty::stop;
        worker = factory.thread();
      }
      case "juTimer" -> {
        java.util.Timer timer = new java.util.Timer("idle-cpu-timer", true);
        for (int i = 0; i < PENDING; i++) {
          timer.schedule(new java.util.TimerTask() {
            @Override
            public void run() {}
          }, TimeUnit.NANOSECONDS.toMillis(hour + random.nextLong(hour)));
        }
        close = timer::cancel;
        worker = findThread("idle-cpu-timer");
      }
      default -> throw new IllegalArgumentException(impl);
    }
    try {
      Thread.sleep(settleMillis); // let the worker take in what was scheduled
      long id = worker.getId();
      long cpu0 = mx.getThreadCpuTime(id);
      long t0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long cpu1 = mx.getThreadCpuTime(id);
      long t1 = System.nanoTime();
      if (cpu0 < 0 || cpu1 < 0) {
        throw new IllegalStateException(impl + ": the worker thread is not alive");
      }
      return 100.0 * (cpu1 - cpu0) / (t1 - t0);
    } finally {
      close.close();
    }
  }

  private static Thread findThread(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    throw new IllegalStateException("no thread named " + name);
  }
}
