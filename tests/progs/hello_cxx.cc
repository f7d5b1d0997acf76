// A static glibc C++ program: iostreams, exceptions and static constructors all work.
#include <iostream>
#include <stdexcept>
#include <string>

namespace {
struct Greeter {
  std::string greeting = "hello from static glibc C++";
};
Greeter g_greeter;  // a static constructor runs before main
}  // namespace

int main() {
  try {
    throw std::runtime_error(g_greeter.greeting);
  } catch (const std::exception& e) {
    std::cout << e.what() << std::endl;
  }
  return 0;
}
