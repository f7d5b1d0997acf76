#include "kernel/fs/synth/synth.h"

#include "kernel/fs/path.h"
#include "kernel/fs/time.h"
#include "kernel/lib/alloc.h"

namespace kernel::fs::synth {

SynthInode::SynthInode(SuperBlock& sb, u64 ino, u32 mode, u32 uid, u32 gid)
    : Inode(sb, ino, mode, uid, gid) {
  set_times(CurrentTime());
}

Result<usize> TextInode::Store(lib::string_view) { return Errno::kEINVAL; }

Result<lib::RefPtr<File>> TextInode::Open(const Path& path, u32 flags, const Actor& actor) {
  lib::String text;
  u32 acc = flags & o::kAccMode;
  if (acc == o::kRdOnly || acc == o::kRdWr) {
    lib::StringBuilder out;
    TRY(Generate(out, actor));
    text = TRY(out.Finish());
  }
  return MakeFile<TextFile>(path, lib::RefPtr<Inode>(this), flags, lib::move(text));
}

Result<usize> FnTextInode::Store(lib::string_view text) {
  if (store_ == nullptr) return Errno::kEINVAL;
  return store_(text, arg_);
}

Result<LinkTarget> FixedLinkInode::GetLink(const Actor&) {
  LinkTarget t;
  t.text = TRY(target_.TryClone());
  return t;
}

Result<lib::RefPtr<Inode>> TableDir::Lookup(lib::string_view name) {
  for (usize i = 0; i < entries_.size(); ++i) {
    if (name == entries_[i].name)
      return entries_[i].make(sb(), ChildIno(ino(), i), entries_[i], arg_);
  }
  return LookupExtra(name);
}

Result<void> TableDir::ReadDir(u64& cookie, DirSink& sink) {
  if (!EmitDots(sink, cookie, ino(), ino())) return Ok();
  for (; cookie < 2 + entries_.size(); ++cookie) {
    const Entry& e = entries_[cookie - 2];
    if (!sink.Emit(e.name, ChildIno(ino(), cookie - 2), DirentType(e.mode), cookie + 1)) {
      return Ok();
    }
  }
  u64 index = cookie - 2 - entries_.size();
  Result<void> r = ReadDirExtra(index, sink);
  cookie = CookieOf(index);
  return r;
}

Result<lib::RefPtr<Inode>> TableDir::MakeText(SuperBlock& sb, u64 ino, const Entry& e, i64 arg) {
  Inode* inode = TRY(lib::TryNew<FnTextInode>(sb, ino, e.mode, e.gen, e.store, arg));
  return lib::AdoptRef(inode);
}

TextFile::TextFile(const Path& path, lib::RefPtr<Inode> inode, u32 flags, lib::String text)
    : File(FileKind::kSynthetic, path, lib::move(inode), flags), text_(lib::move(text)) {}

Result<usize> TextFile::Read(const IoBuffer& buf, u64& offset) {
  if (offset >= text_.size()) return usize{0};
  usize n = text_.size() - offset;
  if (n > buf.size()) n = buf.size();
  TRY(buf.Write(0, text_.data() + offset, n));
  offset += n;
  return n;
}

Result<usize> TextFile::Write(const IoBuffer& buf, u64& offset) {
  // One write is one value, at most a page, as proc_sys writes are [kernel/sysctl.c].
  usize n = buf.size() < kPageSize ? buf.size() : kPageSize;
  char* page = static_cast<char*>(lib::Allocate(n + 1));
  if (page == nullptr) return Errno::kENOMEM;
  Result<void> copied = buf.Read(0, page, n);
  Result<usize> used = copied.is_error()
                           ? Result<usize>(copied.error())
                           : static_cast<TextInode*>(inode())->Store(lib::string_view(page, n));
  lib::Free(page);
  if (used.ok()) offset += used.value();
  return used;
}

Result<u64> TextFile::Seek(i64 offset, int whence) {
  i64 base;
  switch (whence) {
    case kSeekSet:
      base = 0;
      break;
    case kSeekCur:
      base = static_cast<i64>(pos_);
      break;
    case kSeekEnd:
      base = static_cast<i64>(text_.size());
      break;
    default:
      return Errno::kEINVAL;
  }
  i64 target;
  if (__builtin_add_overflow(base, offset, &target) || target < 0) return Errno::kEINVAL;
  pos_ = static_cast<u64>(target);
  return pos_;
}

}  // namespace kernel::fs::synth
