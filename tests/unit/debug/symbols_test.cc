#include "kernel/debug/symbols.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace kernel::debug {
namespace {

// Builds a table the way tools/ksyms does.
std::vector<u8> MakeTable(const std::vector<std::pair<KsymsEntry, std::string>>& syms) {
  std::vector<u8> names;
  std::vector<KsymsEntry> entries;
  for (auto [e, name] : syms) {
    e.name_offset = static_cast<u32>(names.size());
    entries.push_back(e);
    names.insert(names.end(), name.begin(), name.end());
    names.push_back(0);
  }
  KsymsHeader h{kKsymsMagic, static_cast<u32>(entries.size()),
                static_cast<u32>(sizeof(KsymsHeader) + entries.size() * sizeof(KsymsEntry)), 0};
  h.total_size = static_cast<u32>(h.names_offset + names.size());
  std::vector<u8> blob(h.total_size);
  std::memcpy(blob.data(), &h, sizeof(h));
  std::memcpy(blob.data() + sizeof(h), entries.data(), entries.size() * sizeof(KsymsEntry));
  std::memcpy(blob.data() + h.names_offset, names.data(), names.size());
  return blob;
}

TEST(Symbols, LookupFindsContainingFunction) {
  auto t = MakeTable({{{0x1000, 0x20, 0}, "first()"},
                      {{0x1040, 0x10, 0}, "second(int)"},
                      {{0x2000, 0, 0}, "asm_label"}});
  SymbolInfo s;
  ASSERT_TRUE(LookupSymbolIn(t.data(), 0x1000, &s));
  EXPECT_STREQ(s.name, "first()");
  EXPECT_EQ(s.offset, 0u);
  ASSERT_TRUE(LookupSymbolIn(t.data(), 0x101f, &s));
  EXPECT_STREQ(s.name, "first()");
  EXPECT_EQ(s.offset, 0x1fu);
  EXPECT_FALSE(LookupSymbolIn(t.data(), 0x1020, &s));  // the gap after first()
  ASSERT_TRUE(LookupSymbolIn(t.data(), 0x1045, &s));
  EXPECT_STREQ(s.name, "second(int)");
  EXPECT_EQ(s.start, 0x1040u);
  // An unsized label reaches to whatever follows.
  ASSERT_TRUE(LookupSymbolIn(t.data(), 0x2345, &s));
  EXPECT_STREQ(s.name, "asm_label");
  EXPECT_EQ(s.offset, 0x345u);
  EXPECT_FALSE(LookupSymbolIn(t.data(), 0xfff, &s));
}

TEST(Symbols, FindByName) {
  auto t = MakeTable({{{0x1000, 0x20, 0}, "alpha"}, {{0x1040, 0x10, 0}, "alphabet"}});
  EXPECT_EQ(FindSymbolIn(t.data(), "alphabet"), 0x1040u);
  EXPECT_EQ(FindSymbolIn(t.data(), "alpha"), 0x1000u);
  EXPECT_EQ(FindSymbolIn(t.data(), "alph"), 0u);
}

TEST(Symbols, MissingOrUnfilledTableKnowsNothing) {
  SymbolInfo s;
  EXPECT_FALSE(LookupSymbolIn(nullptr, 0x1000, &s));
  std::vector<u8> zeros(64, 0);  // an image ksyms never processed
  EXPECT_FALSE(LookupSymbolIn(zeros.data(), 0x1000, &s));
  EXPECT_EQ(FindSymbolIn(zeros.data(), "x"), 0u);
}

}  // namespace
}  // namespace kernel::debug
