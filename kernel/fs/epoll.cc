#include "kernel/fs/epoll.h"

#include "kernel/fs/anon_inode.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/time/timer.h"

namespace kernel::fs {
namespace {

// Bits of epoll_event.events that are flags rather than events.
constexpr u32 kFlagBits = ev::kEdge | ev::kOneShot | ev::kWakeUp | ev::kExclusive;

class EpollFile;

struct Item {
  EpollFile* owner;
  int fd;
  File* file;  // not a reference: the item dies with the file (release hook)
  u32 events;  // interest, with ev::kErr | ev::kHup always added
  u64 data;
  bool disabled = false;  // EPOLLONESHOT fired
  PollQueue::Entry entry;
  FileReleaseHook hook;
  lib::ListNode item_node;
  lib::ListNode ready_node;
};

class EpollFile final : public File {
 public:
  explicit EpollFile(lib::RefPtr<Inode> inode)
      : File(FileKind::kEpoll, Path{}, lib::move(inode), o::kRdOnly) {}

  ~EpollFile() override {
    while (Item* it = items_.PopFront()) Destroy(*it, /*file_alive=*/true);
  }

  bool seekable() const override { return false; }
  Result<u64> Seek(i64, int) override { return Errno::kESPIPE; }
  Result<usize> Read(const IoBuffer&, u64&) override { return Errno::kEINVAL; }
  Result<usize> Write(const IoBuffer&, u64&) override { return Errno::kEINVAL; }
  PollQueue* poll_queue() override { return &poll_; }
  Result<lib::String> Describe() const override {
    return lib::String::TryFrom("anon_inode:[eventpoll]");
  }

  // Readable when some ready item really has events (nested epoll).
  u32 Poll() override {
    for (Item& it : ready_) {
      if (it.file->Poll() & it.events) return ev::kReadable;
    }
    return 0;
  }

  Item* Find(int fd, File& file) {
    for (Item& it : items_)
      if (it.fd == fd && it.file == &file) return &it;
    return nullptr;
  }

  // Whether `this` can be reached from the epoll `target` (adding would make a loop).
  bool ReachableFrom(EpollFile& target, int depth) {
    if (&target == this) return true;
    if (depth > 5) return true;  // Linux refuses nesting deeper than EP_MAX_NESTS too
    for (Item& it : target.items_) {
      if (IsEpoll(*it.file) && ReachableFrom(static_cast<EpollFile&>(*it.file), depth + 1)) {
        return true;
      }
    }
    return false;
  }

  Result<void> Ctl(int op, int fd, File& target, const EpollEvent* event) {
    if (&target == this) return Errno::kEINVAL;
    if (target.poll_queue() == nullptr) return Errno::kEPERM;  // not pollable (regular files)
    Item* it = Find(fd, target);
    u32 events = event != nullptr ? event->events : 0;
    // EPOLLEXCLUSIVE: with ADD only, not on an epoll, and with no bits but these
    // [linux fs/eventpoll.c EPOLLEXCLUSIVE_OK_BITS].
    constexpr u32 kExclusiveOk =
        ev::kExclusive | ev::kIn | ev::kOut | ev::kWakeUp | ev::kEdge | ev::kErr | ev::kHup;
    if ((events & ev::kExclusive) &&
        (op == kEpollCtlMod || IsEpoll(target) || (events & ~kExclusiveOk))) {
      return Errno::kEINVAL;
    }
    switch (op) {
      case kEpollCtlAdd: {
        if (it != nullptr) return Errno::kEEXIST;
        if (IsEpoll(target) && ReachableFrom(static_cast<EpollFile&>(target), 0)) {
          return Errno::kELOOP;
        }
        Item* item = TRY(lib::TryNew<Item>());
        item->owner = this;
        item->fd = fd;
        item->file = &target;
        item->events = events | ev::kErr | ev::kHup;
        item->data = event->data;
        item->entry.callback = &OnNotify;
        item->entry.data = item;
        item->hook.on_release = &OnFileRelease;
        items_.PushBack(*item);
        target.AddReleaseHook(item->hook);
        target.poll_queue()->Add(item->entry);
        CheckNow(*item);
        return Ok();
      }
      case kEpollCtlMod:
        if (it == nullptr) return Errno::kENOENT;
        if (it->events & ev::kExclusive) return Errno::kEINVAL;
        it->events = events | ev::kErr | ev::kHup;
        it->data = event->data;
        it->disabled = false;
        CheckNow(*it);
        return Ok();
      case kEpollCtlDel:
        if (it == nullptr) return Errno::kENOENT;
        items_.Remove(*it);
        Destroy(*it, /*file_alive=*/true);
        return Ok();
      default:
        return Errno::kEINVAL;
    }
  }

  Result<usize> Wait(EpollEvent* out, usize max, u64 deadline_ns) {
    for (;;) {
      usize n = Collect(out, max);
      if (n > 0 || deadline_ns == 0) return n;
      Result<void> r =
          deadline_ns == ~u64{0}
              ? wait_.WaitInterruptible([&] { return !ready_.empty(); })
              : wait_.WaitInterruptibleUntil([&] { return !ready_.empty(); }, deadline_ns);
      if (r.is_error()) {
        if (r.error() == Errno::kETIMEDOUT) return Collect(out, max);
        return Errno::kEINTR;  // epoll_wait is never restarted [man 7 signal]
      }
    }
  }

 private:
  static void OnNotify(PollQueue::Entry& entry, u32 hint) {
    Item& it = *static_cast<Item*>(entry.data);
    if (it.disabled || (hint & it.events) == 0) return;
    it.owner->MarkReady(it);
  }

  static void OnFileRelease(FileReleaseHook& hook, File&) {
    Item* it = reinterpret_cast<Item*>(reinterpret_cast<char*>(&hook) - offsetof(Item, hook));
    it->owner->items_.Remove(*it);
    it->owner->Destroy(*it, /*file_alive=*/false);
  }

  void MarkReady(Item& it) {
    if (!it.ready_node.linked()) ready_.PushBack(it);
    wait_.WakeAll();
    poll_.Notify(ev::kReadable);
  }

  void CheckNow(Item& it) {
    if (!it.disabled && (it.file->Poll() & it.events)) MarkReady(it);
  }

  void Destroy(Item& it, bool file_alive) {
    PollQueue::Remove(it.entry);
    if (it.ready_node.linked()) ready_.Remove(it);
    if (file_alive) it.file->RemoveReleaseHook(it.hook);
    lib::Delete(&it);
  }

  // ep_send_events: re-poll each ready item and report those that have events.
  usize Collect(EpollEvent* out, usize max) {
    lib::IntrusiveList<Item, &Item::ready_node> pending;
    while (Item* it = ready_.PopFront()) pending.PushBack(*it);
    usize n = 0;
    while (n < max) {
      Item* it = pending.PopFront();
      if (it == nullptr) break;
      if (it->disabled) continue;
      u32 revents = it->file->Poll() & it->events;
      if (revents == 0) continue;
      out[n].events = revents & ~kFlagBits;
      out[n].data = it->data;
      ++n;
      if (it->events & ev::kOneShot) {
        it->disabled = true;
      } else if (!(it->events & ev::kEdge)) {
        ready_.PushBack(*it);  // level-triggered: still ready until polled otherwise
      }
    }
    // What did not fit stays ready, ahead of the re-queued ones.
    while (Item* it = pending.PopBack()) ready_.PushFront(*it);
    return n;
  }

  lib::IntrusiveList<Item, &Item::item_node> items_;
  lib::IntrusiveList<Item, &Item::ready_node> ready_;
  proc::WaitQueue wait_;
  PollQueue poll_;
};

}  // namespace

Result<lib::RefPtr<File>> CreateEpoll(u32 flags) {
  if (flags & ~o::kCloexec) return Errno::kEINVAL;
  lib::RefPtr<Inode> inode = TRY(CreateAnonInode(0600, 0, 0));
  return MakeFile<EpollFile>(lib::move(inode));
}

Result<void> EpollCtl(File& epoll, int op, int fd, File& target, const EpollEvent* event) {
  if (!IsEpoll(epoll)) return Errno::kEINVAL;
  if (op != kEpollCtlDel && event == nullptr) return Errno::kEFAULT;
  return static_cast<EpollFile&>(epoll).Ctl(op, fd, target, event);
}

Result<usize> EpollWait(File& epoll, EpollEvent* out, usize max, u64 deadline_ns) {
  if (!IsEpoll(epoll)) return Errno::kEINVAL;
  if (max == 0) return Errno::kEINVAL;
  return static_cast<EpollFile&>(epoll).Wait(out, max, deadline_ns);
}

}  // namespace kernel::fs
