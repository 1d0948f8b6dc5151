package dev.syncprims.bench;

import dev.syncprims.Fairness;
import dev.syncprims.impl.QueuedMutex;
import dev.syncprims.impl.QueuedReentrantMutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jol.info.GraphLayout;

/**
 * The memory footprint of a lock: the retained size (JOL's graph size: the object and everything
 * it references) of an unlocked lock, ours beside the JDK's. Applications create locks by the
 * million, one per cache entry or row, so bytes per lock matter as much as nanoseconds per
 * acquisition.
 *
 * <p>Prints one line per lock: the size of a lock that has never been contended, and, for ours,
 * of one that has (its wait queue is created the first time a thread has to wait, and stays):
 *
 * <pre>
 * java -cp primitives-bench/target/benchmarks.jar dev.syncprims.bench.Footprint
 * </pre>
 *
 * JOL may warn that it cannot attach to the running VM; the sizes do not depend on it (add {@code
 * -Djdk.attach.allowAttachSelf} to silence it).
 */
public final class Footprint {
  private Footprint() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.printf("%-48s %6s%n", "lock (unlocked)", "bytes");
    print("QueuedMutex, BARGING, never contended", new QueuedMutex(Fairness.BARGING));
    print("QueuedMutex, FIFO, never contended", new QueuedMutex(Fairness.FIFO));
    print("QueuedReentrantMutex, never contended", new QueuedReentrantMutex(Fairness.BARGING));
    print("QueuedMutex, after one contended lock", contended(new QueuedMutex(Fairness.BARGING)));
    print(
        "QueuedReentrantMutex, after one contended lock",
        contended(new QueuedReentrantMutex(Fairness.BARGING)));
    print("ReentrantLock, non-fair", new ReentrantLock(false));
    print("ReentrantLock, fair", new ReentrantLock(true));
    print("ReentrantLock, after one contended lock", contended(new ReentrantLock(false)));
    print("Object (for synchronized)", new Object());
  }

  private static void print(String what, Object lock) {
    System.out.printf("%-48s %6d%n", what, GraphLayout.parseInstance(lock).totalSize());
  }

  /**
   * Makes a thread wait for {@code lock} once (a timed {@code tryLock} while another thread holds
   * it), then returns it unlocked.
   */
  private static Lock contended(Lock lock) throws InterruptedException {
    lock.lock();
    try {
      Thread waiter =
          new Thread(
              () -> {
                try {
                  if (lock.tryLock(10, TimeUnit.MILLISECONDS)) {
                    lock.unlock();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      waiter.start();
      waiter.join();
    } finally {
      lock.unlock();
    }
    return lock;
  }
}
