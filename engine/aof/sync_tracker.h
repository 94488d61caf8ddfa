// SyncTracker: which log positions are durable, from sync completions that
// may arrive in any order.
//
// The log has one position across its incr files (bytes written since the
// log opened). A file sync requested after writing up to position P makes P
// durable when it completes -- but only if every barrier registered before it
// (directory syncs after a create or rename, a new manifest, the previous incr
// file's sync) has completed too: durable advances only over a contiguous
// prefix of completed requests. A failed request is reported to the owner and
// never counted as done.
#pragma once

#include <cstdint>
#include <map>

namespace cairn::aof {

class SyncTracker {
 public:
  // A request covering the log up to position (barriers: the current
  // written position). Returns its token.
  uint64_t Add(uint64_t position) {
    uint64_t token = next_token_++;
    inflight_[token] = Pending{position, false};
    return token;
  }
  // Marks token done; advances durable over the completed prefix. False if
  // the token is unknown (not ours).
  bool Complete(uint64_t token) {
    auto it = inflight_.find(token);
    if (it == inflight_.end()) return false;
    it->second.done = true;
    while (!inflight_.empty() && inflight_.begin()->second.done) {
      if (inflight_.begin()->second.position > durable_)
        durable_ = inflight_.begin()->second.position;
      inflight_.erase(inflight_.begin());
    }
    return true;
  }
  bool Owns(uint64_t token) const { return inflight_.count(token) != 0; }
  uint64_t durable() const { return durable_; }
  // Whether everything up to position is durable: within durable() and no
  // request at or below it still open (a barrier at position 0 -- a fresh
  // base and its manifest -- keeps even position 0 from counting).
  bool Covers(uint64_t position) const {
    return position <= durable_ &&
           (inflight_.empty() || inflight_.begin()->second.position > position);
  }
  size_t inflight() const { return inflight_.size(); }
  // Starts the token space at base (so several trackers never collide).
  void set_token_base(uint64_t base) { next_token_ = base; }
  void set_durable(uint64_t d) { durable_ = d; }

 private:
  struct Pending {
    uint64_t position;
    bool done;
  };
  std::map<uint64_t, Pending> inflight_;  // by token: request order
  uint64_t next_token_ = 1;
  uint64_t durable_ = 0;
};

}  // namespace cairn::aof
