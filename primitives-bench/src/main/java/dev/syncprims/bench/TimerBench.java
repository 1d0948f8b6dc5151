package dev.syncprims.bench;

import dev.syncprims.Timeout;
import dev.syncprims.impl.Primitives;
import dev.syncprims.impl.WheelTimer;
import io.netty.util.HashedWheelTimer;
import java.util.TimerTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * The library's {@link WheelTimer} against {@link ScheduledThreadPoolExecutor} (one thread, with
 * {@code setRemoveOnCancelPolicy(true)}), {@link java.util.Timer} and Netty's {@code
 * HashedWheelTimer} (the same 1 ms tick and 512 buckets as the WheelTimer's defaults), in the
 * same run ({@code impl} parameter):
 *
 * <ul>
 *   <li>{@code scheduleThenCancel}: schedule a task 1 s ahead and cancel it at once (the life of
 *       most timeouts: a request that finishes in time). Throughput.
 *   <li>{@code scheduleAndFire}: schedule 1,000 tasks due at once and wait until all have run.
 *       Throughput in tasks.
 *   <li>{@code firingLateness}: with 100,000 other timeouts pending (due in 1 to 2 hours),
 *       schedule one due in 1 ms and wait until it has run. Sample time: each sample is 1 ms plus
 *       the lateness plus the wake-up of the waiting thread (the same for all three), so the
 *       lateness percentiles are the sample percentiles minus 1 ms.
 * </ul>
 *
 * Run {@code scheduleThenCancel} at 1, 2, 4 and 8 threads ({@code -t}). The retained memory per
 * pending timeout is measured by {@link TimerFootprint} (JOL), the worker's processor time with
 * 100,000 far-off timeouts by {@link TimerIdleCpu}.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TimerBench {

  /** The three timers behind one interface; each fork uses one of them. */
  abstract static class Impl {
    abstract Object schedule(Runnable task, long delayNanos);

    abstract boolean cancel(Object handle);

    abstract void close();

    static Impl create(String name) {
      return switch (name) {
        case "WheelTimer" -> new Wheel();
        case "STPE" -> new Stpe();
        case "juTimer" -> new JuTimer();
        case "Netty" -> new Netty();
        default -> throw new IllegalArgumentException("impl: " + name);
      };
    }
  }

  static final class Wheel extends Impl {
    final WheelTimer timer = Primitives.timerBuilder().build();

    @Override
    Object schedule(Runnable task, long delayNanos) {
      return timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    boolean cancel(Object handle) {
      return ((Timeout) handle).cancel();
    }

    @Override
    void close() {
      timer.close();
    }
  }

  static final class Stpe extends Impl {
    final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "stpe");
      t.setDaemon(true);
      return t;
    });

    Stpe() {
      executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the future is the handle; cancel() uses it
    Object schedule(Runnable task, long delayNanos) {
      ScheduledFuture<?> f = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return f;
    }

    @Override
    boolean cancel(Object handle) {
      return ((ScheduledFuture<?>) handle).cancel(false);
    }

    @Override
    void close() {
      executor.shutdownNow();
    }
  }

  static final class JuTimer extends Impl {
    final java.util.Timer timer = new java.util.Timer("java.util.Timer", true);

    @Override
    Object schedule(Runnable task, long delayNanos) {
      TimerTask t = new TimerTask() {
        @Override
        public void run() {
          task.run();
        }
      };
      timer.schedule(t, TimeUnit.NANOSECONDS.toMillis(delayNanos));
      return t;
    }

    @Override
    boolean cancel(Object handle) {
      return ((TimerTask) handle).cancel();
    }

    @Override
    void close() {
      timer.cancel();
    }
  }

  static final class Netty extends Impl {
    final HashedWheelTimer timer = new HashedWheelTimer(r -> {
      Thread t = new Thread(r, "netty-timer");
      t.setDaemon(true);
      return t;
    }, 1, TimeUnit.MILLISECONDS, 512);

    @Override
    Object schedule(Runnable task, long delayNanos) {
      return timer.newTimeout(t -> task.run(), delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    boolean cancel(Object handle) {
      return ((io.netty.util.Timeout) handle).cancel();
    }

    @Override
    void close() {
      timer.stop();
    }
  }

  private static void nothing() {}
  private static final long ONE_SECOND = TimeUnit.SECONDS.toNanos(1);

  /** One timer shared by every benchmark thread. */
  @State(Scope.Benchmark)
  public static class Shared {
    @Param({"WheelTimer", "STPE", "juTimer", "Netty"})
    public String impl = "WheelTimer";

    Impl timer = Impl.create("WheelTimer");

    @Setup(Level.Trial)
    public void setUp() {
      timer = Impl.create(impl);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      timer.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean scheduleThenCancel(Shared s) {
    Object handle = s.timer.schedule(TimerBench::nothing, ONE_SECOND);
    return s.timer.cancel(handle);
  }

  static final int BATCH = 1_000;

  /** The tasks of one benchmark thread count down here. */
  @State(Scope.Thread)
  public static class Batch {
    final AtomicInteger ran = new AtomicInteger();
    final Runnable task = ran::incrementAndGet;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(BATCH)
  public int scheduleAndFire(Shared s, Batch b, Control control) {
    int target = b.ran.get() + BATCH;
    for (int i = 0; i < BATCH; i++) {
      s.timer.schedule(b.task, 0);
    }
    int seen;
    while ((seen = b.ran.get()) - target < 0 && !control.stopMeasurement) {
      LockSupport.parkNanos(10_000L);
    }
    return seen;
  }

  /** A timer holding 100,000 pending timeouts, due in 1 to 2 hours. */
  @State(Scope.Benchmark)
  public static class Loaded {
    @Param({"WheelTimer", "STPE", "juTimer", "Netty"})
    public String impl = "WheelTimer";

    static final int PENDING = 100_000;
    Impl timer = Impl.create("WheelTimer");

    @Setup(Level.Trial)
    public void setUp() {
      timer = Impl.create(impl);
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long hour = TimeUnit.HOURS.toNanos(1);
      for (int i = 0; i < PENDING; i++) {
        timer.schedule(TimerBench::nothing, hour + random.nextLong(hour));
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      timer.close();
    }
  }

  /** The probe of one benchmark thread: a flag its task raises, and the thread to wake. */
  @State(Scope.Thread)
  public static class Probe {
    volatile boolean fired;
    volatile Thread waiter = Thread.currentThread();
    final Runnable task = () -> {
      fired = true;
      LockSupport.unpark(waiter);
    };
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean firingLateness(Loaded s, Probe p, Control control) {
    p.fired = false;
    p.waiter = Thread.currentThread();
    s.timer.schedule(p.task, TimeUnit.MILLISECONDS.toNanos(1));
    while (!p.fired && !control.stopMeasurement) {
      LockSupport.parkNanos(p, 1_000_000L);
    }
    return p.fired;
  }
}
