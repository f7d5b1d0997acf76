// The line discipline fed byte by byte: what a reader gets, what the terminal shows, which
// signals go out. Expectations follow Linux's n_tty (checked on Linux by tests/tty/*.c).
#include "kernel/tty/ldisc.h"

#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <string>
#include <vector>

#include "kernel/signal/abi.h"

namespace kernel::tty {
namespace {

class Recorder final : public LineDiscipline::Sink {
 public:
  void Output(const u8* d, usize n) override { echo.append(reinterpret_cast<const char*>(d), n); }
  void Signal(int sig) override { signals.push_back(sig); }
  void OutputStopped(bool s) override { stopped = s; }
  std::string echo;
  std::vector<int> signals;
  bool stopped = false;
};

class LdiscTest : public testing::Test {
 protected:
  void Type(const std::string& s) {
    for (char c : s) ld_.Receive(static_cast<u8>(c), sink_);
  }
  std::string ReadOnce(usize n = 256) {
    std::vector<u8> buf(n);
    usize got = ld_.Read(buf.data(), n);
    return std::string(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
  }
  void Raw(u8 vmin = 1, u8 vtime = 0) {
    Termios t = ld_.termios();
    t.lflag &= ~(kICanon | kEcho | kISig | kIExten);
    t.iflag &= ~(kICrNl | kIXon);
    t.cc[kVMin] = vmin;
    t.cc[kVTime] = vtime;
    ld_.SetTermios(t);
  }
  LineDiscipline ld_;
  Recorder sink_;
};

TEST_F(LdiscTest, CanonicalLineIsReadableOnlyWhenComplete) {
  Type("hello");
  EXPECT_FALSE(ld_.Readable());
  EXPECT_EQ(sink_.echo, "hello");
  Type("\r");  // ICRNL turns CR into NL; ONLCR echoes it as CR NL
  ASSERT_TRUE(ld_.Readable());
  EXPECT_EQ(sink_.echo, "hello\r\n");
  EXPECT_EQ(ReadOnce(), "hello\n");
  EXPECT_FALSE(ld_.Readable());
}

TEST_F(LdiscTest, ReadReturnsOneLineAtATimeAndPartialLinesContinue) {
  Type("ab\ncd\n");
  EXPECT_EQ(ld_.ReadableBytes(), 6u);
  EXPECT_EQ(ReadOnce(), "ab\n");
  EXPECT_EQ(ReadOnce(1), "c");
  EXPECT_EQ(ReadOnce(), "d\n");
}

TEST_F(LdiscTest, EraseKillAndWerase) {
  Type("abc\x7f");
  EXPECT_EQ(sink_.echo, "abc\b \b");
  Type("d\x17");  // ^W erases the word "abd"
  Type("x y  \x17");
  Type("\n");
  EXPECT_EQ(ReadOnce(), "x \n");
  sink_.echo.clear();
  Type("junk\x15");  // ^U with ECHOKE erases the whole line visually
  EXPECT_EQ(sink_.echo, "junk\b \b\b \b\b \b\b \b");
  Type("ok\n");
  EXPECT_EQ(ReadOnce(), "ok\n");
}

TEST_F(LdiscTest, EraseOfControlCharacterRemovesItsCaretForm) {
  Type("a\x01");
  EXPECT_EQ(sink_.echo, "a^A");
  Type("\x7f");
  EXPECT_EQ(sink_.echo, "a^A\b \b\b \b");
  Type("\n");
  EXPECT_EQ(ReadOnce(), "a\n");
}

TEST_F(LdiscTest, EraseOfTabBacksUpToWhereTheTabStarted) {
  Type("ab\t");
  EXPECT_EQ(sink_.echo, "ab\t");
  Type("\x7f");
  EXPECT_EQ(sink_.echo, "ab\t\b\b\b\b\b\b");  // column 8 back to column 2
  Type("\n");
  EXPECT_EQ(ReadOnce(), "ab\n");
}

TEST_F(LdiscTest, EofAtLineStartReadsAsEndOfFileAndIsNotEchoed) {
  Type("\x04");
  ASSERT_TRUE(ld_.Readable());
  EXPECT_EQ(ReadOnce(), "");
  EXPECT_EQ(sink_.echo, "");
  Type("abc\x04");  // EOF in mid-line pushes the line without a newline
  EXPECT_EQ(ReadOnce(), "abc");
  EXPECT_FALSE(ld_.Readable());
}

TEST_F(LdiscTest, InterruptCharactersSignalEchoAndFlush) {
  Type("partial\x03");
  ASSERT_EQ(sink_.signals, std::vector<int>{signal::kSigInt});
  EXPECT_EQ(sink_.echo, "partial^C");
  EXPECT_EQ(ld_.buffered(), 0u) << "input is flushed unless NOFLSH";
  Type("\x1c\x1a");
  EXPECT_EQ(sink_.signals, (std::vector<int>{signal::kSigInt, signal::kSigQuit, signal::kSigTstp}));
  Termios t = ld_.termios();
  t.lflag &= ~kISig;
  ld_.SetTermios(t);
  Type("\x03\n");
  EXPECT_EQ(ReadOnce(), "\x03\n") << "without ISIG ^C is data";
}

TEST_F(LdiscTest, NoEchoHidesInputButStillEditsLines) {
  Termios t = ld_.termios();
  t.lflag &= ~kEcho;
  ld_.SetTermios(t);
  Type("secrex\x7ft\n");
  EXPECT_EQ(sink_.echo, "");
  EXPECT_EQ(ReadOnce(), "secret\n");
  t.lflag |= kEchoNl;
  ld_.SetTermios(t);
  Type("x\n");
  EXPECT_EQ(sink_.echo, "\r\n") << "ECHONL echoes the newline alone";
}

TEST_F(LdiscTest, LiteralNextTakesTheNextByteAsData) {
  Type("\x16\x03\n");
  EXPECT_TRUE(sink_.signals.empty());
  EXPECT_EQ(ReadOnce(), "\x03\n");
  EXPECT_EQ(sink_.echo, "^\b^C\r\n");
}

TEST_F(LdiscTest, RawModeDeliversBytesAsTheyComeWithoutEditing) {
  Raw();
  Type("a\x7f\r");
  EXPECT_EQ(ld_.ReadableBytes(), 3u);
  EXPECT_EQ(ReadOnce(), "a\x7f\r");
  EXPECT_EQ(sink_.echo, "");
}

TEST_F(LdiscTest, SwitchingModesKeepsBufferedInput) {
  Type("abc");
  Raw();
  EXPECT_EQ(ReadOnce(2), "ab");
  Termios t = StandardTermios();
  ld_.SetTermios(t);
  EXPECT_TRUE(ld_.Readable()) << "what raw mode buffered is a line for canonical reads";
  EXPECT_EQ(ReadOnce(), "c");
}

TEST_F(LdiscTest, IxonStopsAndStartsOutput) {
  Type("\x13");
  EXPECT_TRUE(sink_.stopped);
  EXPECT_TRUE(ld_.output_stopped());
  Type("\x11");
  EXPECT_FALSE(ld_.output_stopped());
  EXPECT_EQ(ld_.buffered(), 0u);
}

TEST_F(LdiscTest, FloodIsDroppedWhenTheBufferIsFullButALineCanStillEnd) {
  for (int i = 0; i < 10000; ++i) ld_.Receive('x', sink_);
  EXPECT_EQ(ld_.buffered(), LineDiscipline::kBufferSize - 1);
  ld_.Receive('\n', sink_);
  EXPECT_TRUE(ld_.Readable());
  EXPECT_EQ(ld_.ReadableBytes(), LineDiscipline::kBufferSize);
  Raw();
  for (int i = 0; i < 10; ++i) ld_.Receive('y', sink_);
  EXPECT_EQ(ld_.buffered(), LineDiscipline::kBufferSize);
}

TEST_F(LdiscTest, OutputProcessing) {
  const u8 in[] = {'a', '\n', '\t', 'b', '\r'};
  u8 out[64];
  usize made;
  EXPECT_EQ(ld_.ProcessOutput(in, sizeof(in), out, sizeof(out), &made), sizeof(in));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), made), "a\r\n\tb\r");
  Termios t = ld_.termios();
  t.oflag |= kXTabs | kONoCr;
  ld_.SetTermios(t);
  EXPECT_EQ(ld_.ProcessOutput(in, sizeof(in), out, sizeof(out), &made), sizeof(in));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), made), "a\r\n        b\r");
  t.oflag &= ~kOPost;
  ld_.SetTermios(t);
  EXPECT_EQ(ld_.ProcessOutput(in, sizeof(in), out, sizeof(out), &made), sizeof(in));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), made), "a\n\tb\r");
  // Never split an expansion: with room for one byte, "\n" is not consumed.
  t.oflag |= kOPost;
  ld_.SetTermios(t);
  EXPECT_EQ(ld_.ProcessOutput(in + 1, 1, out, 1, &made), 0u);
}

TEST(TermiosTest, ConstantsAndDefaultsMatchLinux) {
  EXPECT_EQ(sizeof(Termios), 36u);
  EXPECT_EQ(kVMin, static_cast<usize>(VMIN));
  EXPECT_EQ(kVWerase, static_cast<usize>(VWERASE));
  EXPECT_EQ(kEchoCtl, static_cast<u32>(ECHOCTL));
  EXPECT_EQ(kEchoKe, static_cast<u32>(ECHOKE));
  EXPECT_EQ(kIExten, static_cast<u32>(IEXTEN));
  EXPECT_EQ(kToStop, static_cast<u32>(TOSTOP));
  EXPECT_EQ(kONlCr, static_cast<u32>(ONLCR));
  EXPECT_EQ(kICrNl, static_cast<u32>(ICRNL));
  EXPECT_EQ(kIUtf8, static_cast<u32>(IUTF8));
  EXPECT_EQ(kCLocal, static_cast<u32>(CLOCAL));
  EXPECT_EQ(kTcGets, static_cast<u32>(TCGETS));
  EXPECT_EQ(kTcSetsF, static_cast<u32>(TCSETSF));
  EXPECT_EQ(kTiocSctty, static_cast<u32>(TIOCSCTTY));
  EXPECT_EQ(kTiocGsid, static_cast<u32>(TIOCGSID));
  EXPECT_EQ(kTiocGptn, static_cast<u32>(TIOCGPTN));
  EXPECT_EQ(kTiocSptlck, static_cast<u32>(TIOCSPTLCK));
  EXPECT_EQ(kTiocGptpeer, static_cast<u32>(TIOCGPTPEER));
  EXPECT_EQ(BaudOf(kB38400), 38400u);
  EXPECT_EQ(BaudOf(kB115200), 115200u);
  Termios t = StandardTermios();
  EXPECT_EQ(t.cc[kVIntr], 3);
  EXPECT_EQ(t.cc[kVErase], 0x7f);
  EXPECT_EQ(t.cc[kVMin], 1);
  EXPECT_EQ(t.cc[kVSusp], 26);
}

}  // namespace
}  // namespace kernel::tty
