// Properties of the keyspace tables:
//   - Dict under random inserts, deletes, replacements, rehash steps,
//     shrinks and paused resizing holds exactly what a std::unordered_map
//     holds;
//   - SCAN never misses a key that is present for the whole scan, whatever
//     inserts, deletes, growth and shrinking happen between its calls, and
//     returns nothing that was never inserted;
//   - Database keeps its expiry table and byte count exact under random
//     SET / DEL / EXPIRE / PERSIST / upkeep.
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine/keyspace/database.h"
#include "engine/keyspace/dict.h"

namespace cairn {
namespace {

SipKey GenSipKey() {
  SipKey key;
  for (auto& b : key) b = *rc::gen::arbitrary<uint8_t>();
  return key;
}

// Entries owned by a test (a Dict owns none).
class OwnedEntries {
 public:
  ~OwnedEntries() {
    for (auto& [k, e] : live_) Entry::Free(e);
  }
  Entry* Make(const std::string& key, const std::string& value) {
    return Entry::NewInline(key, value, Encoding::kEmbstr, false);
  }
  void Track(const std::string& key, Entry* e) { live_[key] = e; }
  void Drop(const std::string& key) {
    Entry::Free(live_.at(key));
    live_.erase(key);
  }

 private:
  std::map<std::string, Entry*> live_;
};

enum class Op { kInsert, kRemove, kReplace, kRehash, kShrink, kPause, kResume, kFind };

RC_GTEST_PROP(DictProps, BehavesLikeUnorderedMap, ()) {
  const SipKey hash_key = GenSipKey();
  Dict<MainLink> dict(&hash_key);
  OwnedEntries owned;
  std::unordered_map<std::string, std::string> model;
  int paused = 0;
  const int key_space = *rc::gen::inRange(1, 400);
  const size_t op_count = *rc::gen::inRange<size_t>(0, 4000);
  const auto ops = *rc::gen::container<std::vector<Op>>(op_count, rc::gen::weightedElement<Op>({
                                                                      {10, Op::kInsert},
                                                                      {4, Op::kRemove},
                                                                      {3, Op::kReplace},
                                                                      {2, Op::kRehash},
                                                                      {1, Op::kShrink},
                                                                      {1, Op::kPause},
                                                                      {1, Op::kResume},
                                                                      {3, Op::kFind},
                                                                  }));
  for (Op op : ops) {
    const std::string key = "k" + std::to_string(*rc::gen::inRange(0, key_space));
    const bool present = model.count(key) != 0;
    switch (op) {
      case Op::kInsert:
        if (!present) {
          Entry* e = owned.Make(key, "v0");
          dict.Insert(e);
          owned.Track(key, e);
          model[key] = "v0";
        }
        break;
      case Op::kRemove: {
        Entry* e = dict.Remove(key);
        RC_ASSERT((e != nullptr) == present);
        if (e != nullptr) {
          RC_ASSERT(e->key() == key);
          owned.Drop(key);
          model.erase(key);
        }
        break;
      }
      case Op::kReplace: {
        Entry** link = dict.FindLink(key, dict.Hash(key));
        RC_ASSERT((link != nullptr) == present);
        if (link != nullptr) {
          std::string value = "v" + std::to_string(*rc::gen::inRange(1, 1000));
          Entry* repl = owned.Make(key, value);
          Entry* old = *link;
          dict.ReplaceAt(link, repl);
          owned.Drop(key);  // frees old
          (void)old;
          owned.Track(key, repl);
          model[key] = value;
        }
        break;
      }
      case Op::kRehash:
        dict.RehashSteps(*rc::gen::inRange<size_t>(0, 8));
        break;
      case Op::kShrink:
        dict.ShrinkIfSparse();
        break;
      case Op::kPause:
        dict.PauseResize();
        ++paused;
        break;
      case Op::kResume:
        if (paused > 0) {
          dict.ResumeResize();
          --paused;
        }
        break;
      case Op::kFind: {
        Entry* e = dict.Find(key);
        RC_ASSERT((e != nullptr) == present);
        if (e != nullptr) RC_ASSERT(std::string(e->bytes()) == model[key]);
        break;
      }
    }
    RC_ASSERT(dict.size() == model.size());
  }
  std::unordered_map<std::string, std::string> content;
  dict.ForEach([&](Entry* e) {
    RC_ASSERT(content.emplace(std::string(e->key()), std::string(e->bytes())).second);
  });
  RC_ASSERT(content == model);
  for (const auto& [k, v] : model) RC_ASSERT(dict.Find(k) != nullptr);
  while (dict.RehashSteps(64)) {
  }
  RC_ASSERT(dict.size() == model.size());
  RC_TAG(model.size() < 8 ? "small" : model.size() < 64 ? "medium" : "large");
}

RC_GTEST_PROP(DictProps, ScanNeverMissesAKeyPresentForTheWholeScan, ()) {
  const SipKey hash_key = GenSipKey();
  Dict<MainLink> dict(&hash_key);
  OwnedEntries owned;
  std::set<std::string> present;
  std::set<std::string> ever;
  int next = 0;
  auto add = [&] {
    std::string key = "k" + std::to_string(next++);
    Entry* e = owned.Make(key, "");
    dict.Insert(e);
    owned.Track(key, e);
    present.insert(key);
    ever.insert(key);
  };
  const int initial = *rc::gen::inRange(0, 600);
  for (int i = 0; i < initial; ++i) add();
  // Let the table settle at some random point of its rehash.
  dict.RehashSteps(*rc::gen::inRange<size_t>(0, 2000));
  std::set<std::string> whole_scan = present;  // loses keys deleted during the scan
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor = dict.Scan(cursor, [&](Entry* e) { seen.insert(std::string(e->key())); });
    ++calls;
    // Between calls: a burst of changes.
    const int burst = *rc::gen::inRange(0, 4);
    for (int b = 0; b < burst; ++b) {
      switch (*rc::gen::inRange(0, 5)) {
        case 0:  // grow (bounded, or a scan of an ever-growing table never ends)
          if (present.size() < 1500) {
            for (int n = *rc::gen::inRange(1, 80); n > 0; --n) add();
          }
          break;
        case 1: {  // delete a random share of the keys
          const int share = *rc::gen::inRange(1, 100);
          std::vector<std::string> doomed;
          for (const auto& k : present) {
            if (static_cast<int>(std::hash<std::string>{}(k) % 100) < share) doomed.push_back(k);
          }
          for (const auto& k : doomed) {
            Entry* e = dict.Remove(k);
            RC_ASSERT(e != nullptr);
            owned.Drop(k);
            present.erase(k);
            whole_scan.erase(k);
          }
          break;
        }
        case 2:
          dict.ShrinkIfSparse();
          break;
        case 3:
          dict.RehashSteps(*rc::gen::inRange<size_t>(0, 64));
          break;
        case 4:
          break;
      }
    }
    RC_ASSERT(calls < 1000000);
  } while (cursor != 0);
  for (const auto& k : whole_scan) {
    if (!seen.count(k)) RC_FAIL("SCAN missed " + k);
  }
  for (const auto& k : seen) RC_ASSERT(ever.count(k) == 1u);
  RC_TAG(whole_scan.empty() ? "nothing stable" : "stable keys");
}

RC_GTEST_PROP(DatabaseProps, TablesAndBytesStayExact, ()) {
  const SipKey hash_key = GenSipKey();
  Database db(&hash_key);
  std::map<std::string, std::pair<std::string, int64_t>> model;
  const int steps = *rc::gen::inRange(0, 400);
  for (int i = 0; i < steps; ++i) {
    const std::string key = "k" + std::to_string(*rc::gen::inRange(0, 60));
    Database::Slot slot = db.Locate(key);
    RC_ASSERT(static_cast<bool>(slot) == (model.count(key) == 1));
    switch (*rc::gen::inRange(0, 6)) {
      case 0: {
        std::string v = *rc::gen::container<std::string>(rc::gen::character<char>());
        bool block = *rc::gen::arbitrary<bool>();
        Entry* e = Entry::NewInline(key, v, Encoding::kEmbstr, block);
        int64_t deadline = 0;
        if (block && *rc::gen::arbitrary<bool>()) {
          deadline = *rc::gen::inRange<int64_t>(1, 1000000);
          e->set_expire_at(deadline);
        }
        if (slot) {
          db.Replace(slot, e);
        } else {
          db.Add(e, slot);
        }
        model[key] = {v, deadline};
        break;
      }
      case 1:
        if (slot) db.Delete(slot);
        model.erase(key);
        break;
      case 2:
        if (slot) {
          int64_t when = *rc::gen::inRange<int64_t>(1, 1000000);
          db.SetExpire(slot, when);
          model[key].second = when;
        }
        break;
      case 3:
        if (slot) {
          RC_ASSERT(db.Persist(slot) == (model[key].second > 0));
          model[key].second = 0;
        }
        break;
      case 4:
        db.Upkeep(*rc::gen::inRange<size_t>(0, 10));
        break;
      case 5:
        if (slot) {  // RENAME-like: detach and re-add under the same key
          Entry* e = db.Detach(slot);
          db.Add(e);
        }
        break;
    }
  }
  size_t bytes = 0, ttl = 0;
  db.main().ForEach([&](Entry* e) {
    bytes += e->AllocSize();
    auto it = model.find(std::string(e->key()));
    RC_ASSERT(it != model.end());
    RC_ASSERT(e->bytes() == it->second.first);
    RC_ASSERT(e->expire_at() == it->second.second);
    bool in_expires = db.expires().Find(e->key()) == e;
    RC_ASSERT(in_expires == (it->second.second > 0));
    if (in_expires) ++ttl;
  });
  RC_ASSERT(db.size() == model.size());
  RC_ASSERT(db.expires_size() == ttl);
  RC_ASSERT(db.bytes() == bytes + db.main().TableBytes() + db.expires().TableBytes());
}

}  // namespace
}  // namespace cairn
