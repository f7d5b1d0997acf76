// The native runner's root file systems: tar (plain and gzip, ustar prefixes, pax and GNU
// long names, hard links, symlinks) to cpio newc, checked by parsing the result with the
// kernel's own cpio parser.
#include "sim/rootfs_archive.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <map>
#include <string>

#include "kernel/fs/initramfs/cpio.h"

namespace sim {
namespace {

// A minimal tar writer for the tests (ustar headers, checksums filled in).
class TarBuilder {
 public:
  TarBuilder& Entry(const std::string& name, char type, const std::string& data = "",
                    const std::string& link = "", unsigned mode = 0644,
                    const std::string& prefix = "") {
    char h[512] = {};
    name.copy(h, 100);  // tar fields are not NUL-terminated when full
    std::snprintf(h + 100, 8, "%07o", mode);
    std::snprintf(h + 108, 8, "%07o", 0u);
    std::snprintf(h + 116, 8, "%07o", 0u);
    std::snprintf(h + 124, 12, "%011o", static_cast<unsigned>(data.size()));
    std::snprintf(h + 136, 12, "%011o", 1700000000u);
    h[156] = type;
    link.copy(h + 157, 100);
    std::string(
        "ustar\0"
        "00",
        8)
        .copy(h + 257, 8);  // magic and version
    prefix.copy(h + 345, 155);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    out_.append(h, sizeof(h));
    out_.append(data);
    out_.append((512 - data.size() % 512) % 512, '\0');
    return *this;
  }
  std::string Finish() { return out_ + std::string(1024, '\0'); }

 private:
  std::string out_;
};

struct Parsed {
  uint32_t mode;
  std::string data;
};

// Collects what the kernel's parser sees.
class Collector final : public kernel::fs::initramfs::CpioHandler {
 public:
  kernel::Result<void> Begin(const kernel::fs::initramfs::CpioEntry& e) override {
    name_ = std::string(e.name.data(), e.name.size());
    entries[name_] = Parsed{e.mode, ""};
    return kernel::Ok();
  }
  kernel::Result<void> Data(const kernel::u8* d, kernel::usize n) override {
    entries[name_].data.append(reinterpret_cast<const char*>(d), n);
    return kernel::Ok();
  }
  kernel::Result<void> End() override { return kernel::Ok(); }

  std::map<std::string, Parsed> entries;

 private:
  std::string name_;
};

std::map<std::string, Parsed> ParseWithKernel(const std::vector<uint8_t>& cpio) {
  Collector c;
  kernel::fs::initramfs::CpioParser parser(c);
  auto fed = parser.Feed(cpio.data(), cpio.size());
  EXPECT_TRUE(fed.ok()) << parser.message();
  EXPECT_TRUE(parser.Finish().ok()) << parser.message();
  c.entries.erase("TRAILER!!!");
  return c.entries;
}

std::string Gzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(RootfsArchive, TarBecomesCpioTheKernelParses) {
  std::string long_name = "usr/share/" + std::string(120, 'n');
  std::string tar = TarBuilder()
                        .Entry("./", '5', "", "", 0755)
                        .Entry("./bin/", '5', "", "", 0755)
                        .Entry("./bin/busybox", '0',
                               "\x7f"
                               "ELF...",
                               "", 0755)
                        .Entry("./bin/sh", '2', "", "/bin/busybox", 0777)
                        .Entry("./bin/ash", '1', "", "./bin/busybox", 0755)
                        .Entry("deep/file", '0', "in a prefix", "", 0600, "some/prefix")
                        .Entry("././@LongLink", 'L', long_name + std::string(1, '\0'))
                        .Entry("truncated-name", '0', "long", "", 0644)
                        .Entry("PaxHeaders/x", 'x', "27 path=etc/pax-named-file\n")
                        .Entry("etc/short", '0', "pax", "", 0640)
                        .Finish();
  CpioWriter cpio;
  std::string error;
  ASSERT_TRUE(AddTar(cpio, tar, &error)) << error;
  auto e = ParseWithKernel(cpio.Finish());

  ASSERT_TRUE(e.count("bin"));
  EXPECT_EQ(e["bin"].mode, 040755u);
  EXPECT_EQ(e["bin/busybox"].mode, 0100755u);
  EXPECT_EQ(e["bin/busybox"].data,
            "\x7f"
            "ELF...");
  EXPECT_EQ(e["bin/sh"].mode & 0170000, 0120000u);
  EXPECT_EQ(e["bin/sh"].data, "/bin/busybox");
  EXPECT_EQ(e["bin/ash"].data,
            "\x7f"
            "ELF...");  // a hard link becomes a copy
  EXPECT_EQ(e["some/prefix/deep/file"].data, "in a prefix");
  EXPECT_EQ(e["some/prefix/deep/file"].mode, 0100600u);
  EXPECT_TRUE(e.count("some/prefix")) << "parents are added";
  EXPECT_EQ(e[long_name].data, "long");
  EXPECT_EQ(e["etc/pax-named-file"].data, "pax");
  EXPECT_EQ(e.count("etc/short"), 0u);
  EXPECT_EQ(e.count(""), 0u) << "the root itself is not an entry";
}

TEST(RootfsArchive, GzipAndItsErrors) {
  std::string tar = TarBuilder().Entry("a", '0', "x").Finish();
  std::string out, error;
  ASSERT_TRUE(Gunzip(Gzip(tar), &out, &error)) << error;
  EXPECT_EQ(out, tar);
  std::string gz = Gzip(tar);
  EXPECT_FALSE(Gunzip(gz.substr(0, gz.size() / 2), &out, &error));
  EXPECT_NE(error.find("gzip"), std::string::npos) << error;
  gz[gz.size() / 2] ^= 0x55;
  EXPECT_FALSE(Gunzip(gz, &out, &error));
}

TEST(RootfsArchive, MalformedTarIsAnErrorNotACrash) {
  std::string tar = TarBuilder().Entry("file", '0', std::string(2000, 'z')).Finish();
  CpioWriter cpio;
  std::string error;
  EXPECT_FALSE(AddTar(cpio, tar.substr(0, 1024), &error));
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  std::string bad = tar;
  std::memcpy(&bad[124], "zzzzzzzzzzz", 11);  // size is not octal
  EXPECT_FALSE(AddTar(cpio, bad, &error));
  EXPECT_NE(error.find("numeric"), std::string::npos) << error;
  std::string weird = TarBuilder().Entry("sock", 'Q').Finish();
  EXPECT_FALSE(AddTar(cpio, weird, &error));
  EXPECT_NE(error.find("unsupported type"), std::string::npos) << error;
}

TEST(RootfsArchive, NamesAreNormalised) {
  EXPECT_EQ(CpioWriter::Normalize("./a//b/./c/"), "a/b/c");
  EXPECT_EQ(CpioWriter::Normalize("/"), "");
  CpioWriter cpio;
  cpio.AddFile("/x/y", 0644, "1");
  EXPECT_TRUE(cpio.Has("x"));
  EXPECT_TRUE(cpio.Has("./x/y"));
}

}  // namespace
}  // namespace sim
