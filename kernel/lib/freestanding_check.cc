// Compiles every kernel/lib template, fully instantiated, in both builds. Header-only code is
// otherwise only compiled by the host unit tests, where a hosted-only dependency would go
// unnoticed; here the freestanding image build rejects it, and linking aramid.elf proves that
// the runtime (hal/x86_64/runtime.cc) defines every helper the std pieces reach. The
// instantiations are a few kilobytes of code that nothing calls.
#include "kernel/lib/bitmap.h"
#include "kernel/lib/guard.h"
#include "kernel/lib/hash_map.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/intrusive_tree.h"
#include "kernel/lib/mutex.h"
#include "kernel/lib/own_ptr.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/std.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vector.h"

namespace kernel::lib::freestanding_check {

struct Element {
  ListNode node;
  TreeNode tree_node;
  int value = 0;
};
struct Counted : RefCounted<Counted> {
  int value = 0;
};

}  // namespace kernel::lib::freestanding_check

// The std pieces whose checked members call out-of-line helpers.
template class std::basic_string_view<char>;
template class std::optional<kernel::u64>;
template struct std::array<kernel::u8, 4>;

namespace kernel::lib {
template class Vector<int>;
template class OwnPtr<freestanding_check::Element>;
template class RefPtr<freestanding_check::Counted>;
template class IntrusiveList<freestanding_check::Element, &freestanding_check::Element::node>;
template class IntrusiveTree<freestanding_check::Element, &freestanding_check::Element::tree_node>;
template class HashMap<u64, int>;
template class HashMap<String, Vector<int>>;
template class FixedBitmap<100>;
template class Guard<SpinLock>;
template class Guard<Mutex>;
template class Protected<int>;
template class Protected<int, Mutex>;

namespace freestanding_check {
// Function templates are instantiated by use.
[[maybe_unused]] Result<void> UseFunctionTemplates() {
  OwnPtr<Element> own = TRY(TryMakeOwn<Element>());
  RefPtr<Counted> ref = TRY(TryMakeRef<Counted>());
  Vector<int> v;
  TRY(v.TryEmplace(1));
  TRY(v.TryEmplaceAt(0, 2));
  v.EraseIf([](int x) { return x == 1; });
  // A move-only element. Not explicitly instantiated: clang (up to 15 at least) instantiates
  // the members whose constraints it fails, such as TryClone, where g++ rightly does not.
  Vector<String> strings;
  TRY(strings.TryPush(TRY(String::TryFrom("a"))));
  TRY(strings.TryInsert(0, TRY(String::TryFrom("b"))));
  TRY(strings.TryReserve(4));
  TRY(strings.TryShrinkToFit());
  TRY(strings.TryResize(3));
  strings.Erase(0);
  strings.EraseUnordered(0);
  (void)strings.TakeLast();
  strings.EraseIf([](const String& s) { return s.empty(); });
  strings.Clear();
  IntrusiveList<Element, &Element::node> list;
  list.RemoveIf([](const Element& e) { return e.value == 0; });
  HashMap<String, int> names;
  TRY(names.TryInsert(TRY(String::TryFrom("init")), 1));
  TRY(names.TrySet(TRY(String::TryFrom("sh")), 2));
  TRY(names.TryFindOrInsert(TRY(String::TryFrom("sh"))));
  (void)names.Find("init");
  (void)names.Take(string_view("sh"));
  names.EraseIf([](const String&, int& value) { return value == 0; });
  IntrusiveTree<Element, &Element::tree_node> tree;
  tree.Clear([](Element& e) { Delete(&e); });
  Protected<int> counter;
  counter.With([](int& c) { ++c; });
  { auto locked = counter.Lock(); }
  return Ok();
}
}  // namespace freestanding_check
}  // namespace kernel::lib
