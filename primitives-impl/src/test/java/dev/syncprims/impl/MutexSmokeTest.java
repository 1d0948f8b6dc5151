package dev.syncprims.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.syncprims.Fairness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many threads, every acquire method, one guarded counter: the count must be exact. */
class MutexSmokeTest {
  private long counter;

  @ParameterizedTest
  @EnumSource(Fairness.class)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void mutualExclusionUnderContention(Fairness fairness) throws Exception {
    for (Lock lock : List.<Lock>of(new QueuedMutex(fairness), new QueuedReentrantMutex(fairness))) {
      counter = 0;
      int threads = 6;
      int perThread = 100_000;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          fs.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      int how = (i + id) % 4;
                      if (how == 0) {
                        lock.lock();
                      } else if (how == 1) {
                        lock.lockInterruptibly();
                      } else if (how == 2) {
                        while (!lock.tryLock()) {
                          Thread.onSpinWait();
                        }
                      } else {
                        while (!lock.tryLock(10, TimeUnit.MICROSECONDS)) {
                          Thread.onSpinWait();
                        }
                      }
                      try {
                        counter++;
                      } finally {
                        lock.unlock();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals((long) threads * perThread, counter, lock.toString());
      OwnedLock owned = (OwnedLock) lock;
      assertFalse(owned.isLocked());
      assertEquals(0, owned.getQueueLength());
      assertNull(owned.owner());
    }
  }

  @ParameterizedTest
  @EnumSource(Fairness.class)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void conditionPingPong(Fairness fairness) throws InterruptedException, ExecutionException {
    QueuedReentrantMutex lock = new QueuedReentrantMutex(fairness);
    Condition changed = lock.newCondition();
    int rounds = 20_000;
    long[] turn = {0};
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int me = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < rounds; i++) {
                    lock.lock();
                    try {
                      while (turn[0] % 2 != me) {
                        changed.await();
                      }
                      turn[0]++;
                      changed.signal();
                    } finally {
                      lock.unlock();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2L * rounds, turn[0]);
  }
}
