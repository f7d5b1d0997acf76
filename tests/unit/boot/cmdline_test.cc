#include "kernel/boot/cmdline.h"

#include <gtest/gtest.h>

#include <string>

namespace kernel::boot {
namespace {

struct Parsed {
  bool ok;
  CommandLine cl;
  std::string error;
};

Parsed Parse(std::string_view text) {
  Parsed p;
  char error[256] = {};
  p.ok = ParseCommandLine(text, p.cl, error, sizeof(error));
  p.error = error;
  return p;
}

TEST(CommandLine, EmptyKeepsDefaults) {
  Parsed p = Parse("");
  ASSERT_TRUE(p.ok);
  EXPECT_STREQ(p.cl.init, "/sbin/init");
  EXPECT_EQ(p.cl.loglevel, 6);
  EXPECT_EQ(p.cl.console_port, 0u);
  EXPECT_EQ(p.cl.debug, 0u);
}

TEST(CommandLine, AllKeys) {
  Parsed p = Parse("  init=/bin/sh loglevel=7 console=ttyS1,115200 debug=syscall,fault  ");
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_STREQ(p.cl.init, "/bin/sh");
  EXPECT_EQ(p.cl.loglevel, 7);
  EXPECT_EQ(p.cl.console_port, 1u);
  EXPECT_TRUE(p.cl.Debug(kDebugSyscall));
  EXPECT_TRUE(p.cl.Debug(kDebugFault));
  EXPECT_FALSE(p.cl.Debug(kDebugUserTest));
}

TEST(CommandLine, InitArgumentsAfterDashes) {
  Parsed p = Parse("quiet init=\"/bin/my prog\" -- -c \"echo hi\" x");
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.cl.loglevel, 4);
  EXPECT_STREQ(p.cl.init, "/bin/my prog");
  ASSERT_EQ(p.cl.init_argc, 3u);
  EXPECT_STREQ(p.cl.init_args[0], "-c");
  EXPECT_STREQ(p.cl.init_args[1], "echo hi");
  EXPECT_STREQ(p.cl.init_args[2], "x");
}

TEST(CommandLine, UnknownKeyIsAnError) {
  Parsed p = Parse("loglevel=3 frobnicate=1");
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("unknown command-line key 'frobnicate'"), std::string::npos) << p.error;
}

TEST(CommandLine, BadValuesAreErrors) {
  EXPECT_FALSE(Parse("loglevel=8").ok);
  EXPECT_FALSE(Parse("loglevel=x").ok);
  EXPECT_FALSE(Parse("console=ttyS2").ok);
  EXPECT_FALSE(Parse("init=relative").ok);
  EXPECT_FALSE(Parse("debug=bogus").ok);
  EXPECT_FALSE(Parse("debug").ok);
  Parsed p = Parse("debug=syscall,nope");
  EXPECT_NE(p.error.find("debug=nope"), std::string::npos) << p.error;
}

TEST(CommandLine, LongInitPathIsAnError) {
  std::string path = "init=/" + std::string(400, 'a');
  EXPECT_FALSE(Parse(path).ok);
}

}  // namespace
}  // namespace kernel::boot
