#include "tests/diff/compare.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "engine/resp/reply_reader.h"

namespace cairn::diff {

namespace {

std::string Canonical(const Reply& r, std::string_view frame);

// An aggregate's header line followed by its elements (or pairs) sorted.
std::string CanonicalAggregate(std::string_view head, const std::vector<Reply>& elems, size_t step,
                               std::string_view frame) {
  std::vector<std::string> items;
  for (size_t i = 0; i + step <= elems.size(); i += step) {
    std::string item;
    for (size_t j = 0; j < step; j++) item += Canonical(elems[i + j], frame);
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end());
  std::string out(head);
  out += "\r\n";
  for (const std::string& it : items) out += it;
  return out;
}

std::string Canonical(const Reply& r, std::string_view frame) {
  std::string out;
  size_t own = r.offset;
  if (r.has_attributes) {
    out +=
        CanonicalAggregate("|" + std::to_string(r.attributes.size() / 2), r.attributes, 2, frame);
    own = r.head_offset;
  }
  if (!r.is_aggregate() || r.is_null) {
    out += frame.substr(own, r.offset + r.length - own);
    return out;
  }
  size_t step = r.type == Reply::Type::kMap ? 2 : 1;
  out += CanonicalAggregate(r.Head(frame), r.elements, step, frame);
  return out;
}

void WriteShape(const Reply& r, std::string* out) {
  if (r.has_attributes) {
    *out += "|" + std::to_string(r.attributes.size() / 2) + "[";
    for (size_t i = 0; i < r.attributes.size(); i++) {
      if (i > 0) *out += ',';
      WriteShape(r.attributes[i], out);
    }
    *out += "]";
  }
  *out += static_cast<char>(r.type);
  if (r.is_null) {
    *out += "nil";
    return;
  }
  if (!r.is_aggregate()) return;
  *out += std::to_string(r.elements.size()) + "[";
  for (size_t i = 0; i < r.elements.size(); i++) {
    if (i > 0) *out += ',';
    WriteShape(r.elements[i], out);
  }
  *out += ']';
}

bool IntegerOf(std::string_view frame, int64_t* v) {
  if (frame.size() < 4 || frame[0] != ':') return false;
  std::string_view digits = frame.substr(1, frame.size() - 3);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *v);
  return ec == std::errc() && p == digits.data() + digits.size();
}

}  // namespace

std::string CanonicalReply(std::string_view frame) {
  Result<Reply> r = DecodeReply(frame);
  if (!r.ok()) return std::string(frame);
  return Canonical(*r, frame);
}

std::string ReplyShape(std::string_view frame) {
  Result<Reply> r = DecodeReply(frame);
  if (!r.ok()) return "malformed";
  std::string out;
  WriteShape(*r, &out);
  return out;
}

char ReplyType(std::string_view frame) {
  Result<Reply> r = DecodeReply(frame);
  return r.ok() ? static_cast<char>(r->type) : 0;
}

Verdict CompareReplies(const Step& step, std::string_view a, std::string_view b) {
  switch (step.mode) {
    case CompareMode::kExact:
      break;
    case CompareMode::kSorted:
      return {CanonicalReply(a) == CanonicalReply(b), ""};
    case CompareMode::kShape: {
      std::string sa = ReplyShape(a);
      std::string sb = ReplyShape(b);
      if (sa != sb) return {false, "shapes differ: " + sa + " vs " + sb};
      return {true, ""};
    }
    case CompareMode::kMatch: {
      bool ma = boost::regex_search(a.begin(), a.end(), *step.pattern);
      bool mb = boost::regex_search(b.begin(), b.end(), *step.pattern);
      if (!ma || !mb) {
        return {false, "regexp '" + step.pattern_text + "' matches: " + (ma ? "yes" : "no") +
                           " / " + (mb ? "yes" : "no")};
      }
      if (ReplyType(a) != ReplyType(b)) return {false, "reply types differ"};
      return {true, ""};
    }
    case CompareMode::kApprox: {
      int64_t x = 0;
      int64_t y = 0;
      if (IntegerOf(a, &x) && IntegerOf(b, &y)) {
        int64_t d = x > y ? x - y : y - x;
        if (d <= step.tolerance) return {true, ""};
        return {false, "integers differ by " + std::to_string(d) + " (tolerance " +
                           std::to_string(step.tolerance) + ")"};
      }
      break;
    }
  }
  return {a == b, ""};
}

}  // namespace cairn::diff
