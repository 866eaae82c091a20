#include "shapelog/yield_point.h"

namespace shapelog {

namespace detail {
std::atomic<YieldHook*> g_yield_hook{nullptr};
}

void install_yield_hook(YieldHook* hook) {
  detail::g_yield_hook.store(hook, std::memory_order_release);
}

}  // namespace shapelog
