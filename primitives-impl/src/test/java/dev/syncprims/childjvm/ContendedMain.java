package dev.syncprims.childjvm;

import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A small program that {@code JfrChildJvmTest} runs in a JVM of its own: one thread holds a
 * mutex, another waits for it, and the holder lets go once the waiter is parked in the mutex and
 * a given time has elapsed. It prints whether {@code jdk.jfr} is in the boot layer, then {@code
 * ok}, and exits with 0; with 1 if anything went wrong.
 *
 * <p>Arguments: the time to keep holding after the waiter parked, in milliseconds (default 0).
 */
public final class ContendedMain {
  private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private ContendedMain() {}

  public static void main(String[] args) throws InterruptedException {
    long holdNanos = TimeUnit.MILLISECONDS.toNanos(args.length > 0 ? Long.parseLong(args[0]) : 0);
    System.out.println("jdk.jfr resolved: " + ModuleLayer.boot().findModule("jdk.jfr").isPresent());
    Mutex mutex = Primitives.mutex();
    AtomicBoolean acquired = new AtomicBoolean();
    Thread waiter =
        new Thread(
            () -> {
              mutex.lock();
              try {
                acquired.set(true);
              } finally {
                mutex.unlock();
              }
            },
            "child-waiter");
    mutex.lock();
    try {
      waiter.start();
      awaitParkedIn(waiter, mutex);
      long start = System.nanoTime();
      for (long left = holdNanos; left > 0; left = holdNanos - (System.nanoTime() - start)) {
        LockSupport.parkNanos(left);
      }
    } finally {
      mutex.unlock();
    }
    waiter.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
    if (waiter.isAlive() || !acquired.get()) {
      System.out.println("the waiter did not get the mutex: " + waiter.getState());
      System.exit(1);
    }
    System.out.println("ok");
  }

  /** Waits until {@code t} is parked with {@code blocker}; exits with 1 after the patience. */
  static void awaitParkedIn(Thread t, Object blocker) {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    while (!blocker.equals(LockSupport.getBlocker(t))) { // the primitive is the blocker
      if (System.nanoTime() - deadline > 0) {
        System.out.println(t.getName() + " did not park in " + blocker);
        System.exit(1);
      }
      LockSupport.parkNanos(100_000L);
    }
  }
}
