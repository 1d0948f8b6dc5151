package dev.syncprims.examples;

import dev.syncprims.Held;
import dev.syncprims.Monitor;
import dev.syncprims.impl.Primitives;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Readers and writers: many threads may read a shared resource at once, but a writer needs it to
 * itself. The monitor does not guard the resource; it guards the bookkeeping of who is inside,
 * and threads read and write outside the monitor, between {@link #startRead()} / {@link
 * #endRead()} and {@link #startWrite()} / {@link #endWrite()}.
 *
 * <p>The policy is fair to both sides, after Hoare's monitor of 1974: a reader does not start
 * while a writer waits (so a stream of readers cannot starve writers), and when a writer finishes,
 * the readers waiting at that moment all go before the next writer (so a stream of writers cannot
 * starve readers). Each wait is a {@link Monitor.Condition#waitFor waitFor} with the full guard, so
 * the same code is correct under Mesa and Hoare semantics.
 *
 * <p>Run {@link #main} to see readers and writers run on both kinds of monitor, with the invariant
 * check: a writer never has anyone else inside.
 */
@SuppressWarnings("try") // try (Held h = monitor.entered()) { ... }: h is used only to exit
public final class ReadersWriters {
  private final Monitor monitor;
  private final Monitor.Condition okToRead;
  private final Monitor.Condition okToWrite;

  // Guarded by the monitor.
  private int readers; // reading now
  private boolean writing; // a writer is inside
  private int waitingReaders;
  private int waitingWriters;
  /** Readers let in ahead of waiting writers by the last endWrite(); they go before the next writer. */
  private int admitted;

  /** Creates the bookkeeping, guarded by {@code monitor}. */
  public ReadersWriters(Monitor monitor) {
    this.monitor = monitor;
    this.okToRead = monitor.newCondition();
    this.okToWrite = monitor.newCondition();
  }

  /** Waits until this thread may read. */
  public void startRead() throws InterruptedException {
    try (Held h = monitor.entered()) {
      waitingReaders++;
      try {
        okToRead.waitFor(() -> !writing && (waitingWriters == 0 || admitted > 0));
      } catch (InterruptedException e) {
        forgoAdmission();
        throw e;
      } finally {
        waitingReaders--;
      }
      if (admitted > 0) {
        admitted--;
      }
      readers++;
    }
  }

  /** Ends a read started by {@link #startRead()}. */
  public void endRead() {
    try (Held h = monitor.entered()) {
      readers--;
      if (readers == 0) {
        okToWrite.signal();
      }
    }
  }

  /** Waits until this thread may write, alone. */
  public void startWrite() throws InterruptedException {
    try (Held h = monitor.entered()) {
      waitingWriters++;
      try {
        okToWrite.waitFor(() -> !writing && readers == 0 && admitted == 0);
      } finally {
        waitingWriters--;
      }
      writing = true;
    }
  }

  /** Ends a write started by {@link #startWrite()}; lets in the readers waiting now, if any. */
  public void endWrite() {
    try (Held h = monitor.entered()) {
      writing = false;
      if (waitingReaders > 0) {
        admitted = waitingReaders;
        okToRead.signalAll(); // HOARE: each reader takes the monitor in turn, right here
      } else {
        okToWrite.signal();
      }
    }
  }

  /** An admitted reader that gives up must not keep a writer waiting for it. */
  private void forgoAdmission() {
    if (admitted > waitingReaders - 1) {
      admitted = Math.max(waitingReaders - 1, 0);
      if (admitted == 0 && readers == 0) {
        okToWrite.signal();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The demonstration

  /** What a run observed. */
  record Report(long reads, long writes, int violations, int maxReadersTogether, long lastValue) {
    boolean ok() {
      return violations == 0 && lastValue == writes;
    }

    @Override
    public String toString() {
      return String.format(
          "%d reads, %d writes, at most %d readers together, %d violations, value %d: %s",
          reads, writes, maxReadersTogether, violations, lastValue, ok() ? "OK" : "VIOLATED");
    }
  }

  /**
   * Runs {@code readerCount} readers and {@code writerCount} writers for {@code millis}; each writer
   * increments a shared (unsynchronized) value, each reader reads it. The checks: a writer never
   * finds another writer or a reader inside, and no increment is lost.
   */
  static Report run(Monitor monitor, int readerCount, int writerCount, long millis)
      throws InterruptedException {
    ReadersWriters rw = new ReadersWriters(monitor);
    AtomicInteger readersInside = new AtomicInteger();
    AtomicInteger writersInside = new AtomicInteger();
    AtomicInteger violations = new AtomicInteger();
    AtomicInteger maxTogether = new AtomicInteger();
    AtomicLong reads = new AtomicLong();
    AtomicLong writes = new AtomicLong();
    long[] value = {0}; // guarded by the protocol under test, not by the monitor
    long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    Workers workers = new Workers();
    for (int i = 0; i < readerCount; i++) {
      workers.start(
          "reader-" + i,
          () -> {
            while (System.nanoTime() - stopAt < 0) {
              rw.startRead();
              try {
                int together = readersInside.incrementAndGet();
                maxTogether.accumulateAndGet(together, Math::max);
                if (writersInside.get() != 0) {
                  violations.incrementAndGet();
                }
                long unused = value[0];
                reads.incrementAndGet();
              } finally {
                readersInside.decrementAndGet();
                rw.endRead();
              }
            }
          });
    }
    for (int i = 0; i < writerCount; i++) {
      workers.start(
          "writer-" + i,
          () -> {
            while (System.nanoTime() - stopAt < 0) {
              rw.startWrite();
              try {
                if (writersInside.incrementAndGet() != 1 || readersInside.get() != 0) {
                  violations.incrementAndGet();
                }
                value[0]++;
                writes.incrementAndGet();
              } finally {
                writersInside.decrementAndGet();
                rw.endWrite();
              }
            }
          });
    }
    workers.joinAll(monitor);
    long last;
    rw.startWrite();
    try {
      last = value[0];
    } finally {
      rw.endWrite();
    }
    return new Report(reads.get(), writes.get(), violations.get(), maxTogether.get(), last);
  }

  /** Runs readers and writers for a moment on a Mesa and a Hoare monitor; prints the checks. */
  public static void main(String[] args) throws InterruptedException {
    for (Monitor m : List.of(Primitives.mesaMonitor(), Primitives.hoareMonitor())) {
      System.out.printf("%-5s 4 readers, 2 writers: %s%n", m.semantics(), run(m, 4, 2, 500));
    }
  }
}
