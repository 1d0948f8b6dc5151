package dev.syncprims.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.syncprims.Fairness;
import dev.syncprims.Mutex;
import dev.syncprims.ReentrantMutex;
import dev.syncprims.impl.Primitives;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * {@code lockInterruptibly()} answers an interrupt: a thread waiting for a held mutex finishes when
 * it is interrupted.
 *
 * <p>The jcstress control thread creates the trial, so it locks the mutex; the actor calls {@code
 * lockInterruptibly()} after a random delay of up to 1.5 ms, and the signal interrupts it. The
 * delay spreads the interrupt over every stage of the call: before it starts (the entry check
 * throws at once), while it spins, while it queues, and while it is parked. In half the trials the
 * signal unlocks the mutex right after the interrupt, so that the interrupt races a hand-off (FIFO,
 * or BARGING past 1 ms) or a wake-up (BARGING). Each trial picks {@link Mutex} or {@link
 * ReentrantMutex} and the fairness at random: the waiting code is the same for both kinds, and the
 * two fairness modes differ only in when a queued thread may try, so one class covers them.
 *
 * <p>The actor checks what the contract promises: a thread that gets {@link InterruptedException}
 * does not hold the mutex and has its interrupted status cleared; a thread that acquires does so
 * only after the unlock, and then still has its interrupted status set (the interrupt came before
 * the unlock, so it was either absorbed and restored, or is still pending). A failed check throws
 * (ERROR); a thread that never finishes is STALE.
 */
@JCStressTest(Mode.Termination)
@Description("A thread waiting in lockInterruptibly() finishes when interrupted, holding the mutex"
    + " only if it was unlocked, and with the interrupted status the contract promises.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE,
    desc = "The waiter threw InterruptedException, or acquired after the unlock.")
@Outcome(id = "STALE", expect = FORBIDDEN,
    desc = "The interrupt was lost: the waiter stayed blocked in lockInterruptibly().")
@Outcome(id = "ERROR", expect = FORBIDDEN,
    desc = "The actor threw: it acquired a mutex that was still held, kept the mutex after"
        + " InterruptedException, or its interrupted status was wrong.")
@Outcome(expect = FORBIDDEN, desc = "Only TERMINATED is correct.")
@State
public class MutexLockInterruptibly_AnswersInterrupt {
  private static final long MAX_DELAY_NANOS = 1_500_000L;

  private final Lock lock;
  private final BooleanSupplier heldByCurrentThread;
  private final long delayNanos;
  private final boolean unlockAfterInterrupt;

  private volatile @Nullable Thread waiter;
  private volatile boolean unlockStarted;

  /** Runs in the jcstress control thread, which also runs the signal. */
  public MutexLockInterruptibly_AnswersInterrupt() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Fairness fairness = random.nextBoolean() ? Fairness.BARGING : Fairness.FIFO;
    if (random.nextBoolean()) {
      Mutex m = Primitives.mutex(fairness);
      lock = m;
      heldByCurrentThread = m::isHeldByCurrentThread;
    } else {
      ReentrantMutex m = Primitives.reentrantMutex(fairness);
      lock = m;
      heldByCurrentThread = m::isHeldByCurrentThread;
    }
    lock.lock();
    delayNanos = random.nextLong(MAX_DELAY_NANOS);
    unlockAfterInterrupt = random.nextBoolean();
  }

  @Actor
  public void waiter() {
    waiter = Thread.currentThread();
    Pause.nanos(delayNanos);
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw fail("InterruptedException was thrown with the interrupted status still set");
      }
      if (heldByCurrentThread.getAsBoolean()) {
        throw fail("InterruptedException was thrown, yet the thread holds the mutex");
      }
      return;
    }
    if (!unlockStarted) {
      throw fail("lockInterruptibly() acquired while the holder still held the mutex");
    }
    boolean stillInterrupted = Thread.interrupted();
    lock.unlock();
    if (!stillInterrupted) {
      throw fail("acquired after an interrupt that preceded the unlock, and lost the interrupt");
    }
  }

  @Signal
  public void interrupt() {
    Pause.until(() -> waiter != null);
    Thread w = waiter;
    if (w != null) {
      w.interrupt();
    }
    if (unlockAfterInterrupt) {
      unlockStarted = true;
      lock.unlock();
    }
  }

  private IllegalStateException fail(String message) {
    return new IllegalStateException(message + " (" + lock + ")");
  }
}
