package dev.syncprims.bench;

/**
 * Spacers for allocating the locks under test apart from each other: an array as large as two
 * cache lines, allocated between two locks, keeps them (and whatever is allocated next) off each
 * other's cache lines while objects stay where the allocator put them. A best effort: a garbage
 * collection may move objects, though a benchmark that allocates nothing in its loop rarely
 * triggers one.
 */
final class Spacer {
  private Spacer() {}

  /** A new spacer of 128 bytes of payload; keep it reachable for as long as the locks. */
  static long[] allocate() {
    return new long[16];
  }
}
