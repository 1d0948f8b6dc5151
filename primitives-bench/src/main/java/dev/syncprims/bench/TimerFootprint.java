package dev.syncprims.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jol.vm.VM;

/**
 * The memory a timer retains per pending timeout: the size of everything reachable from the timer
 * with {@link #N} timeouts pending, minus the same with one, divided by {@code N - 1}. Object
 * sizes come from JOL ({@code VM.current().sizeOf}); the walk follows every reference field and
 * array element but stops at threads, thread groups, class loaders, references (weak, soft,
 * phantom), classes and hidden classes (lambdas), which JOL's own graph walker cannot cross and which do not grow with the number of
 * timeouts. The task is one shared lambda, so the figure is the timer's own cost; for {@code
 * java.util.Timer} it includes the {@code TimerTask} that its API makes the caller allocate per
 * schedule. The handles returned to the caller are dropped.
 *
 * <p>Run (the walk reads private fields of {@code java.base}):
 *
 * <pre>
 * java --add-opens java.base/java.util=ALL-UNNAMED \
 *      --add-opens java.base/java.util.concurrent=ALL-UNNAMED \
 *      --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
 *      --add-opens java.base/java.util.concurrent.locks=ALL-UNNAMED \
 *      -cp primitives-bench/target/benchmarks.jar dev.syncprims.bench.TimerFootprint
 * </pre>
 */
public final class TimerFootprint {
  static final int N = 100_000;

  private TimerFootprint() {}

  public static void main(String[] args) throws Exception {
    System.out.println("retained bytes per pending timeout (" + N + " pending)");
    for (String impl : new String[] {"WheelTimer", "STPE", "juTimer"}) {
      System.out.printf(Locale.ROOT, "%-12s %6.1f%n", impl, perTimeout(impl));
    }
  }

  static double perTimeout(String name) throws Exception {
    TimerBench.Impl impl = TimerBench.Impl.create(name);
    try {
      Object root = rootOf(impl);
      Runnable task = TimerFootprint::nothing;
      // Start the worker threads and let them reach their idle state before the first snapshot.
      impl.schedule(task, TimeUnit.HOURS.toNanos(3));
      settle();
      long one = deepSize(root);
      for (int i = 1; i < N; i++) {
        impl.schedule(task, TimeUnit.HOURS.toNanos(1) + i * 1_000L); // the handle is dropped
      }
      settle();
      long full = deepSize(root);
      return (full - one) / (double) (N - 1);
    } finally {
      impl.close();
    }
  }

  private static void nothing() {}

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

  private static boolean stopsTheWalk(Class<?> c) {
    return Thread.class.isAssignableFrom(c)
        || ThreadGroup.class.isAssignableFrom(c)
        || ClassLoader.class.isAssignableFrom(c)
        || java.lang.ref.Reference.class.isAssignableFrom(c)
        || c == Class.class
        || c.isHidden();
  }

  static long deepSize(Object root) throws IllegalAccessException {
    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Object> todo = new ArrayDeque<>();
    todo.push(root);
    long total = 0;
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      Class<?> c = o.getClass();
      if (seen.put(o, Boolean.TRUE) != null || stopsTheWalk(c)) {
        continue;
      }
      total += VM.current().sizeOf(o);
      if (c.isArray()) {
        if (!c.getComponentType().isPrimitive()) {
          for (Object e : (Object[]) o) {
            if (e != null) {
              todo.push(e);
            }
          }
        }
        continue;
      }
      for (Class<?> k = c; k != null; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
            continue;
          }
          f.setAccessible(true);
          Object v = f.get(o);
          if (v != null) {
            todo.push(v);
          }
        }
      }
    }
    return total;
  }
}
