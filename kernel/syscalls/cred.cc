#include "kernel/syscalls/cred.h"

namespace kernel::syscalls {
namespace {

constexpr u32 kUnchanged = ~u32{0};  // (uid_t)-1: leave this id alone
constexpr int kNgroupsMax = 65536;   // NGROUPS_MAX [linux include/uapi/linux/limits.h]

bool Privileged(const proc::Credentials& c) { return c.euid == 0; }
bool OneOf(u32 v, u32 a, u32 b, u32 c) { return v == a || v == b || v == c; }

// The three-id update shared by setresuid and setresgid: each new id (unless -1) must be one
// of the current real, effective or saved ids, unless privileged.
template <typename Id>
Result<void> SetRes(Id& r, Id& e, Id& s, Id& fs, bool privileged, u32 nr, u32 ne, u32 ns) {
  if (!privileged) {
    for (u32 v : {nr, ne, ns}) {
      if (v != kUnchanged && !OneOf(v, r, e, s)) return Errno::kEPERM;
    }
  }
  if (nr != kUnchanged) r = nr;
  if (ne != kUnchanged) e = ne;
  if (ns != kUnchanged) s = ns;
  fs = e;
  return Ok();
}

// setreuid/setregid [man 2 setreuid]: the real id may become the real or effective one, the
// effective id the real, effective or saved one; the saved id follows the new effective id
// when the real id is set or the effective id moves away from the old real id.
template <typename Id>
Result<void> SetRe(Id& r, Id& e, Id& s, Id& fs, bool privileged, u32 nr, u32 ne) {
  const Id old_r = r;
  if (!privileged) {
    if (nr != kUnchanged && nr != r && nr != e) return Errno::kEPERM;
    if (ne != kUnchanged && !OneOf(ne, r, e, s)) return Errno::kEPERM;
  }
  if (nr != kUnchanged) r = nr;
  if (ne != kUnchanged) e = ne;
  if (nr != kUnchanged || (ne != kUnchanged && ne != old_r)) s = e;
  fs = e;
  return Ok();
}

}  // namespace

// uid_t getuid(void); geteuid(void); gid_t getgid(void); getegid(void);   [man 2 getuid]
Result<u32> sys_getuid(Task& task) { return task.credentials().uid; }
Result<u32> sys_geteuid(Task& task) { return task.credentials().euid; }
Result<u32> sys_getgid(Task& task) { return task.credentials().gid; }
Result<u32> sys_getegid(Task& task) { return task.credentials().egid; }

// int setuid(uid_t uid);   [man 2 setuid]
Result<void> sys_setuid(Task& task, u32 uid) {
  proc::Credentials& c = task.credentials();
  if (uid == kUnchanged) return Errno::kEINVAL;
  if (Privileged(c)) {
    c.uid = c.euid = c.suid = c.fsuid = uid;
    return Ok();
  }
  if (uid != c.uid && uid != c.suid) return Errno::kEPERM;
  c.euid = c.fsuid = uid;
  return Ok();
}

// int setgid(gid_t gid);   [man 2 setgid]
Result<void> sys_setgid(Task& task, u32 gid) {
  proc::Credentials& c = task.credentials();
  if (gid == kUnchanged) return Errno::kEINVAL;
  if (Privileged(c)) {
    c.gid = c.egid = c.sgid = c.fsgid = gid;
    return Ok();
  }
  if (gid != c.gid && gid != c.sgid) return Errno::kEPERM;
  c.egid = c.fsgid = gid;
  return Ok();
}

// int setreuid(uid_t ruid, uid_t euid);   [man 2 setreuid]
Result<void> sys_setreuid(Task& task, u32 ruid, u32 euid) {
  proc::Credentials& c = task.credentials();
  proc::Credentials next = c;
  TRY(SetRe(next.uid, next.euid, next.suid, next.fsuid, Privileged(c), ruid, euid));
  c = next;
  return Ok();
}

// int setregid(gid_t rgid, gid_t egid);   [man 2 setregid]
Result<void> sys_setregid(Task& task, u32 rgid, u32 egid) {
  proc::Credentials& c = task.credentials();
  proc::Credentials next = c;
  TRY(SetRe(next.gid, next.egid, next.sgid, next.fsgid, Privileged(c), rgid, egid));
  c = next;
  return Ok();
}

// int setresuid(uid_t ruid, uid_t euid, uid_t suid);   [man 2 setresuid]
Result<void> sys_setresuid(Task& task, u32 ruid, u32 euid, u32 suid) {
  proc::Credentials& c = task.credentials();
  proc::Credentials next = c;
  TRY(SetRes(next.uid, next.euid, next.suid, next.fsuid, Privileged(c), ruid, euid, suid));
  c = next;
  return Ok();
}

// int setresgid(gid_t rgid, gid_t egid, gid_t sgid);   [man 2 setresgid]
Result<void> sys_setresgid(Task& task, u32 rgid, u32 egid, u32 sgid) {
  proc::Credentials& c = task.credentials();
  proc::Credentials next = c;
  TRY(SetRes(next.gid, next.egid, next.sgid, next.fsgid, Privileged(c), rgid, egid, sgid));
  c = next;
  return Ok();
}

// int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);   [man 2 getresuid]
Result<void> sys_getresuid(Task& task, UserOut<u32> r, UserOut<u32> e, UserOut<u32> s) {
  const proc::Credentials& c = task.credentials();
  TRY(r.Write(c.uid));
  TRY(e.Write(c.euid));
  return s.Write(c.suid);
}

// int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);   [man 2 getresgid]
Result<void> sys_getresgid(Task& task, UserOut<u32> r, UserOut<u32> e, UserOut<u32> s) {
  const proc::Credentials& c = task.credentials();
  TRY(r.Write(c.gid));
  TRY(e.Write(c.egid));
  return s.Write(c.sgid);
}

// int setfsuid(uid_t fsuid);   [man 2 setfsuid]: always returns the previous fsuid; the
// change happens only when allowed.
Result<u32> sys_setfsuid(Task& task, u32 fsuid) {
  proc::Credentials& c = task.credentials();
  const u32 old = c.fsuid;
  if (fsuid != kUnchanged &&
      (Privileged(c) || fsuid == c.uid || fsuid == c.euid || fsuid == c.suid || fsuid == c.fsuid)) {
    c.fsuid = fsuid;
  }
  return old;
}

// int setfsgid(gid_t fsgid);   [man 2 setfsgid]
Result<u32> sys_setfsgid(Task& task, u32 fsgid) {
  proc::Credentials& c = task.credentials();
  const u32 old = c.fsgid;
  if (fsgid != kUnchanged &&
      (Privileged(c) || fsgid == c.gid || fsgid == c.egid || fsgid == c.sgid || fsgid == c.fsgid)) {
    c.fsgid = fsgid;
  }
  return old;
}

// int getgroups(int size, gid_t list[]);   [man 2 getgroups]
Result<int> sys_getgroups(Task& task, int size, UserOut<u32> list) {
  const proc::Credentials& c = task.credentials();
  if (size < 0) return Errno::kEINVAL;
  const int n = static_cast<int>(c.group_count);
  if (size == 0) return n;
  if (size < n) return Errno::kEINVAL;
  TRY(list.WriteArray(c.groups, c.group_count));
  return n;
}

// int setgroups(size_t size, const gid_t *list);   [man 2 setgroups]
// Aramid keeps up to proc::kMaxGroups groups; more is EINVAL (Linux's limit is 65536).
Result<void> sys_setgroups(Task& task, int size, UserIn<u32> list) {
  proc::Credentials& c = task.credentials();
  if (!Privileged(c)) return Errno::kEPERM;
  if (size < 0 || size > kNgroupsMax) return Errno::kEINVAL;
  if (static_cast<usize>(size) > proc::kMaxGroups) return Errno::kEINVAL;
  Gid groups[proc::kMaxGroups];
  TRY(list.ReadArray(groups, static_cast<usize>(size)));
  // Linux keeps the list sorted (groups_sort) so getgroups returns it in ascending order.
  for (int i = 1; i < size; ++i) {
    for (int j = i; j > 0 && groups[j - 1] > groups[j]; --j) {
      Gid t = groups[j];
      groups[j] = groups[j - 1];
      groups[j - 1] = t;
    }
  }
  for (int i = 0; i < size; ++i) c.groups[i] = groups[i];
  c.group_count = static_cast<u32>(size);
  return Ok();
}

bool ApplyExecCredentials(Task& task, bool set_uid, Uid file_uid, bool set_gid, Gid file_gid) {
  proc::Credentials& c = task.credentials();
  if (set_uid) c.euid = file_uid;
  if (set_gid) c.egid = file_gid;
  c.suid = c.euid;
  c.sgid = c.egid;
  c.fsuid = c.euid;
  c.fsgid = c.egid;
  return c.euid != c.uid || c.egid != c.gid;
}

}  // namespace kernel::syscalls
