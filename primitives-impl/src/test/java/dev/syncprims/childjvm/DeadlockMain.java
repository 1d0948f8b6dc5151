package dev.syncprims.childjvm;

import dev.syncprims.DeadlockException;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;

/**
 * A small program that {@code JfrChildJvmTest} runs in a JVM of its own with deadlock detection
 * on: thread "child-first" holds mutex A and waits for B; the main thread, holding B, then locks
 * A, which would close the cycle and must throw {@link DeadlockException}. Prints the exception's
 * message and {@code ok}, and exits with 0; with 1 if the exception did not come.
 */
public final class DeadlockMain {
  private DeadlockMain() {}

  public static void main(String[] args) throws InterruptedException {
    Mutex a = Primitives.mutex();
    Mutex b = Primitives.mutex();
    Thread first =
        new Thread(
            () -> {
              a.lock();
              try {
                lockAndUnlock(b);
              } finally {
                a.unlock();
              }
            },
            "child-first");
    boolean refused = false;
    b.lock();
    try {
      first.start();
      ContendedMain.awaitParkedIn(first, b);
      lockAndUnlock(a); // closes the cycle: refused
    } catch (DeadlockException e) {
      System.out.println(e.getMessage());
      refused = true;
    } finally {
      b.unlock();
    }
    first.join(TimeUnit.SECONDS.toMillis(30));
    if (!refused || first.isAlive()) {
      System.out.println("no DeadlockException, or child-first did not finish: " + first.getState());
      System.exit(1);
    }
    System.out.println("ok");
  }

  private static void lockAndUnlock(Mutex m) {
    m.lock();
    try {
      System.out.println(Thread.currentThread().getName() + " locked " + m);
    } finally {
      m.unlock();
    }
  }
}
