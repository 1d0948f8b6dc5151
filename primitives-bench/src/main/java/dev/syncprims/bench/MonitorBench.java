package dev.syncprims.bench;

import dev.syncprims.Monitor;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Bounded-buffer throughput (producers and consumers sharing one buffer of {@value #CAPACITY}
 * slots), the classic monitor workload, with five implementations of the same buffer:
 *
 * <ul>
 *   <li>{@code primitivesMesa}, {@code primitivesHoare}: the library's monitors, with two
 *       conditions (not full, not empty) and {@code waitFor};
 *   <li>{@code jdkReentrantLockConditions}: {@code ReentrantLock} (non-fair) with two {@code
 *       Condition}s;
 *   <li>{@code guavaMonitor}: Guava's {@code Monitor} with two {@code Guard}s (non-fair);
 *   <li>{@code jdkSynchronizedWaitNotify}: {@code synchronized}, {@code wait} and {@code
 *       notifyAll} on one object.
 * </ul>
 *
 * <p>Each benchmark is a JMH group of one producer ({@code put}) and one consumer ({@code take})
 * sharing a buffer ({@link Scope#Group}); the group's score is the sum of both, in operations per
 * microsecond. More pairs share the same buffer when the group is widened with {@code -tg}: {@code
 * -tg 2,2} is two producers and two consumers on one buffer, {@code -tg 4,4} four of each. (Adding
 * threads with {@code -t} would instead add independent groups, each with its own buffer.)
 *
 * <pre>{@code
 * for tg in 1,1 2,2 4,4; do
 *   java -jar primitives-bench/target/benchmarks.jar MonitorBench -tg $tg -rf json -rff monitor-$tg.json
 * done
 * }</pre>
 *
 * <p>Every wait is timed (10 ms) and gives up once JMH ends the measurement, because the producer
 * and the consumer of a group do not stop at the same instant: an untimed wait would leave a
 * producer blocked on a full buffer for ever once its consumer has stopped. All five
 * implementations wait the same way, so they pay the same for it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MonitorBench {
  static final int CAPACITY = 16;
  static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  static final Object ITEM = new Object();

  /** A bounded buffer that gives up waiting when the measurement ends. */
  abstract static class Buffer {
    long p01, p02, p03, p04, p05, p06, p07, p08;
    final @Nullable Object[] items = new Object[CAPACITY];
    int head;
    int count;

    /** Adds an item unless the measurement ended while waiting for room; returns whether it did. */
    abstract boolean put(Object item, Control control) throws InterruptedException;

    /** Removes an item, or returns null if the measurement ended while waiting for one. */
    abstract @Nullable Object take(Control control) throws InterruptedException;

    final void insert(Object item) {
      items[(head + count) % CAPACITY] = item;
      count++;
    }

    final @Nullable Object remove() {
      Object item = items[head];
      items[head] = null;
      head = (head + 1) % CAPACITY;
      count--;
      return item;
    }
  }

  /** The library's monitor with two conditions, written as its users would: with waitFor. */
  static final class MonitorBuffer extends Buffer {
    private final Monitor monitor;
    private final Monitor.Condition notFull;
    private final Monitor.Condition notEmpty;
    // Bound once: a method reference created per call would allocate in the measured loop.
    private final BooleanSupplier roomGuard = this::hasRoom;
    private final BooleanSupplier itemsGuard = this::hasItems;

    MonitorBuffer(Monitor monitor) {
      this.monitor = monitor;
      this.notFull = monitor.newCondition();
      this.notEmpty = monitor.newCondition();
    }

    @Override
    boolean put(Object item, Control control) throws InterruptedException {
      monitor.enter();
      try {
        while (!notFull.waitFor(roomGuard, WAIT_NANOS, TimeUnit.NANOSECONDS)) {
          if (control.stopMeasurement) {
            return false;
          }
        }
        insert(item);
        notEmpty.signal();
        return true;
      } finally {
        monitor.exit();
      }
    }

    private boolean hasRoom() {
      return count < CAPACITY;
    }

    private boolean hasItems() {
      return count > 0;
    }

    @Override
    @Nullable Object take(Control control) throws InterruptedException {
      monitor.enter();
      try {
        while (!notEmpty.waitFor(itemsGuard, WAIT_NANOS, TimeUnit.NANOSECONDS)) {
          if (control.stopMeasurement) {
            return null;
          }
        }
        Object item = remove();
        notFull.signal();
        return item;
      } finally {
        monitor.exit();
      }
    }
  }

  /** ReentrantLock with two Conditions, the java.util.concurrent way. */
  static final class LockBuffer extends Buffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();

    @Override
    boolean put(Object item, Control control) throws InterruptedException {
      lock.lock();
      try {
        while (count == CAPACITY) {
          if (control.stopMeasurement) {
            return false;
          }
          long unused = notFull.awaitNanos(WAIT_NANOS);
        }
        insert(item);
        notEmpty.signal();
        return true;
      } finally {
        lock.unlock();
      }
    }

    @Override
    @Nullable Object take(Control control) throws InterruptedException {
      lock.lock();
      try {
        while (count == 0) {
          if (control.stopMeasurement) {
            return null;
          }
          long unused = notEmpty.awaitNanos(WAIT_NANOS);
        }
        Object item = remove();
        notFull.signal();
        return item;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Guava's Monitor with two Guards: leave() signals a waiter whose guard has become true. */
  static final class GuavaBuffer extends Buffer {
    private final com.google.common.util.concurrent.Monitor monitor =
        new com.google.common.util.concurrent.Monitor();
    private final com.google.common.util.concurrent.Monitor.Guard notFull =
        new com.google.common.util.concurrent.Monitor.Guard(monitor) {
          @Override
          public boolean isSatisfied() {
            return count < CAPACITY;
          }
        };
    private final com.google.common.util.concurrent.Monitor.Guard notEmpty =
        new com.google.common.util.concurrent.Monitor.Guard(monitor) {
          @Override
          public boolean isSatisfied() {
            return count > 0;
          }
        };

    @Override
    boolean put(Object item, Control control) throws InterruptedException {
      while (!monitor.enterWhen(notFull, WAIT_NANOS, TimeUnit.NANOSECONDS)) {
        if (control.stopMeasurement) {
          return false;
        }
      }
      try {
        insert(item);
        return true;
      } finally {
        monitor.leave();
      }
    }

    @Override
    @Nullable Object take(Control control) throws InterruptedException {
      while (!monitor.enterWhen(notEmpty, WAIT_NANOS, TimeUnit.NANOSECONDS)) {
        if (control.stopMeasurement) {
          return null;
        }
      }
      try {
        return remove();
      } finally {
        monitor.leave();
      }
    }
  }

  /** synchronized with wait and notifyAll: one wait set for both conditions. */
  static final class SynchronizedBuffer extends Buffer {
    private final Object lock = new Object();

    @Override
    boolean put(Object item, Control control) throws InterruptedException {
      synchronized (lock) {
        while (count == CAPACITY) {
          if (control.stopMeasurement) {
            return false;
          }
          lock.wait(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS));
        }
        insert(item);
        lock.notifyAll();
        return true;
      }
    }

    @Override
    @Nullable Object take(Control control) throws InterruptedException {
      synchronized (lock) {
        while (count == 0) {
          if (control.stopMeasurement) {
            return null;
          }
          lock.wait(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS));
        }
        Object item = remove();
        lock.notifyAll();
        return item;
      }
    }
  }

  /** One buffer per group, shared by its producers and consumers. */
  @State(Scope.Group)
  public static class Mesa {
    final Buffer buffer = new MonitorBuffer(Primitives.mesaMonitor());
  }

  /** One buffer per group, shared by its producers and consumers. */
  @State(Scope.Group)
  public static class Hoare {
    final Buffer buffer = new MonitorBuffer(Primitives.hoareMonitor());
  }

  /** One buffer per group, shared by its producers and consumers. */
  @State(Scope.Group)
  public static class Jdk {
    final Buffer buffer = new LockBuffer();
  }

  /** One buffer per group, shared by its producers and consumers. */
  @State(Scope.Group)
  public static class Guava {
    final Buffer buffer = new GuavaBuffer();
  }

  /** One buffer per group, shared by its producers and consumers. */
  @State(Scope.Group)
  public static class Sync {
    final Buffer buffer = new SynchronizedBuffer();
  }

  @Benchmark
  @Group("primitivesMesa")
  @GroupThreads(1)
  public boolean primitivesMesaPut(Mesa s, Control control) throws InterruptedException {
    return s.buffer.put(ITEM, control);
  }

  @Benchmark
  @Group("primitivesMesa")
  @GroupThreads(1)
  public @Nullable Object primitivesMesaTake(Mesa s, Control control) throws InterruptedException {
    return s.buffer.take(control);
  }

  @Benchmark
  @Group("primitivesHoare")
  @GroupThreads(1)
  public boolean primitivesHoarePut(Hoare s, Control control) throws InterruptedException {
    return s.buffer.put(ITEM, control);
  }

  @Benchmark
  @Group("primitivesHoare")
  @GroupThreads(1)
  public @Nullable Object primitivesHoareTake(Hoare s, Control control)
      throws InterruptedException {
    return s.buffer.take(control);
  }

  @Benchmark
  @Group("jdkReentrantLockConditions")
  @GroupThreads(1)
  public boolean jdkReentrantLockConditionsPut(Jdk s, Control control)
      throws InterruptedException {
    return s.buffer.put(ITEM, control);
  }

  @Benchmark
  @Group("jdkReentrantLockConditions")
  @GroupThreads(1)
  public @Nullable Object jdkReentrantLockConditionsTake(Jdk s, Control control)
      throws InterruptedException {
    return s.buffer.take(control);
  }

  @Benchmark
  @Group("guavaMonitor")
  @GroupThreads(1)
  public boolean guavaMonitorPut(Guava s, Control control) throws InterruptedException {
    return s.buffer.put(ITEM, control);
  }

  @Benchmark
  @Group("guavaMonitor")
  @GroupThreads(1)
  public @Nullable Object guavaMonitorTake(Guava s, Control control) throws InterruptedException {
    return s.buffer.take(control);
  }

  @Benchmark
  @Group("jdkSynchronizedWaitNotify")
  @GroupThreads(1)
  public boolean jdkSynchronizedWaitNotifyPut(Sync s, Control control)
      throws InterruptedException {
    return s.buffer.put(ITEM, control);
  }

  @Benchmark
  @Group("jdkSynchronizedWaitNotify")
  @GroupThreads(1)
  public @Nullable Object jdkSynchronizedWaitNotifyTake(Sync s, Control control)
      throws InterruptedException {
    return s.buffer.take(control);
  }
}
