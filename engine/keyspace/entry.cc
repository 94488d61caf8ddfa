#include "engine/keyspace/entry.h"

#include <cstdlib>
#include <new>

#include "engine/util/strconv.h"

namespace cairn {

HeapString* HeapString::New(std::string_view init, size_t cap) {
  if (cap < init.size()) cap = init.size();
  auto* s = static_cast<HeapString*>(std::malloc(sizeof(HeapString) + cap));
  if (s == nullptr) throw std::bad_alloc();
  s->len = init.size();
  s->cap = cap;
  if (!init.empty()) std::memcpy(s->data(), init.data(), init.size());
  return s;
}

HeapString* HeapString::Grow(HeapString* s, size_t min_cap) {
  if (s->cap >= min_cap) return s;
  constexpr size_t kMiB = 1024 * 1024;
  size_t cap = min_cap < kMiB ? min_cap * 2 : min_cap + kMiB;
  auto* n = static_cast<HeapString*>(std::realloc(s, sizeof(HeapString) + cap));
  if (n == nullptr) throw std::bad_alloc();
  n->cap = cap;
  return n;
}

void HeapString::Free(HeapString* s) { std::free(s); }

Entry* Entry::Allocate(std::string_view key, size_t inline_len, bool with_expire, ObjType type,
                       Encoding enc, Storage storage) {
  size_t size = sizeof(Entry) + (with_expire ? sizeof(ExpiryBlock) : 0) + key.size() + inline_len;
  void* mem = std::malloc(size);
  if (mem == nullptr) throw std::bad_alloc();
  auto* e = static_cast<Entry*>(mem);
  e->next_ = nullptr;
  e->value_ = 0;
  e->key_word_ = static_cast<uint32_t>(key.size()) | (static_cast<uint32_t>(storage) << 30);
  e->meta_ = (static_cast<uint32_t>(type) << 24) | (static_cast<uint32_t>(enc) << 27) |
             (with_expire ? kExpireBit : 0);
  if (with_expire) *e->expiry() = ExpiryBlock{0, nullptr};
  if (!key.empty()) std::memcpy(e->key_ptr(), key.data(), key.size());
  return e;
}

Entry* Entry::NewInt(std::string_view key, int64_t v, bool shared, bool with_expire) {
  Entry* e = Allocate(key, 0, with_expire, ObjType::kString, Encoding::kInt, Storage::kInt);
  e->value_ = static_cast<uint64_t>(v);
  if (shared) e->meta_ |= kSharedBit;
  return e;
}

Entry* Entry::NewInline(std::string_view key, std::string_view value, Encoding enc,
                        bool with_expire) {
  Entry* e = Allocate(key, value.size(), with_expire, ObjType::kString, enc, Storage::kInline);
  e->value_ = value.size();
  if (!value.empty()) std::memcpy(e->key_ptr() + key.size(), value.data(), value.size());
  return e;
}

Entry* Entry::NewHeap(std::string_view key, HeapString* value, bool with_expire) {
  Entry* e = Allocate(key, 0, with_expire, ObjType::kString, Encoding::kRaw, Storage::kHeap);
  e->set_heap(value);
  return e;
}

void Entry::Free(Entry* e) {
  if (e == nullptr) return;
  if (e->storage() == Storage::kHeap) HeapString::Free(e->heap());
  std::free(e);
}

Entry* Entry::CopyAs(const Entry* e, std::string_view key, bool with_expire) {
  Entry* n = nullptr;
  switch (e->storage()) {
    case Storage::kInt:
      n = NewInt(key, e->int_value(), e->shared_int(), with_expire);
      break;
    case Storage::kInline:
      n = NewInline(key, e->bytes(), e->encoding(), with_expire);
      break;
    case Storage::kHeap: {
      const HeapString* h = e->heap();
      n = NewHeap(key, HeapString::New(std::string_view(h->data(), h->len), h->cap), with_expire);
      break;
    }
  }
  n->meta_ = (n->meta_ & ~(kLruMax | kSharedBit)) | (e->meta_ & (kLruMax | kSharedBit));
  if (with_expire && e->has_expire_block()) n->set_expire_at(e->expire_at());
  return n;
}

Entry* Entry::CloneWithExpire(const Entry* e, bool with_expire) {
  return CopyAs(e, e->key(), with_expire);
}

Entry* Entry::Duplicate(const Entry* e, std::string_view key, bool with_expire) {
  Entry* n = CopyAs(e, key, with_expire);
  n->meta_ &= ~kSharedBit;
  return n;
}

Entry* Entry::Rekey(Entry* e, std::string_view key, bool with_expire) {
  Entry* n = nullptr;
  if (e->storage() == Storage::kHeap) {
    n = NewHeap(key, e->heap(), with_expire);  // the string changes owner
    n->meta_ = (n->meta_ & ~(kLruMax | kSharedBit)) | (e->meta_ & (kLruMax | kSharedBit));
    if (with_expire && e->has_expire_block()) n->set_expire_at(e->expire_at());
    std::free(e);  // the shell only: its heap string now belongs to n
    return n;
  }
  n = CopyAs(e, key, with_expire);
  Free(e);
  return n;
}

std::string_view Entry::StringValue(char* buf) const {
  if (is_int()) return {buf, FormatInt64(int_value(), buf)};
  return bytes();
}

size_t Entry::StringLength() const {
  if (is_int()) {
    char buf[kInt64Chars];
    return FormatInt64(int_value(), buf);
  }
  return bytes().size();
}

size_t Entry::AllocSize() const {
  size_t n = header_size() + key_len();
  switch (storage()) {
    case Storage::kInt:
      break;
    case Storage::kInline:
      n += static_cast<size_t>(value_);
      break;
    case Storage::kHeap:
      n += heap()->AllocSize();
      break;
  }
  return n;
}

}  // namespace cairn
