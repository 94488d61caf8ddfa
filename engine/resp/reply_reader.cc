#include "engine/resp/reply_reader.h"

#include <charconv>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>

namespace cairn {

namespace {

// One element's own bytes: its header line and, for strings, the payload.
// Children of aggregates are separate elements.
struct ElementHead {
  char type = 0;
  std::string_view text;  // the header line after the type byte, without CRLF
  size_t head_end = 0;    // offset of the header's '\r'
  int64_t n = 0;          // bulk length or element count (-1: RESP2 null)
  size_t payload = 0;     // offset of a bulk payload
  size_t end = 0;         // offset just after the element's own bytes
};

enum class Step { kOk, kIncomplete, kMalformed };

struct Failure {
  const char* why = "";
  size_t at = 0;
};

// Redis's integers: optional '-', then digits without a leading zero
// (except "0" itself); no '+', no blanks. Lengths use the same rule.
bool ParseStrictInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  if (s[i] == '0' && s.size() > i + 1) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && !(i == 1 && *out == 0);
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty() || s[0] == '+') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool IsBigNumber(std::string_view s) {
  size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); i++) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Reads the element starting at pos. *line_scan is where the search for the
// header's end resumes (at least pos); it is advanced past bytes searched.
Step ReadElementHead(std::string_view buf, size_t pos, size_t* line_scan, ElementHead* h,
                     Failure* f) {
  size_t from = *line_scan < pos ? pos : *line_scan;
  size_t lf = from < buf.size() ? buf.find('\n', from) : std::string_view::npos;
  if (lf == std::string_view::npos) {
    *line_scan = buf.size();
    if (buf.size() - pos > ReplyScanner::kMaxLineLength) {
      *f = {"reply: header line too long", pos};
      return Step::kMalformed;
    }
    return Step::kIncomplete;
  }
  *line_scan = lf;
  if (lf == pos || buf[lf - 1] != '\r') {
    *f = {"reply: line not terminated by CRLF", lf};
    return Step::kMalformed;
  }
  if (lf - 1 == pos) {
    *f = {"reply: empty line", pos};
    return Step::kMalformed;
  }
  h->type = buf[pos];
  h->head_end = lf - 1;
  h->text = buf.substr(pos + 1, lf - 1 - (pos + 1));
  h->end = lf + 1;
  h->n = 0;
  switch (h->type) {
    case '+':
    case '-':
      return Step::kOk;
    case ':':
      if (!ParseStrictInt(h->text, &h->n)) {
        *f = {"reply: bad integer", pos};
        return Step::kMalformed;
      }
      return Step::kOk;
    case '_':
      if (!h->text.empty()) {
        *f = {"reply: null with content", pos};
        return Step::kMalformed;
      }
      return Step::kOk;
    case '#':
      if (h->text != "t" && h->text != "f") {
        *f = {"reply: boolean is not t or f", pos};
        return Step::kMalformed;
      }
      return Step::kOk;
    case ',': {
      double d;
      if (!ParseDouble(h->text, &d)) {
        *f = {"reply: bad double", pos};
        return Step::kMalformed;
      }
      return Step::kOk;
    }
    case '(':
      if (!IsBigNumber(h->text)) {
        *f = {"reply: bad big number", pos};
        return Step::kMalformed;
      }
      return Step::kOk;
    case '$':
    case '!':
    case '=': {
      if (!ParseStrictInt(h->text, &h->n) || h->n < -1 || h->n > ReplyScanner::kMaxLength ||
          (h->n == -1 && h->type != '$')) {
        *f = {"reply: bad bulk length", pos};
        return Step::kMalformed;
      }
      if (h->n == -1) return Step::kOk;
      h->payload = lf + 1;
      size_t need = h->payload + static_cast<size_t>(h->n) + 2;
      if (buf.size() < need) return Step::kIncomplete;
      if (buf[need - 2] != '\r' || buf[need - 1] != '\n') {
        *f = {"reply: bulk payload not followed by CRLF", need - 2};
        return Step::kMalformed;
      }
      if (h->type == '=' && (h->n < 4 || buf[h->payload + 3] != ':')) {
        *f = {"reply: verbatim string without a format", pos};
        return Step::kMalformed;
      }
      h->end = need;
      return Step::kOk;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|':
      if (!ParseStrictInt(h->text, &h->n) || h->n < -1 || h->n > ReplyScanner::kMaxLength ||
          (h->n == -1 && h->type != '*')) {
        *f = {"reply: bad aggregate count", pos};
        return Step::kMalformed;
      }
      return Step::kOk;
    default:
      *f = {"reply: unknown type byte", pos};
      return Step::kMalformed;
  }
}

// How many more elements an element's header makes the frame owe, its own
// payment included: an aggregate of n owes n (2n for maps) and pays one; an
// attribute owes 2n and pays nothing, since it decorates the next element.
int64_t OwedDelta(const ElementHead& h) {
  switch (h.type) {
    case '*':
    case '~':
    case '>':
      return h.n < 0 ? -1 : h.n - 1;
    case '%':
      return 2 * h.n - 1;
    case '|':
      return 2 * h.n;
    default:
      return -1;
  }
}

}  // namespace

ReplyScanner::Outcome ReplyScanner::Fail(const char* why, size_t at) {
  error_ = why;
  error_offset_ = at;
  return Outcome::kMalformed;
}

void ReplyScanner::Reset() {
  pos_ = 0;
  line_scan_ = 0;
  owed_ = 1;
  error_ = "";
  error_offset_ = 0;
}

ReplyScanner::Outcome ReplyScanner::Scan(std::string_view buf, size_t* frame_len) {
  while (owed_ > 0) {
    ElementHead h;
    Failure f;
    switch (ReadElementHead(buf, pos_, &line_scan_, &h, &f)) {
      case Step::kIncomplete:
        return Outcome::kIncomplete;
      case Step::kMalformed:
        return Fail(f.why, f.at);
      case Step::kOk:
        break;
    }
    owed_ += OwedDelta(h);
    if (owed_ > (int64_t{1} << 62)) return Fail("reply: too many elements", pos_);
    pos_ = h.end;
    line_scan_ = pos_;
  }
  *frame_len = pos_;
  return Outcome::kComplete;
}

namespace {

// One aggregate (or attribute) being filled while decoding.
struct Level {
  Reply* container = nullptr;           // nullptr: the frame's top level
  std::unique_ptr<Reply> attr;          // set when this level collects an attribute
  int64_t remaining = 0;                // elements still to place here
  std::unique_ptr<Reply> pending_attr;  // decorates the next element placed here
};

void FillScalar(std::string_view frame, const ElementHead& h, Reply* r) {
  r->type = static_cast<Reply::Type>(h.type);
  switch (h.type) {
    case '+':
    case '-':
    case '(':
      r->str.assign(h.text);
      break;
    case ':':
      r->integer = h.n;
      break;
    case '_':
      r->is_null = true;
      break;
    case '#':
      r->boolean = h.text == "t";
      break;
    case ',':
      r->str.assign(h.text);
      ParseDouble(h.text, &r->dbl);
      break;
    case '$':
    case '!':
      if (h.n < 0) {
        r->is_null = true;
      } else {
        r->str.assign(frame.substr(h.payload, static_cast<size_t>(h.n)));
      }
      break;
    case '=':
      r->format.assign(frame.substr(h.payload, 3));
      r->str.assign(frame.substr(h.payload + 4, static_cast<size_t>(h.n) - 4));
      break;
    default:
      break;
  }
}

}  // namespace

Result<Reply> DecodeReply(std::string_view frame) {
  Reply root;
  std::vector<Level> stack;
  stack.push_back(Level{nullptr, nullptr, 1, nullptr});
  std::vector<size_t> attr_offsets;  // per level: where its pending attribute began
  attr_offsets.push_back(0);
  size_t pos = 0;
  while (true) {
    if (pos >= frame.size()) return Status::Corruption("reply: frame ends early");
    ElementHead h;
    Failure f;
    size_t scan = pos;
    Step step = ReadElementHead(frame, pos, &scan, &h, &f);
    if (step == Step::kIncomplete) return Status::Corruption("reply: frame ends early");
    if (step == Step::kMalformed) {
      return Status::Corruption(std::string(f.why) + " at offset " + std::to_string(f.at));
    }
    if (h.type == '|') {
      if (stack.size() >= static_cast<size_t>(kMaxDecodeDepth)) {
        return Status::Corruption("reply: nested too deeply");
      }
      auto attr = std::make_unique<Reply>();
      attr->offset = pos;
      attr->elements.reserve(static_cast<size_t>(2 * h.n));
      Reply* attr_ptr = attr.get();
      if (h.n == 0) {
        Level& top = stack.back();
        if (!top.pending_attr) {
          attr_offsets.back() = pos;
          top.pending_attr = std::move(attr);
        }
        pos = h.end;
        continue;
      }
      stack.push_back(Level{attr_ptr, std::move(attr), 2 * h.n, nullptr});
      attr_offsets.push_back(0);
      pos = h.end;
      continue;
    }
    Level& parent = stack.back();
    Reply* node = parent.container == nullptr ? &root : &parent.container->elements.emplace_back();
    node->offset = pos;
    if (parent.pending_attr) {
      node->offset = attr_offsets.back();
      node->attributes = std::move(parent.pending_attr->elements);
      node->has_attributes = true;
      parent.pending_attr.reset();
    }
    node->head_offset = pos;
    node->head_length = h.head_end - pos;
    pos = h.end;
    bool aggregate = h.type == '*' || h.type == '~' || h.type == '>' || h.type == '%';
    if (aggregate && h.n > 0) {
      if (stack.size() >= static_cast<size_t>(kMaxDecodeDepth)) {
        return Status::Corruption("reply: nested too deeply");
      }
      node->type = static_cast<Reply::Type>(h.type);
      int64_t count = h.type == '%' ? 2 * h.n : h.n;
      node->elements.reserve(static_cast<size_t>(count));
      stack.push_back(Level{node, nullptr, count, nullptr});
      attr_offsets.push_back(0);
      continue;
    }
    if (aggregate) {
      node->type = static_cast<Reply::Type>(h.type);
      node->is_null = h.n < 0;
    } else {
      FillScalar(frame, h, node);
    }
    node->length = pos - node->offset;
    // The element is complete: pay for it and close every level it completes.
    stack.back().remaining--;
    while (stack.back().remaining == 0) {
      if (stack.size() == 1) {
        if (pos != frame.size()) return Status::Corruption("reply: bytes after the frame");
        return root;
      }
      Level done = std::move(stack.back());
      stack.pop_back();
      attr_offsets.pop_back();
      Level& up = stack.back();
      if (done.attr) {
        if (up.pending_attr) {
          // Two attributes in a row decorate the same element: keep both.
          for (Reply& e : done.attr->elements) up.pending_attr->elements.push_back(std::move(e));
        } else {
          attr_offsets.back() = done.attr->offset;
          up.pending_attr = std::move(done.attr);
        }
        break;  // an attribute does not pay for a place in its parent
      }
      done.container->length = pos - done.container->offset;
      up.remaining--;
    }
  }
}

}  // namespace cairn
