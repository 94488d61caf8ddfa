// Entry: one allocation per key, its layout, encodings, the optional expiry
// block, the LRU bits, cloning, and heap strings' growth policy.
#include "engine/keyspace/entry.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "engine/util/strconv.h"

namespace cairn {
namespace {

struct EntryDeleter {
  void operator()(Entry* e) const { Entry::Free(e); }
};
using EntryPtr = std::unique_ptr<Entry, EntryDeleter>;

TEST(Entry, IntEntry) {
  EntryPtr e(Entry::NewInt("counter", -123, false, false));
  EXPECT_EQ(e->key(), "counter");
  EXPECT_EQ(e->key_len(), 7u);
  EXPECT_EQ(e->type(), ObjType::kString);
  EXPECT_EQ(e->encoding(), Encoding::kInt);
  EXPECT_EQ(e->storage(), Storage::kInt);
  EXPECT_TRUE(e->is_int());
  EXPECT_EQ(e->int_value(), -123);
  EXPECT_FALSE(e->shared_int());
  EXPECT_FALSE(e->has_expire_block());
  EXPECT_EQ(e->expire_at(), 0);
  char buf[kInt64Chars];
  EXPECT_EQ(e->StringValue(buf), "-123");
  EXPECT_EQ(e->StringLength(), 4u);
  EXPECT_EQ(e->AllocSize(), 24u + 7u);
}

TEST(Entry, IntExtremesAndShared) {
  EntryPtr lo(Entry::NewInt("k", INT64_MIN, false, false));
  EntryPtr hi(Entry::NewInt("k", INT64_MAX, true, false));
  char buf[kInt64Chars];
  EXPECT_EQ(lo->StringValue(buf), "-9223372036854775808");
  EXPECT_EQ(lo->StringLength(), 20u);
  EXPECT_EQ(hi->StringValue(buf), "9223372036854775807");
  EXPECT_TRUE(hi->shared_int());
}

TEST(Entry, InlineEntry) {
  const std::string value("v\0\r\nalue", 8);
  EntryPtr e(Entry::NewInline("key", value, Encoding::kEmbstr, false));
  EXPECT_EQ(e->storage(), Storage::kInline);
  EXPECT_EQ(e->encoding(), Encoding::kEmbstr);
  EXPECT_FALSE(e->is_int());
  EXPECT_EQ(e->bytes(), value);
  char buf[kInt64Chars];
  EXPECT_EQ(e->StringValue(buf), value);
  EXPECT_EQ(e->StringLength(), 8u);
  // 16-byte key and 16-byte value: one 56-byte allocation, as entry.h says.
  EntryPtr doc(
      Entry::NewInline(std::string(16, 'k'), std::string(16, 'v'), Encoding::kEmbstr, false));
  EXPECT_EQ(doc->AllocSize(), 56u);
}

TEST(Entry, EmptyKeyAndValue) {
  EntryPtr e(Entry::NewInline("", "", Encoding::kEmbstr, true));
  EXPECT_EQ(e->key(), "");
  EXPECT_EQ(e->bytes(), "");
  EXPECT_EQ(e->AllocSize(), 24u + 16u);
}

TEST(Entry, RawEncodingKeepsInlineStorage) {
  std::string big(1000, 'x');
  EntryPtr e(Entry::NewInline("k", big, Encoding::kRaw, false));
  EXPECT_EQ(e->encoding(), Encoding::kRaw);
  EXPECT_EQ(e->storage(), Storage::kInline);
  EXPECT_EQ(e->bytes(), big);
  EXPECT_EQ(e->AllocSize(), 24u + 1u + 1000u);
}

TEST(Entry, ExpiryBlock) {
  EntryPtr e(Entry::NewInline("key", "value", Encoding::kEmbstr, true));
  EXPECT_TRUE(e->has_expire_block());
  EXPECT_EQ(e->expire_at(), 0);
  EXPECT_EQ(e->expire_next(), nullptr);
  e->set_expire_at(1'700'000'000'123);
  EXPECT_EQ(e->expire_at(), 1'700'000'000'123);
  // The block sits between header and key: the key and value are intact.
  EXPECT_EQ(e->key(), "key");
  EXPECT_EQ(e->bytes(), "value");
  EXPECT_EQ(e->AllocSize(), 24u + 16u + 3u + 5u);
}

TEST(Entry, LruBitsDoNotDisturbOtherFields) {
  EntryPtr e(Entry::NewInt("k", 5, true, true));
  e->set_lru(0xFFFFFFFFu);
  EXPECT_EQ(e->lru(), Entry::kLruMax);
  EXPECT_EQ(e->type(), ObjType::kString);
  EXPECT_EQ(e->encoding(), Encoding::kInt);
  EXPECT_TRUE(e->shared_int());
  EXPECT_TRUE(e->has_expire_block());
  e->set_lru(0);
  EXPECT_EQ(e->lru(), 0u);
  EXPECT_TRUE(e->shared_int());
  EXPECT_TRUE(e->has_expire_block());
  e->set_lru(12345);
  EXPECT_EQ(e->lru(), 12345u);
}

TEST(Entry, HeapEntry) {
  HeapString* h = HeapString::New("abc", 10);
  EXPECT_EQ(h->len, 3u);
  EXPECT_EQ(h->cap, 10u);
  EntryPtr e(Entry::NewHeap("k", h, false));
  EXPECT_EQ(e->storage(), Storage::kHeap);
  EXPECT_EQ(e->encoding(), Encoding::kRaw);
  EXPECT_EQ(e->bytes(), "abc");
  EXPECT_EQ(e->AllocSize(), 24u + 1u + sizeof(HeapString) + 10u);
  // Growing in place: the entry keeps its address, the string may move.
  HeapString* grown = HeapString::Grow(e->heap(), 100);
  e->set_heap(grown);
  std::memcpy(grown->data() + grown->len, "def", 3);
  grown->len += 3;
  EXPECT_EQ(e->bytes(), "abcdef");
  EXPECT_EQ(e->AllocSize(), 24u + 1u + sizeof(HeapString) + 200u);
}

TEST(HeapString, GrowthPolicy) {
  HeapString* s = HeapString::New("", 0);
  EXPECT_EQ(s->cap, 0u);
  s = HeapString::Grow(s, 5);
  EXPECT_EQ(s->cap, 10u);  // doubled below 1 MiB
  s = HeapString::Grow(s, 8);
  EXPECT_EQ(s->cap, 10u);  // enough room: unchanged
  s = HeapString::Grow(s, 1024 * 1024 - 1);
  EXPECT_EQ(s->cap, 2u * 1024 * 1024 - 2);  // still doubled just below 1 MiB
  s = HeapString::Grow(s, 3u * 1024 * 1024);
  EXPECT_EQ(s->cap, 4u * 1024 * 1024);  // +1 MiB at and above 1 MiB
  HeapString::Free(s);
  HeapString* small = HeapString::New("hello", 2);
  EXPECT_EQ(small->cap, 5u);  // capacity never below the content
  EXPECT_EQ(std::string_view(small->data(), small->len), "hello");
  HeapString::Free(small);
}

TEST(Entry, CloneWithAndWithoutExpiry) {
  EntryPtr a(Entry::NewInt("n", 42, true, false));
  a->set_lru(777);
  EntryPtr b(Entry::CloneWithExpire(a.get(), true));
  EXPECT_TRUE(b->has_expire_block());
  EXPECT_EQ(b->expire_at(), 0);
  EXPECT_EQ(b->int_value(), 42);
  EXPECT_TRUE(b->shared_int());
  EXPECT_EQ(b->lru(), 777u);
  EXPECT_EQ(b->key(), "n");
  b->set_expire_at(99);
  EntryPtr c(Entry::CloneWithExpire(b.get(), true));
  EXPECT_EQ(c->expire_at(), 99);
  EntryPtr d(Entry::CloneWithExpire(b.get(), false));
  EXPECT_FALSE(d->has_expire_block());
  EXPECT_EQ(d->expire_at(), 0);
  EXPECT_EQ(d->AllocSize(), 24u + 1u);

  EntryPtr inl(Entry::NewInline("key", "payload", Encoding::kEmbstr, false));
  EntryPtr inl2(Entry::CloneWithExpire(inl.get(), true));
  EXPECT_EQ(inl2->bytes(), "payload");
  EXPECT_EQ(inl2->encoding(), Encoding::kEmbstr);
  EXPECT_EQ(inl2->AllocSize(), inl->AllocSize() + 16u);

  EntryPtr heap(Entry::NewHeap("h", HeapString::New("grow", 64), true));
  heap->set_expire_at(5);
  EntryPtr heap2(Entry::CloneWithExpire(heap.get(), true));
  EXPECT_NE(heap2->heap(), heap->heap());  // a deep copy: each frees its own
  EXPECT_EQ(heap2->bytes(), "grow");
  EXPECT_EQ(heap2->heap()->cap, 64u);
  EXPECT_EQ(heap2->expire_at(), 5);
  EXPECT_EQ(heap2->AllocSize(), heap->AllocSize());
}

TEST(Entry, LongKey) {
  std::string key(100000, 'k');
  key[500] = '\0';
  EntryPtr e(Entry::NewInline(key, "v", Encoding::kEmbstr, true));
  EXPECT_EQ(e->key(), key);
  EXPECT_EQ(e->bytes(), "v");
}

}  // namespace
}  // namespace cairn
