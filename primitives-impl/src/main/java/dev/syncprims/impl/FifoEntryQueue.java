package dev.syncprims.impl;

/**
 * The {@link dev.syncprims.Fairness#FIFO} policy of an {@link EntryQueue}: strict arrival order.
 * Only the head may try the state word, an arriving thread does not take it while anybody is
 * queued, and a release with waiters hands the resource to the head directly. Internal; not part of
 * the API.
 */
final class FifoEntryQueue extends EntryQueue {

  FifoEntryQueue(
      Acquirer acquirer, Granter granter, Object blocker, boolean shared, int maxArg) {
    super(acquirer, granter, blocker, shared, maxArg);
  }

  @Override
  boolean mayTry(WaitNode node) {
    return first() == node;
  }

  @Override
  boolean arrivalMayTake() {
    return !hasWaiters();
  }

  @Override
  boolean handOffDue(int units, int available) {
    return hasWaiters();
  }

  @Override
  long parkDeadline(WaitNode node, long deadline) {
    return deadline;
  }

  @Override
  boolean askIfDue(WaitNode node) {
    return false;
  }

  @Override
  void servedByItself(WaitNode node) {}

  @Override
  void handedOff() {}

  @Override
  boolean signalsAfterHandOff() {
    return false;
  }
}
