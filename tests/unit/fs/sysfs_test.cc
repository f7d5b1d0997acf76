// sysfs on hostsim: the device tree mdev -s walks and the links into it.
#include "kernel/fs/sysfs/sysfs.h"

#include <algorithm>

#include "kernel/fs/namei.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

class SysfsTest : public testing::FsTest {
 protected:
  void SetUp() override {
    FsTest::SetUp();
    ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/sys", 0555).ok());
    ASSERT_TRUE(MountFileSystem(actor_, sysfs::kSysfsType, "sysfs", "/sys", 0, "").ok());
  }
  void TearDown() override {
    dcache::Shrink();
    ASSERT_TRUE(UnmountByPath(actor_, "/sys", 0).ok());
    FsTest::TearDown();
  }
  std::string Link(const std::string& path) {
    char buf[256];
    Result<usize> n =
        ReadLink(actor_, kAtFdCwd, lib::string_view(path.data(), path.size()), buf, sizeof(buf));
    return n.ok() ? std::string(buf, n.value()) : "<error>";
  }
  bool Has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
};

TEST_F(SysfsTest, DevCharLinksToDevicesWithDevAndUevent) {
  std::vector<std::string> chars = List("/sys/dev/char");
  EXPECT_TRUE(Has(chars, "1:3"));
  EXPECT_TRUE(Has(chars, "5:1"));
  EXPECT_TRUE(Has(chars, "4:64")) << "hostsim has console port 0";
  EXPECT_EQ(Link("/sys/dev/char/1:3"), "../../devices/virtual/mem/null");
  EXPECT_EQ(ReadFile("/sys/dev/char/1:3/dev").value(), "1:3\n");
  EXPECT_EQ(ReadFile("/sys/dev/char/4:64/uevent").value(),
            "MAJOR=4\nMINOR=64\nDEVNAME=ttyS0\nDEVMODE=0660\n");
  EXPECT_EQ(List("/sys/dev/block"), (std::vector<std::string>{".", ".."}));
  EXPECT_EQ(List("/sys/block"), (std::vector<std::string>{".", ".."}));
}

TEST_F(SysfsTest, ClassesAndTheDevicesTree) {
  EXPECT_EQ(List("/sys/class"), (std::vector<std::string>{".", "..", "mem", "tty"}));
  std::vector<std::string> tty = List("/sys/class/tty");
  EXPECT_TRUE(Has(tty, "console"));
  EXPECT_TRUE(Has(tty, "ttyS0"));
  EXPECT_EQ(Link("/sys/class/tty/ttyS0"), "../../devices/platform/serial8250/tty/ttyS0");
  EXPECT_EQ(List("/sys/devices"), (std::vector<std::string>{".", "..", "virtual", "platform"}));
  EXPECT_EQ(List("/sys/devices/virtual"), (std::vector<std::string>{".", "..", "mem", "tty"}));
  EXPECT_EQ(List("/sys/devices/virtual/mem/zero"),
            (std::vector<std::string>{".", "..", "dev", "subsystem", "uevent"}));
  // subsystem leads back to the class.
  Path cls = Lookup("/sys/devices/virtual/mem/zero/subsystem").value();
  EXPECT_EQ(cls.dentry->name(), "mem");
  EXPECT_EQ(LookupErr("/sys/devices/virtual/nope"), Errno::kENOENT);
  EXPECT_EQ(LookupErr("/sys/class/tty/ttyS7"), Errno::kENOENT);
}

}  // namespace
}  // namespace kernel::fs
