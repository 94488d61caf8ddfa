// ByteBuffer: a growable byte queue with a consumed prefix, for a session's
// input and output.
//
// Invariants: bytes [begin_, end_) are readable; [end_, cap_) is free space a
// reader may fill through PrepareWrite/CommitWrite. Storage moves only inside
// PrepareWrite/Append/Reserve, so views into readable() stay valid until the
// next call that may grow or compact. Consuming everything resets to the start
// without freeing, so a buffer in steady use never allocates.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string_view>
#include <utility>

namespace cairn {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ByteBuffer(ByteBuffer&& o) noexcept { swap(o); }
  ByteBuffer& operator=(ByteBuffer&& o) noexcept {
    ByteBuffer tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  ~ByteBuffer() { std::free(data_); }

  void swap(ByteBuffer& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(begin_, o.begin_);
    std::swap(end_, o.end_);
    std::swap(cap_, o.cap_);
  }

  std::string_view readable() const { return {data_ + begin_, end_ - begin_}; }
  char* data() { return data_ + begin_; }
  size_t size() const { return end_ - begin_; }
  bool empty() const { return end_ == begin_; }
  size_t capacity() const { return cap_; }

  void Consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  void Clear() { begin_ = end_ = 0; }

  // Free space for at least n bytes at the end.
  std::span<char> PrepareWrite(size_t n) {
    if (cap_ - end_ < n) MakeRoom(n);
    return {data_ + end_, cap_ - end_};
  }
  void CommitWrite(size_t n) { end_ += n; }

  void Append(std::string_view s) {
    if (cap_ - end_ < s.size()) MakeRoom(s.size());
    if (!s.empty()) std::memcpy(data_ + end_, s.data(), s.size());
    end_ += s.size();
  }
  void Append(char c) {
    if (cap_ == end_) MakeRoom(1);
    data_[end_++] = c;
  }
  // Drops the last n readable bytes.
  void Unappend(size_t n) { end_ -= n; }
  // Inserts bytes at readable offset `at`, moving what follows.
  void Insert(size_t at, std::string_view s) {
    if (cap_ - end_ < s.size()) MakeRoom(s.size());
    char* p = data_ + begin_ + at;
    std::memmove(p + s.size(), p, end_ - begin_ - at);
    std::memcpy(p, s.data(), s.size());
    end_ += s.size();
  }

  // Gives memory back when the buffer holds nothing and is larger than keep.
  void ShrinkIfEmpty(size_t keep) {
    if (empty() && cap_ > keep) {
      std::free(data_);
      data_ = nullptr;
      begin_ = end_ = cap_ = 0;
    }
  }

 private:
  void MakeRoom(size_t n) {
    size_t used = end_ - begin_;
    // Compact when the consumed prefix alone makes enough room and is at
    // least half the buffer: moving the tail is cheaper than growing.
    if (begin_ > 0 && cap_ - used >= n && begin_ >= cap_ / 2) {
      std::memmove(data_, data_ + begin_, used);
      begin_ = 0;
      end_ = used;
      return;
    }
    size_t want = used + n;
    size_t cap = cap_ < 64 ? 64 : cap_;
    while (cap < want + begin_) cap *= 2;
    if (begin_ > 0 && cap_ - used >= n) {
      std::memmove(data_, data_ + begin_, used);
      begin_ = 0;
      end_ = used;
      return;
    }
    void* p = std::realloc(data_, cap);
    if (p == nullptr) throw std::bad_alloc();
    data_ = static_cast<char*>(p);
    cap_ = cap;
  }

  char* data_ = nullptr;
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t cap_ = 0;
};

}  // namespace cairn
