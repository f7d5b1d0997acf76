#pragma once
/// What travels through a socket: a Message (Linux's sk_buff as af_unix uses it) carries bytes,
/// the sender's credentials, and the open files of an SCM_RIGHTS message while they are in
/// flight. A receive queue is a list of Messages; a stream socket reads across them and marks
/// how much of the first one it has consumed, a datagram socket takes one whole.
///
/// In flight, a Message holds a reference to each file it carries, so a descriptor that the
/// sender closes right after sendmsg stays open until the receiver takes it, and dropping the
/// message (the receiver closes its socket unread) closes what it carried.
#include "kernel/fs/file.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/vector.h"
#include "kernel/net/abi.h"

namespace kernel::net {

class UnixSocket;

/// The files of one SCM_RIGHTS message, in order.
using FileList = lib::Vector<lib::RefPtr<fs::File>>;

/// What sendmsg's control buffer asked for, after parsing and checking.
struct Ancillary {
  FileList files;          ///< SCM_RIGHTS
  bool has_creds = false;  ///< SCM_CREDENTIALS given explicitly
  UCred creds{};
};

/// What recvmsg hands back besides the bytes.
struct Received {
  u32 msg_flags = 0;       ///< MSG_TRUNC, MSG_CTRUNC (the caller may add MSG_CTRUNC)
  bool has_creds = false;  ///< SO_PASSCRED was on: creds holds the sender's
  UCred creds{};
  FileList files;  ///< SCM_RIGHTS to install
  SockAddr from;   ///< the sender's address (len 0: unnamed, or not asked for)
};

class Message {
 public:
  /// A message of `len` bytes (not yet filled). ENOMEM.
  static Result<Message*> Create(usize len);
  /// Frees it: drops the files it carries and returns its charge to the sender.
  static void Destroy(Message* m);

  // Use Create and Destroy; these are public only for lib::TryNew/lib::Delete.
  Message() = default;
  ~Message();
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  u8* data() { return data_; }
  usize size() const { return size_; }
  /// Bytes a stream reader has not consumed yet.
  usize unread() const { return size_ - consumed_; }
  usize consumed() const { return consumed_; }
  void Consume(usize n) { consumed_ += n; }

  UCred creds{};
  /// The files in flight (SCM_RIGHTS). Set and taken through these so the garbage collector
  /// (unix_gc.cc) knows which sockets are in flight.
  const FileList& files() const { return files_; }
  bool has_files() const { return !files_.empty(); }
  void SetFiles(FileList&& files);
  FileList TakeFiles();
  /// The sending socket (for its address and its send-buffer accounting); may be null.
  lib::RefPtr<UnixSocket> sender;
  /// What was charged to sender's send buffer.
  usize charge = 0;
  lib::ListNode node;

 private:
  u8* data_ = nullptr;
  usize size_ = 0;
  usize consumed_ = 0;
  FileList files_;
};

using MessageQueue = lib::IntrusiveList<Message, &Message::node>;

/// Destroys every message of `q`.
void Purge(MessageQueue& q);

}  // namespace kernel::net
