package dev.syncprims.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncprims.BinarySemaphore;
import dev.syncprims.Mutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The table of the guide's chapter 8: Python's owner-less {@code threading.Lock} behaves like a
 * {@link BinarySemaphore}; a {@link Mutex} is owned and refuses what Python's lock lets through.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FromPythonTest {

  /** Runs {@code action} on another thread, joins it, and returns what it threw, if anything. */
  private static Throwable onAnotherThread(Runnable action) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (Throwable e) {
                thrown.set(e);
              }
            },
            "other");
    t.start();
    t.join();
    return thrown.get();
  }

  @Test
  void aBinarySemaphoreMayBeReleasedByAnotherThreadLikePythonsLock() throws Exception {
    BinarySemaphore lock = Primitives.binarySemaphore(true);
    lock.acquire();

    assertNull(onAnotherThread(lock::release));
    assertTrue(lock.isAvailable());
  }

  @Test
  void aMutexRefusesAReleaseByAnotherThreadAndStaysHeld() throws Exception {
    Mutex mutex = Primitives.mutex();
    mutex.lock();
    try {
      Throwable e = onAnotherThread(mutex::unlock);
      assertTrue(e instanceof IllegalMonitorStateException, String.valueOf(e));
      assertTrue(mutex.isHeldByCurrentThread());
      assertEquals(Thread.currentThread(), mutex.owner());
    } finally {
      mutex.unlock();
    }
  }

  @Test
  void releasingWhatIsNotHeldIsAnErrorForBoth() {
    BinarySemaphore lock = Primitives.binarySemaphore(true);
    assertThrows(IllegalStateException.class, lock::release); // Python: RuntimeError
    assertTrue(lock.isAvailable());

    Mutex mutex = Primitives.mutex();
    assertThrows(IllegalMonitorStateException.class, mutex::unlock);
    assertFalse(mutex.isLocked());
  }

  @Test
  void reacquiringByTheHolderWaitsOnTheSemaphoreButThrowsOnTheMutex() throws Exception {
    BinarySemaphore lock = Primitives.binarySemaphore(true);
    lock.acquire();
    // Python's lock.acquire() here would block forever; the semaphore has no owner to tell a
    // second acquire by the holder from one by any other thread, so it would wait too.
    assertFalse(lock.tryAcquire());

    Mutex mutex = Primitives.mutex();
    mutex.lock();
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, mutex::lock);
      assertTrue(e.getMessage().contains("self-deadlock"), e.getMessage());
      assertTrue(mutex.isHeldByCurrentThread());
    } finally {
      mutex.unlock();
    }
    assertFalse(mutex.isLocked());
  }
}
