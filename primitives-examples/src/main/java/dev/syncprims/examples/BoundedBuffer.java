package dev.syncprims.examples;

import dev.syncprims.Held;
import dev.syncprims.Monitor;
import dev.syncprims.impl.Primitives;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded buffer (producers and consumers): a FIFO of fixed capacity where {@link #put} waits
 * while it is full and {@link #take} waits while it is empty. It works with any {@link Monitor};
 * the code is the same under Mesa and Hoare semantics because every wait is a {@link
 * Monitor.Condition#waitFor waitFor} that re-checks its guard.
 *
 * <p>Under HOARE, {@code notEmpty.signal()} in {@code put} hands the monitor to a waiting taker at
 * once: it finds the item the producer just added, whatever other consumers are doing. Under MESA
 * the taker is moved to the entry queue, and another consumer that enters first may take the item;
 * the taker's guard is then false again and it waits once more. Both are correct; HOARE spends a
 * context switch per signal to give that guarantee.
 *
 * <p>Run {@link #main} to see producers and consumers run on both kinds of monitor, with the
 * invariant checks: every item taken exactly once, and each producer's items taken in the order
 * it put them.
 *
 * @param <E> the type of the items
 */
@SuppressWarnings("try") // try (Held h = monitor.entered()) { ... }: h is used only to exit
public final class BoundedBuffer<E> {
  private final Monitor monitor;
  private final Monitor.Condition notFull;
  private final Monitor.Condition notEmpty;

  // Guarded by the monitor. (Error Prone's @GuardedBy knows synchronized and Lock, not Monitor.)
  private final Object[] items;
  private int head;
  private int count;

  /**
   * Creates an empty buffer guarded by {@code monitor}.
   *
   * @throws IllegalArgumentException if {@code capacity < 1}
   */
  public BoundedBuffer(Monitor monitor, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.monitor = monitor;
    this.notFull = monitor.newCondition();
    this.notEmpty = monitor.newCondition();
    this.items = new Object[capacity];
  }

  /** Adds {@code item} at the tail, waiting while the buffer is full. */
  public void put(E item) throws InterruptedException {
    try (Held h = monitor.entered()) {
      notFull.waitFor(this::hasRoom);
      items[(head + count) % items.length] = item;
      count++;
      notEmpty.signal(); // HOARE: a waiting taker runs here and takes this very item
    }
  }

  /** Removes and returns the item at the head, waiting while the buffer is empty. */
  public E take() throws InterruptedException {
    try (Held h = monitor.entered()) {
      notEmpty.waitFor(this::hasItems);
      @SuppressWarnings("unchecked") // only put() stores items, and they are Es
      E item = (E) items[head];
      items[head] = null;
      head = (head + 1) % items.length;
      count--;
      notFull.signal();
      return item;
    }
  }

  /** The number of items in the buffer now. */
  public int size() {
    try (Held h = monitor.entered()) {
      return count;
    }
  }

  private boolean hasRoom() {
    return count < items.length;
  }

  private boolean hasItems() {
    return count > 0;
  }

  // ---------------------------------------------------------------------------------------------
  // The demonstration

  /** An item: who produced it and its position in that producer's sequence. */
  record Item(int producer, int seq) {}

  /** What a run observed. */
  record Report(long produced, long consumed, int duplicates, int outOfOrder, int leftInBuffer) {
    boolean ok() {
      return produced == consumed && duplicates == 0 && outOfOrder == 0 && leftInBuffer == 0;
    }

    @Override
    public String toString() {
      return String.format(
          "produced %d, consumed %d, duplicates %d, out of order %d, left %d: %s",
          produced, consumed, duplicates, outOfOrder, leftInBuffer, ok() ? "OK" : "VIOLATED");
    }
  }

  /**
   * Runs {@code pairs} producers and as many consumers over a buffer of {@code capacity} guarded by
   * {@code monitor}, each producer putting {@code perProducer} items, and checks the invariants:
   * every item consumed exactly once, and each consumer sees each producer's items in increasing
   * order (the buffer is FIFO, so any consumer sees a subsequence of each producer's order).
   */
  static Report run(Monitor monitor, int pairs, int capacity, int perProducer)
      throws InterruptedException {
    BoundedBuffer<Item> buffer = new BoundedBuffer<>(monitor, capacity);
    AtomicIntegerArray[] seen = new AtomicIntegerArray[pairs];
    for (int p = 0; p < pairs; p++) {
      seen[p] = new AtomicIntegerArray(perProducer);
    }
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    AtomicLong consumed = new AtomicLong();
    Workers workers = new Workers();
    for (int p = 0; p < pairs; p++) {
      int id = p;
      workers.start(
          "producer-" + p,
          () -> {
            for (int i = 0; i < perProducer; i++) {
              buffer.put(new Item(id, i));
            }
          });
      workers.start(
          "consumer-" + p,
          () -> {
            int[] last = new int[pairs];
            Arrays.fill(last, -1);
            for (int i = 0; i < perProducer; i++) {
              Item item = buffer.take();
              if (item.seq() <= last[item.producer()]) {
                outOfOrder.incrementAndGet();
              }
              last[item.producer()] = item.seq();
              if (seen[item.producer()].getAndSet(item.seq(), 1) != 0) {
                duplicates.incrementAndGet();
              }
              consumed.incrementAndGet();
            }
          });
    }
    workers.joinAll(monitor);
    return new Report(
        (long) pairs * perProducer,
        consumed.get(),
        duplicates.get(),
        outOfOrder.get(),
        buffer.size());
  }

  /** Runs producers and consumers for a moment on a Mesa and a Hoare monitor; prints the checks. */
  public static void main(String[] args) throws InterruptedException {
    for (int pairs : new int[] {1, 2, 4}) {
      for (Monitor m : List.of(Primitives.mesaMonitor(), Primitives.hoareMonitor())) {
        long t0 = System.nanoTime();
        Report r = run(m, pairs, 8, 20_000);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("%-5s %d pair(s): %s (%d ms)%n", m.semantics(), pairs, r, ms);
      }
    }
  }
}
