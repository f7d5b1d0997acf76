#include "kernel/net/message.h"

#include "kernel/lib/alloc.h"
#include "kernel/net/unix_socket.h"

namespace kernel::net {

Result<Message*> Message::Create(usize len) {
  Message* m = TRY(lib::TryNew<Message>());
  if (len > 0) {
    m->data_ = static_cast<u8*>(lib::Allocate(len));
    if (m->data_ == nullptr) {
      lib::Delete(m);
      return Errno::kENOMEM;
    }
  }
  m->size_ = len;
  return m;
}

Message::~Message() { lib::Free(data_); }

void Message::Destroy(Message* m) {
  // Files first: closing one may release a socket, which must not find this message half
  // torn down. The sender learns its buffer has room last.
  (void)m->TakeFiles();
  lib::RefPtr<UnixSocket> sender = lib::move(m->sender);
  usize charge = m->charge;
  lib::Delete(m);
  if (sender) sender->Uncharge(charge);
}

void Message::SetFiles(FileList&& files) {
  files_ = lib::move(files);
  AccountInFlight(files_, /*add=*/true);
}

FileList Message::TakeFiles() {
  AccountInFlight(files_, /*add=*/false);
  FileList out = lib::move(files_);
  files_ = FileList();
  return out;
}

void Purge(MessageQueue& q) {
  while (Message* m = q.PopFront()) Message::Destroy(m);
}

}  // namespace kernel::net
