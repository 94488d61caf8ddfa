// Status and Result: the outcome of an operation that can fail, as a value.
//
// Errors travel as values on every path, hot or not; nothing in the engine
// throws. A message starts with its component's prefix ("aof: manifest line 3:
// unknown type \"x\""), so a log line names where it came from. The code lets a
// caller react without parsing text: kNoSpace and kIo are what the AOF needs to
// tell ENOSPC from EIO.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace cairn {

class Status {
 public:
  enum class Code : unsigned char {
    kOk,
    kInvalid,     // bad input or configuration
    kNotFound,    // a file or name that does not exist
    kIo,          // an I/O error other than the ones below (EIO, ...)
    kNoSpace,     // ENOSPC
    kCorruption,  // data that cannot be what we wrote
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Io(std::string msg, int sys_errno = 0) {
    return Status(Code::kIo, std::move(msg), sys_errno);
  }
  static Status NoSpace(std::string msg) { return Status(Code::kNoSpace, std::move(msg), 28); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The errno behind an I/O error, or 0.
  int sys_errno() const { return sys_errno_; }

  // Returns a copy whose message is prefix + ": " + message.
  Status Prefixed(std::string_view prefix) const {
    Status s = *this;
    s.message_ = std::string(prefix) + ": " + message_;
    return s;
  }

 private:
  Status(Code code, std::string msg, int sys_errno = 0)
      : code_(code), sys_errno_(sys_errno), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  int sys_errno_ = 0;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cairn
