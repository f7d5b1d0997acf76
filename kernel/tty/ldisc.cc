#include "kernel/tty/ldisc.h"

#include "kernel/signal/abi.h"

namespace kernel::tty {
namespace {

bool IsControl(u8 c) { return c < 0x20 || c == 0x7f; }
bool IsWordChar(u8 c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsUtf8Continuation(u8 c) { return (c & 0xc0) == 0x80; }

}  // namespace

void LineDiscipline::SetTermios(const Termios& t) {
  const bool was_canonical = Canonical();
  termios_ = t;
  if (was_canonical && !Canonical()) {
    canon_end_ = count_;
  } else if (!was_canonical && Canonical() && count_ > 0) {
    // What was typed in raw mode becomes one line the next read returns.
    flags_[(head_ + count_ - 1) % kBufferSize] |= kLineEnd;
    canon_end_ = count_;
  }
  if ((termios_.iflag & kIXon) == 0) output_stopped_ = false;
}

void LineDiscipline::Put(u8 c, u8 flags) {
  usize at = (head_ + count_) % kBufferSize;
  buf_[at] = c;
  flags_[at] = flags;
  ++count_;
  if (!Canonical()) canon_end_ = count_;
}

void LineDiscipline::DropLast() {
  --count_;
  if (canon_end_ > count_) canon_end_ = count_;
}

void LineDiscipline::EndLine() {
  canon_end_ = count_;
  canon_column_ = column_;
}

void LineDiscipline::FlushInput() {
  head_ = count_ = canon_end_ = 0;
  lnext_ = false;
  canon_column_ = column_;
}

bool LineDiscipline::Readable() const { return Canonical() ? canon_end_ > 0 : count_ > 0; }

usize LineDiscipline::ReadableBytes() const {
  if (!Canonical()) return count_;
  usize n = 0;
  for (usize i = 0; i < canon_end_; ++i) {
    if ((FlagsAt(i) & kEofMark) == 0) ++n;
  }
  return n;
}

usize LineDiscipline::Read(u8* out, usize n) {
  usize copied = 0;
  if (!Canonical()) {
    while (copied < n && count_ > 0) {
      u8 c = At(0);
      bool eof = (FlagsAt(0) & kEofMark) != 0;
      head_ = (head_ + 1) % kBufferSize;
      --count_;
      --canon_end_;
      if (!eof) out[copied++] = c;
    }
    return copied;
  }
  while (canon_end_ > 0) {
    u8 c = At(0);
    u8 f = FlagsAt(0);
    if ((f & kEofMark) == 0) {
      if (copied == n) break;
      out[copied++] = c;
    }
    head_ = (head_ + 1) % kBufferSize;
    --count_;
    --canon_end_;
    if ((f & kLineEnd) != 0) break;  // one line per read
  }
  return copied;
}

// ---- output processing [linux n_tty do_output_char] ----

usize LineDiscipline::ProcessOutput(const u8* in, usize n, u8* out, usize cap, usize* produced) {
  const u32 o = termios_.oflag;
  const bool utf8 = (termios_.iflag & kIUtf8) != 0;
  usize used = 0, made = 0;
  for (; used < n; ++used) {
    u8 c = in[used];
    u8 expansion[8];
    usize len = 1;
    expansion[0] = c;
    if ((o & kOPost) != 0) {
      switch (c) {
        case '\n':
          if ((o & kONlRet) != 0) column_ = 0;
          if ((o & kONlCr) != 0) {
            expansion[0] = '\r';
            expansion[1] = '\n';
            len = 2;
            column_ = 0;
          }
          break;
        case '\r':
          if ((o & kONoCr) != 0 && column_ == 0) {
            len = 0;
          } else if ((o & kOCrNl) != 0) {
            expansion[0] = '\n';
            if ((o & kONlRet) != 0) column_ = 0;
          } else {
            column_ = 0;
          }
          break;
        case '\t': {
          usize spaces = 8 - (column_ & 7);
          if ((o & kTabDly) == kXTabs) {
            for (usize i = 0; i < spaces; ++i) expansion[i] = ' ';
            len = spaces;
          }
          column_ += spaces;
          break;
        }
        case '\b':
          if (column_ > 0) --column_;
          break;
        default:
          if (!IsControl(c) && !(utf8 && IsUtf8Continuation(c))) ++column_;
          break;
      }
    } else if (!IsControl(c)) {
      ++column_;
    }
    if (made + len > cap) break;
    for (usize i = 0; i < len; ++i) out[made++] = expansion[i];
  }
  *produced = made;
  return used;
}

// ---- echoing ----

void LineDiscipline::Echo(const u8* s, usize n, Sink& sink) {
  u8 out[64];
  while (n > 0) {
    usize made;
    usize used = ProcessOutput(s, n, out, sizeof(out), &made);
    sink.Output(out, made);
    s += used;
    n -= used;
  }
}

// A character as echo shows it: control characters as ^X with ECHOCTL (except TAB and NL)
// [linux echo_char].
void LineDiscipline::EchoChar(u8 c, Sink& sink) {
  if ((termios_.lflag & kEchoCtl) != 0 && IsControl(c) && c != '\t' && c != '\n') {
    u8 caret[2] = {'^', static_cast<u8>(c ^ 0x40)};
    Echo(caret, 2, sink);
    return;
  }
  Echo(&c, 1, sink);
}

// The output column after echoing the edited line up to (not including) byte `upto`.
usize LineDiscipline::ColumnAfter(usize upto) const {
  usize col = canon_column_;
  const bool ctl = (termios_.lflag & kEchoCtl) != 0;
  const bool utf8 = (termios_.iflag & kIUtf8) != 0;
  for (usize i = canon_end_; i < upto; ++i) {
    u8 c = At(i);
    if (c == '\t') {
      col = (col | 7) + 1;
    } else if (IsControl(c)) {
      if (ctl) col += 2;
    } else if (!(utf8 && IsUtf8Continuation(c))) {
      ++col;
    }
  }
  return col;
}

// Visually erases the character at index `at` (already removed from the buffer's count).
void LineDiscipline::EchoErase(usize at, Sink& sink) {
  static const u8 kRubout[3] = {'\b', ' ', '\b'};
  u8 c = At(at);
  if (c == '\t') {
    usize col = ColumnAfter(at);
    while (column_ > col) Echo(reinterpret_cast<const u8*>("\b"), 1, sink);
    return;
  }
  if (IsControl(c)) {
    if ((termios_.lflag & kEchoCtl) != 0) {
      Echo(kRubout, 3, sink);
      Echo(kRubout, 3, sink);
    }
    return;
  }
  Echo(kRubout, 3, sink);
}

// ERASE, WERASE and KILL [linux n_tty eraser].
void LineDiscipline::Erase(u8 c, Sink& sink) {
  const u32 l = termios_.lflag;
  const bool echo = (l & kEcho) != 0;
  const bool kill = Is(c, kVKill);
  const bool werase = Is(c, kVWerase) && !kill && !Is(c, kVErase);
  if (count_ == canon_end_) return;  // nothing to erase on this line
  if (kill && echo && ((l & kEchoK) == 0 || (l & kEchoKe) == 0 || (l & kEchoE) == 0)) {
    count_ = canon_end_;
    EchoChar(c, sink);
    if ((l & kEchoK) != 0) Echo(reinterpret_cast<const u8*>("\n"), 1, sink);
    canon_column_ = column_;
    return;
  }
  if (echo && !kill && (l & kEchoE) == 0) {
    // No visual erase: show the erase character itself.
    DropLast();
    EchoChar(c, sink);
    return;
  }
  bool seen_word = false;
  const bool utf8 = (termios_.iflag & kIUtf8) != 0;
  while (count_ > canon_end_) {
    u8 last = At(count_ - 1);
    if (werase) {
      if (IsWordChar(last)) {
        seen_word = true;
      } else if (seen_word) {
        break;
      }
    }
    DropLast();
    // A UTF-8 character goes as a whole, continuation bytes and all.
    while (utf8 && IsUtf8Continuation(last) && count_ > canon_end_) {
      last = At(count_ - 1);
      DropLast();
    }
    if (echo) EchoErase(count_, sink);
    if (!kill && !werase) break;
  }
}

void LineDiscipline::Reprint(Sink& sink) {
  EchoChar(termios_.cc[kVReprint], sink);
  Echo(reinterpret_cast<const u8*>("\n"), 1, sink);
  canon_column_ = column_;
  for (usize i = canon_end_; i < count_; ++i) EchoChar(At(i), sink);
}

// ---- input [linux n_tty_receive_char_special] ----

void LineDiscipline::Receive(u8 c, Sink& sink) {
  const u32 i = termios_.iflag;
  const u32 l = termios_.lflag;
  const bool echo = (l & kEcho) != 0;
  if ((i & kIStrip) != 0) c &= 0x7f;

  if (lnext_) {
    lnext_ = false;
    if (echo) Echo(reinterpret_cast<const u8*>("\b"), 1, sink);  // over the '^' shown
    if (Full()) return;
    Put(c, 0);
    if (echo) EchoChar(c, sink);
    return;
  }

  if ((i & kIXon) != 0) {
    if (Is(c, kVStart)) {
      output_stopped_ = false;
      sink.OutputStopped(false);
      return;
    }
    if (Is(c, kVStop)) {
      output_stopped_ = true;
      sink.OutputStopped(true);
      return;
    }
    if (output_stopped_ && (i & kIXany) != 0) {
      output_stopped_ = false;
      sink.OutputStopped(false);
    }
  }

  if ((l & kISig) != 0) {
    int sig = Is(c, kVIntr)   ? signal::kSigInt
              : Is(c, kVQuit) ? signal::kSigQuit
              : Is(c, kVSusp) ? signal::kSigTstp
                              : 0;
    if (sig != 0) {
      if ((l & kNoFlsh) == 0) {
        FlushInput();
        sink.FlushOutput();
      }
      if ((i & kIXon) != 0 && output_stopped_) {
        output_stopped_ = false;
        sink.OutputStopped(false);
      }
      if (echo) EchoChar(c, sink);
      canon_column_ = column_;
      sink.Signal(sig);
      return;
    }
  }

  if (c == '\r') {
    if ((i & kIgnCr) != 0) return;
    if ((i & kICrNl) != 0) c = '\n';
  } else if (c == '\n' && (i & kInlCr) != 0) {
    c = '\r';
  }

  if (Canonical()) {
    if (Is(c, kVErase) || Is(c, kVKill) || (Is(c, kVWerase) && (l & kIExten) != 0)) {
      Erase(c, sink);
      return;
    }
    if (Is(c, kVLnext) && (l & kIExten) != 0) {
      lnext_ = true;
      if (echo && (l & kEchoCtl) != 0) Echo(reinterpret_cast<const u8*>("^"), 1, sink);
      return;
    }
    if (Is(c, kVReprint) && echo && (l & kIExten) != 0) {
      Reprint(sink);
      return;
    }
    const bool eof = Is(c, kVEof);
    const bool eol = c == '\n' || Is(c, kVEol) || (Is(c, kVEol2) && (l & kIExten) != 0);
    if (eof || eol) {
      if (count_ >= kBufferSize) return;
      if (eof) {
        Put(c, kLineEnd | kEofMark);  // not echoed, never read
      } else {
        if (echo || (c == '\n' && (l & kEchoNl) != 0)) EchoChar(c, sink);
        Put(c, kLineEnd);
      }
      EndLine();
      return;
    }
  }

  if (Full()) return;  // no room: the byte is lost, as on Linux
  if (echo) EchoChar(c, sink);
  Put(c, 0);
}

}  // namespace kernel::tty
