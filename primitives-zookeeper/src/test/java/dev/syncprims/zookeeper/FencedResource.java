package dev.syncprims.zookeeper;

import java.util.ArrayList;
import java.util.List;

/**
 * A shared resource that checks fencing tokens, as a storage service should: it remembers the
 * highest token it has accepted and refuses a write that carries a lower one, so a holder whose
 * lease ended while it was paused cannot overwrite the work of the next holder.
 */
final class FencedResource {
  private long highestToken = Long.MIN_VALUE;
  private final List<String> log = new ArrayList<>();

  /** Writes {@code value} if {@code token} is not below every token seen; returns whether it did. */
  synchronized boolean write(long token, String value) {
    if (token < highestToken) {
      return false;
    }
    highestToken = token;
    log.add(value);
    return true;
  }

  synchronized List<String> log() {
    return new ArrayList<>(log);
  }
}
