// libFuzzer target: Dict (engine/keyspace/dict.h) against a model, a
// std::unordered_map from key to the entry the dict should hold. The input
// is a script of inserts, removals, in-place replacements, lookups, rehash
// steps, shrinks, resize pauses, SCAN steps and random picks over a small key
// space (so operations collide), with the SipHash key itself taken from the
// input. After every operation the dict's size equals the model's; every
// few operations every model key is found (Peek and Find) and a walk sees
// each entry exactly once. A SCAN running across the script must return,
// by the time its cursor comes back to 0, every key that was present for
// the whole scan. Any disagreement aborts naming the operation.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "engine/keyspace/dict.h"
#include "fuzz/fuzz_input.h"

namespace {

using cairn::Dict;
using cairn::Entry;
using cairn::MainLink;
using cairn::fuzz::FuzzInput;

[[noreturn]] void Fail(const std::string& what, int step) {
  std::fprintf(stderr, "dict_fuzz: step %d: %s\n", step, what.c_str());
  std::abort();
}

std::string Key(FuzzInput& in) {
  if (in.Range(0, 15) == 0) return in.String(24);  // an arbitrary key, now and then
  return "key:" + std::to_string(in.Range(0, 199));
}

Entry* NewEntry(const std::string& key, uint64_t tag) {
  return Entry::NewInline(key, "v" + std::to_string(tag), cairn::Encoding::kEmbstr, false);
}

struct ScanState {
  bool running = false;
  uint64_t cursor = 0;
  std::unordered_set<std::string> must_see;  // present at the start and not removed since
  std::unordered_set<std::string> seen;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  cairn::SipKey hash_key{};
  for (uint8_t& b : hash_key) b = in.Byte();
  std::unordered_map<std::string, Entry*> model;
  ScanState scan;
  int paused = 0;
  uint64_t tag = 0;
  {
    Dict<MainLink> d(&hash_key);
    for (int step = 0; step < 2000 && !in.empty(); ++step) {
      switch (in.Range(0, 10)) {
        case 0:
        case 1:
        case 2: {  // insert a new key
          std::string k = Key(in);
          if (model.count(k)) break;
          Entry* e = NewEntry(k, ++tag);
          d.Insert(e);
          model[k] = e;
          break;
        }
        case 3:
        case 4: {  // remove
          std::string k = Key(in);
          Entry* e = d.Remove(k);
          auto it = model.find(k);
          if (it == model.end()) {
            if (e != nullptr) Fail("removed a key it should not hold: " + k, step);
            break;
          }
          if (e != it->second) Fail("removed the wrong entry for " + k, step);
          Entry::Free(e);
          model.erase(it);
          scan.must_see.erase(k);
          break;
        }
        case 5: {  // replace in place
          std::string k = Key(in);
          auto it = model.find(k);
          Entry** link = d.FindLink(k, d.Hash(k));
          if (it == model.end()) {
            if (link != nullptr) Fail("found a link for an absent key " + k, step);
            break;
          }
          if (link == nullptr || *link != it->second) Fail("wrong link for " + k, step);
          Entry* repl = NewEntry(k, ++tag);
          d.ReplaceAt(link, repl);
          Entry::Free(it->second);
          it->second = repl;
          break;
        }
        case 6: {  // lookup
          std::string k = Key(in);
          auto it = model.find(k);
          Entry* want = it == model.end() ? nullptr : it->second;
          if (d.Peek(k) != want) Fail("Peek disagrees for " + k, step);
          if (d.Find(k) != want) Fail("Find disagrees for " + k, step);
          break;
        }
        case 7: {  // timer work: rehash steps, a shrink, pausing
          switch (in.Range(0, 3)) {
            case 0:
              d.RehashSteps(in.Range(1, 64));
              break;
            case 1:
              d.ShrinkIfSparse();
              break;
            case 2:
              if (paused < 3) {
                d.PauseResize();
                ++paused;
              }
              break;
            default:
              if (paused > 0) {
                d.ResumeResize();
                --paused;
              }
              break;
          }
          break;
        }
        case 8:
        case 9: {  // a SCAN step
          if (!scan.running) {
            scan = ScanState{};
            scan.running = true;
            for (const auto& [k, e] : model) scan.must_see.insert(k);
          }
          scan.cursor = d.Scan(scan.cursor, [&](Entry* e) {
            std::string k(e->key());
            auto it = model.find(k);
            if (it == model.end() || it->second != e) Fail("SCAN returned a stranger " + k, step);
            scan.seen.insert(k);
          });
          if (scan.cursor == 0) {
            for (const std::string& k : scan.must_see) {
              if (!scan.seen.count(k)) Fail("SCAN missed " + k, step);
            }
            scan.running = false;
          }
          break;
        }
        default: {  // random pick
          uint64_t draws = in.Range(0, UINT64_MAX);
          Entry* e = d.RandomEntry([&] {
            draws = draws * 6364136223846793005ULL + 1442695040888963407ULL;
            return draws >> 11;
          });
          if (model.empty()) {
            if (e != nullptr) Fail("random entry from an empty dict", step);
            break;
          }
          if (e == nullptr) Fail("no random entry from a non-empty dict", step);
          auto it = model.find(std::string(e->key()));
          if (it == model.end() || it->second != e) Fail("random entry is a stranger", step);
          break;
        }
      }
      if (d.size() != model.size()) {
        Fail("size " + std::to_string(d.size()) + ", model " + std::to_string(model.size()), step);
      }
      if (step % 16 == 0) {
        size_t walked = 0;
        d.ForEach([&](Entry* e) {
          auto it = model.find(std::string(e->key()));
          if (it == model.end() || it->second != e) Fail("walk met a stranger", step);
          ++walked;
        });
        if (walked != model.size()) Fail("walk count differs", step);
        for (const auto& [k, e] : model) {
          if (d.Peek(k) != e) Fail("lost " + k, step);
        }
      }
    }
    while (paused-- > 0) d.ResumeResize();
  }
  for (auto& [k, e] : model) Entry::Free(e);
  return 0;
}
