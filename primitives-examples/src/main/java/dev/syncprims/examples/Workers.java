package dev.syncprims.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** The threads of one example run: started by name, joined with a bound, failures rethrown. */
final class Workers {
  /** What a worker runs. */
  interface Body {
    void run() throws Exception;
  }

  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  void start(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                failures.add(e);
              }
            },
            name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /**
   * Joins every thread within 30 seconds in all; throws if one is still running (naming {@code
   * what} it waits on, to show its state) or if one failed.
   */
  void joinAll(Object what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Thread t : threads) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      t.join(Math.max(left, 1));
      if (t.isAlive()) {
        for (Thread u : threads) {
          u.interrupt();
        }
        throw new IllegalStateException(t.getName() + " did not finish; " + what);
      }
    }
    Throwable first = failures.poll();
    if (first != null) {
      IllegalStateException e = new IllegalStateException("a worker failed", first);
      for (Throwable more = failures.poll(); more != null; more = failures.poll()) {
        e.addSuppressed(more);
      }
      throw e;
    }
  }
}
