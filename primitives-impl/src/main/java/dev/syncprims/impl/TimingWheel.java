package dev.syncprims.impl;

import org.jspecify.annotations.Nullable;

/**
 * A hierarchical timing wheel of deadlines counted in ticks: the data structure of {@link
 * WheelTimer}'s worker, on its own. Linking and unlinking a node cost O(1); far-off nodes cost
 * nothing until they come near. <b>Not thread-safe</b>: one thread (the timer's worker) owns a
 * wheel and everything linked in it.
 *
 * <p>Time is the tick number {@code current}, which only goes forward through {@link
 * #advance}. A node is due at tick {@code tickOf(deadline)}, the deadline rounded up to a tick
 * boundary, so that it is never reported early. {@link #advance} reports every node due at or
 * before the tick it advances to, in tick order.
 */
final class TimingWheel<N extends TimingWheel.Node> {

  /* Implementation notes
   *
   * Levels (Varghese & Lauck, "Hashed and Hierarchical Timing Wheels", SOSP 1987, scheme 7).
   *   Level 0 has 2^b0 buckets of one tick each (b0 = log2 of the wheel size chosen by the
   *   user). Each level k >= 1 has 64 buckets of 2^shift(k) ticks, shift(k) = b0 + 6(k - 1),
   *   so level k spans 2^(shift(k) + 6) ticks; there are as many levels as it takes to span
   *   2^63 ticks. A node due at tick d, linked when the wheel is at tick c <= d, goes to the
   *   lowest level whose span exceeds d - c: level 0, bucket d mod 2^b0; or level k, bucket
   *   (d >> shift(k)) mod 64.
   * Cascading. The bucket of level k that holds d is visited at tick d rounded down to a
   *   multiple of 2^shift(k), which is after c and not after d (d - c >= 2^shift(k) when the
   *   node is at level k >= 1) and within one turn of level k; there its nodes are re-linked
   *   from the current tick, so they move down at least one level. A node therefore moves at
   *   most (levels) times in its life and is reported at its own tick exactly. A level-0 node
   *   is within one turn of level 0, so its bucket's next visit is its tick.
   * Jumps. advance(t) does not walk every tick: it goes from event to event, an event being
   *   the next occupied bucket of level 0 or the next cascade of an occupied bucket of a
   *   higher level, found from one occupancy bitmap per level (a bit per bucket) without
   *   visiting empty buckets. A wheel whose nodes are all an hour away has its next event tens
   *   of minutes away: the worker sleeps until then.
   * Buckets are circular doubly-linked lists with a sentinel (Bucket, which knows its level
   *   and index for the bitmap); "linked" is next != null.
   * Nodes due beyond 2^63 ticks from now (saturated deadlines) sit at the top level and are
   *   re-linked there once per turn of it, which never comes in practice.
   */

  /** A node of a bucket's list: what the wheel needs of a timer's entry. */
  static class Node {
    @Nullable Node prev;
    @Nullable Node next;
    /**
     * The deadline, on the System.nanoTime() scale; read by the wheel when it links the node.
     * (The timer reads and writes it through its own accessors too.)
     */
    long deadline;

    /** Whether the node is linked in a bucket of a wheel. */
    final boolean isLinked() {
      return next != null;
    }
  }

  /** Called by {@link #advance} for each node that is due, after it was unlinked. */
  interface Expiry<N> {
    void expired(N node, long tick);
  }

  /** The sentinel of a bucket's list. */
  private static final class Bucket extends Node {
    final int level;
    final int index;

    Bucket(int level, int index) {
      this.level = level;
      this.index = index;
      this.prev = this;
      this.next = this;
    }
  }

  private static final int UPPER_BITS = 6;
  private static final int UPPER_SIZE = 1 << UPPER_BITS;

  private final long startNanos;
  private final long tickNanos;
  /** log2 of the number of level-0 buckets. */
  private final int bits0;
  private final int mask0;
  private final Bucket[] level0;
  private final long[] occupied0;
  /** Levels 1..levels, at index level - 1. */
  private final Bucket[][] upper;
  private final long[] occupiedUpper;

  /** The last tick processed: every node due at or before it has been reported. */
  private long current;
  private int count;

  /**
   * A wheel whose tick 0 is at {@code startNanos}, with ticks of {@code tickNanos} and {@code
   * wheelSize} (a power of two) one-tick buckets at level 0.
   */
  TimingWheel(long startNanos, long tickNanos, int wheelSize) {
    if (tickNanos <= 0 || wheelSize < 1 || Integer.bitCount(wheelSize) != 1) {
      throw new IllegalArgumentException(
          "tickNanos must be positive and wheelSize a power of two: " + tickNanos + ", "
              + wheelSize);
    }
    this.startNanos = startNanos;
    this.tickNanos = tickNanos;
    this.bits0 = Integer.numberOfTrailingZeros(wheelSize);
    this.mask0 = wheelSize - 1;
    this.level0 = new Bucket[wheelSize];
    for (int i = 0; i < wheelSize; i++) {
      level0[i] = new Bucket(0, i);
    }
    this.occupied0 = new long[(wheelSize + 63) >>> 6];
    int levels = (63 - bits0 + UPPER_BITS - 1) / UPPER_BITS;
    this.upper = new Bucket[levels][UPPER_SIZE];
    for (int k = 0; k < levels; k++) {
      for (int i = 0; i < UPPER_SIZE; i++) {
        upper[k][i] = new Bucket(k + 1, i);
      }
    }
    this.occupiedUpper = new long[levels];
  }

  /** The number of level-0 buckets. */
  int wheelSize() {
    return level0.length;
  }

  /** The number of levels, level 0 included. */
  int levels() {
    return upper.length + 1;
  }

  /** The last tick processed. */
  long currentTick() {
    return current;
  }

  /** The number of nodes linked. */
  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The tick at which a deadline is due: the deadline rounded UP to a tick boundary. */
  long tickOf(long deadline) {
    return tickOf(startNanos, tickNanos, deadline);
  }

  /**
   * The number of the first tick boundary, counted from {@code start}, at or after {@code
   * deadline}; correct when the values wrap around, for deadlines at or after {@code start}.
   */
  static long tickOf(long start, long tickNanos, long deadline) {
    long offset = deadline - start;
    long ticks = offset / tickNanos;
    return offset % tickNanos == 0 ? ticks : ticks + 1;
  }

  /** The tick that {@code now} is in, rounded down: the last tick boundary at or before it. */
  long tickAt(long now) {
    return (now - startNanos) / tickNanos;
  }

  /**
   * Links {@code node} in the bucket for its deadline. A node due at or before the current
   * tick (which has been processed, or is being expired) is linked for the next tick.
   */
  void link(N node) {
    linkAt(node, Math.max(tickOf(node.deadline), current + 1));
  }

  private void linkAt(Node node, long tick) {
    long delta = tick - current;
    Bucket b;
    if (delta < level0.length) {
      b = level0[(int) (tick & mask0)];
      occupied0[b.index >>> 6] |= 1L << b.index;
    } else {
      int bits = 64 - Long.numberOfLeadingZeros(delta);
      int level = Math.min((bits - bits0 + UPPER_BITS - 1) / UPPER_BITS, upper.length);
      int index = (int) ((tick >>> shift(level)) & (UPPER_SIZE - 1));
      b = upper[level - 1][index];
      occupiedUpper[level - 1] |= 1L << index;
    }
    Node last = b.prev;
    node.prev = last;
    node.next = b;
    if (last == null) {
      throw new AssertionError("a bucket's list is always circular");
    }
    last.next = node;
    b.prev = node;
    count++;
  }

  /** Unlinks a linked node. */
  void unlink(N node) {
    unlinkNode(node);
  }

  @SuppressWarnings("ReferenceEquality") // identity: the bucket's sentinel node
  private void unlinkNode(Node node) {
    Node before = node.prev;
    Node after = node.next;
    if (before == null || after == null) {
      throw new AssertionError("unlink of a node that is not linked");
    }
    before.next = after;
    after.prev = before;
    node.prev = null;
    node.next = null;
    count--;
    if (before == after) { // only the sentinel is left
      Bucket b = (Bucket) before;
      if (b.level == 0) {
        occupied0[b.index >>> 6] &= ~(1L << b.index);
      } else {
        occupiedUpper[b.level - 1] &= ~(1L << b.index);
      }
    }
  }

  /**
   * Moves the wheel forward to tick {@code tick} (nothing happens if it is not ahead), reporting
   * to {@code expiry} every node due at or before it, in tick order; each is unlinked before it
   * is reported. {@code expiry} may link nodes (the node it is given included: it is then due
   * at a later tick), but not unlink any.
   */
  void advance(long tick, Expiry<N> expiry) {
    while (count > 0) {
      long next = nextEventTick();
      if (next > tick) {
        break;
      }
      current = next;
      cascade(next);
      expireLevel0(next, expiry);
    }
    if (tick > current) {
      current = tick;
    }
  }

  /**
   * The next tick after the current one at which something happens (a level-0 bucket to
   * expire, or a bucket of a higher level to cascade), or {@code Long.MAX_VALUE} if the wheel is
   * empty.
   */
  long nextEventTick() {
    long best = Long.MAX_VALUE;
    // Level 0: the first occupied bucket after the current tick, within one turn.
    long base = current + 1;
    int start = (int) (base & mask0);
    int word = start >>> 6;
    long bits = occupied0[word] & (-1L << (start & 63));
    for (int i = 0; i <= occupied0.length; i++) {
      if (bits != 0) {
        int index = (word << 6) + Long.numberOfTrailingZeros(bits);
        best = base + ((index - start) & mask0);
        break;
      }
      word = word + 1 == occupied0.length ? 0 : word + 1;
      bits = occupied0[word];
    }
    // Higher levels: the next visit of an occupied bucket, within one turn of its level.
    for (int k = 0; k < upper.length; k++) {
      long occ = occupiedUpper[k];
      if (occ == 0) {
        continue;
      }
      int shift = shift(k + 1);
      long slot = current >>> shift;
      int from = (int) ((slot + 1) & (UPPER_SIZE - 1));
      int dist = Long.numberOfTrailingZeros(Long.rotateRight(occ, from)) + 1;
      long visit = slot + dist;
      long at = visit > (Long.MAX_VALUE >>> shift) ? Long.MAX_VALUE : visit << shift;
      if (at < best) {
        best = at;
      }
    }
    return best;
  }

  /** At tick {@code t}: re-links the nodes of every higher-level bucket visited at t. */
  private void cascade(long t) {
    for (int k = upper.length; k >= 1; k--) { // top down: a node may fall through several
      int shift = shift(k);
      if ((t & ((1L << shift) - 1)) != 0) {
        continue;
      }
      int index = (int) ((t >>> shift) & (UPPER_SIZE - 1));
      if ((occupiedUpper[k - 1] & (1L << index)) == 0) {
        continue;
      }
      Bucket b = upper[k - 1][index];
      // Detach the whole list first: a node may go back into this very bucket (a node due
      // beyond the top level's span).
      Node n = b.next;
      b.prev = b;
      b.next = b;
      occupiedUpper[k - 1] &= ~(1L << index);
      while (n != b) {
        if (n == null) {
          throw new AssertionError("a bucket's list is always circular");
        }
        Node following = n.next;
        n.prev = null;
        n.next = null;
        count--;
        linkAt(n, Math.max(tickOf(n.deadline), t));
        n = following;
      }
    }
  }

  @SuppressWarnings("unchecked") // only N are linked
  private void expireLevel0(long t, Expiry<N> expiry) {
    Bucket b = level0[(int) (t & mask0)];
    // Nodes linked by the callback land in the buckets of later ticks (link()), so this ends.
    while (b.next != b) {
      Node n = b.next;
      if (n == null) {
        throw new AssertionError("a bucket's list is always circular");
      }
      unlinkNode(n);
      expiry.expired((N) n, t);
    }
  }

  /** Unlinks every node and reports it to {@code each}. */
  @SuppressWarnings("unchecked") // only N are linked
  void clear(Expiry<N> each) {
    for (Bucket b : level0) {
      clearBucket(b, each);
    }
    for (Bucket[] level : upper) {
      for (Bucket b : level) {
        clearBucket(b, each);
      }
    }
  }

  @SuppressWarnings("unchecked") // only N are linked
  private void clearBucket(Bucket b, Expiry<N> each) {
    while (b.next != b) {
      Node n = b.next;
      if (n == null) {
        throw new AssertionError("a bucket's list is always circular");
      }
      unlinkNode(n);
      each.expired((N) n, current);
    }
  }

  private int shift(int level) {
    return bits0 + UPPER_BITS * (level - 1);
  }
}
