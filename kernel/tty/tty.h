#pragma once
// TODO(#8): the TTY core; this stub only lets sessions compile.
namespace kernel::tty {
class Tty {
 public:
  void SessionLeaderExited() {}
};
}  // namespace kernel::tty
