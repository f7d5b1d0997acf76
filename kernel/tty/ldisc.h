#pragma once
/// The line discipline (Linux's N_TTY) as a pure state machine: bytes come in from the device
/// one at a time, edited lines (or raw bytes) come out to readers, echoes and signals go to a
/// Sink. It knows nothing of tasks, sleeping or devices, so tests drive it byte by byte
/// [POSIX "General Terminal Interface" §11.1.6-11.1.9, §11.2; man 3 termios].
///
/// Canonical mode: input is edited (ERASE, KILL, WERASE, LNEXT, REPRINT) until a line ends
/// with NL, EOL, EOL2 or EOF; a read returns at most one line; EOF ends a line without being
/// returned, so EOF at the start of a line reads as end of file. Non-canonical mode: every
/// byte is readable at once; VMIN/VTIME are the reader's business (tty/tty.cc).
///
/// The input buffer holds 4096 bytes, as Linux's; input that does not fit is dropped, except
/// that canonical mode keeps one byte free so a line can always be ended.
#include "kernel/lib/types.h"
#include "kernel/tty/termios.h"

namespace kernel::tty {

class LineDiscipline {
 public:
  static constexpr usize kBufferSize = 4096;

  /// Where the discipline's side effects go.
  class Sink {
   public:
    /// Echo output, already through output processing (OPOST).
    virtual void Output(const u8* data, usize n) = 0;
    /// An ISIG character arrived: signal the foreground process group.
    virtual void Signal(int sig) = 0;
    /// An ISIG character flushes pending echoes and output the device still holds, before
    /// the character is echoed [linux isig, n_tty_receive_signal_char].
    virtual void FlushOutput() {}
    /// IXON: output was stopped (^S) or restarted (^Q).
    virtual void OutputStopped(bool stopped) { (void)stopped; }

   protected:
    ~Sink() = default;
  };

  LineDiscipline() : termios_(StandardTermios()) {}

  const Termios& termios() const { return termios_; }
  /// New attributes. Leaving canonical mode makes the partial line readable; entering it
  /// treats what is buffered as one partial line [linux n_tty_set_termios].
  void SetTermios(const Termios& t);

  /// One byte from the device.
  void Receive(u8 c, Sink& sink);

  /// Bytes a read could take now (canonical: up to the end of the first complete line,
  /// counting an EOF-ended empty line as readable).
  bool Readable() const;
  usize ReadableBytes() const;
  /// Takes up to n bytes for a reader (canonical: never past one line; 0 for an EOF line).
  usize Read(u8* out, usize n);
  /// Bytes buffered, complete lines or not (FIONREAD counts only what is readable).
  usize buffered() const { return count_; }

  /// TCIFLUSH: discards all input.
  void FlushInput();

  /// Output processing for a write (OPOST/ONLCR/OCRNL/ONOCR/ONLRET/XTABS): appends to out
  /// (capacity cap) and returns how many input bytes were consumed; stops early rather than
  /// split an expansion.
  usize ProcessOutput(const u8* in, usize n, u8* out, usize cap, usize* produced);

  bool output_stopped() const { return output_stopped_; }
  void set_output_stopped(bool s) { output_stopped_ = s; }

 private:
  bool Canonical() const { return (termios_.lflag & kICanon) != 0; }
  bool Is(u8 c, usize index) const { return termios_.cc[index] != 0 && c == termios_.cc[index]; }
  bool Full() const { return count_ >= kBufferSize - (Canonical() ? 1 : 0); }
  void Put(u8 c, u8 flags);
  u8 At(usize i) const { return buf_[(head_ + i) % kBufferSize]; }
  u8 FlagsAt(usize i) const { return flags_[(head_ + i) % kBufferSize]; }
  void DropLast();
  void EndLine();

  // Echo helpers: everything echoed goes through output processing.
  void Echo(const u8* s, usize n, Sink& sink);
  void EchoChar(u8 c, Sink& sink);
  void EchoErase(usize at, Sink& sink);
  void Erase(u8 c, Sink& sink);
  void Reprint(Sink& sink);
  usize ColumnAfter(usize upto) const;

  static constexpr u8 kLineEnd = 1;  // this byte ends a line (NL, EOL, EOL2, EOF)
  static constexpr u8 kEofMark = 2;  // the EOF character: ends a line, is never read

  Termios termios_;
  u8 buf_[kBufferSize] = {};
  u8 flags_[kBufferSize] = {};
  usize head_ = 0;       // first unread byte
  usize count_ = 0;      // bytes buffered
  usize canon_end_ = 0;  // bytes (from head_) that form complete lines
  bool lnext_ = false;   // the previous byte was LNEXT: take this one literally
  bool output_stopped_ = false;
  usize column_ = 0;        // output column, for tabs and erasing
  usize canon_column_ = 0;  // column where the line being edited started
};

}  // namespace kernel::tty
