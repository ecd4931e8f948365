// Compile-time mapping between C++ signatures and wasm function types: typed host functions
// (Linker::func) and typed calls into wasm (Instance::call, Instance::typed).
// Included by glint.h; not meant to be included alone.
#pragma once
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

namespace glint {
namespace detail {

// Calls f with arguments in slots[0..params) and leaves results in slots[0..results).
// `slots` must hold max(params, results) words. Traps come back as an Error.
Result<void> call_raw(Store& store, Function* f, uint64_t* slots);
Error usage_error(std::string message);

template <class T>
struct WasmType;
template <>
struct WasmType<int32_t> {
  static constexpr ValType type = ValType::I32;
};
template <>
struct WasmType<uint32_t> {
  static constexpr ValType type = ValType::I32;
};
template <>
struct WasmType<int64_t> {
  static constexpr ValType type = ValType::I64;
};
template <>
struct WasmType<uint64_t> {
  static constexpr ValType type = ValType::I64;
};
template <>
struct WasmType<float> {
  static constexpr ValType type = ValType::F32;
};
template <>
struct WasmType<double> {
  static constexpr ValType type = ValType::F64;
};
template <>
struct WasmType<Function*> {
  static constexpr ValType type = ValType::FuncRef;
};
template <>
struct WasmType<bool> {
  static constexpr ValType type = ValType::I32;
};

template <class T>
T from_slot(uint64_t s) {
  if constexpr (std::is_same_v<T, float>) {
    float f;
    uint32_t b = uint32_t(s);
    std::memcpy(&f, &b, 4);
    return f;
  } else if constexpr (std::is_same_v<T, double>) {
    double d;
    std::memcpy(&d, &s, 8);
    return d;
  } else if constexpr (std::is_pointer_v<T>) {
    return reinterpret_cast<T>(uintptr_t(s));
  } else if constexpr (std::is_same_v<T, bool>) {
    return uint32_t(s) != 0;
  } else {
    return T(s);
  }
}

template <class T>
uint64_t to_slot(T v) {
  if constexpr (std::is_same_v<T, float>) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return b;
  } else if constexpr (std::is_same_v<T, double>) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return b;
  } else if constexpr (std::is_pointer_v<T>) {
    return uint64_t(reinterpret_cast<uintptr_t>(v));
  } else if constexpr (sizeof(T) <= 4) {
    return uint32_t(v);  // i32 slots are zero-extended
  } else {
    return uint64_t(v);
  }
}

template <class R>
struct Results {  // a single result, or none
  static void types(std::vector<ValType>& out) {
    if constexpr (!std::is_void_v<R>) out.push_back(WasmType<R>::type);
  }
  static constexpr size_t count = std::is_void_v<R> ? 0 : 1;
  static void store(uint64_t* slots, const R& r) { slots[0] = to_slot(r); }
  static R load(const uint64_t* slots) {
    if constexpr (!std::is_void_v<R>) return from_slot<R>(slots[0]);
  }
};
template <>
struct Results<void> {  // no result (a Results<void> from the primary template is ill-formed)
  static void types(std::vector<ValType>&) {}
  static constexpr size_t count = 0;
  static void load(const uint64_t*) {}
};
template <class... T>
struct Results<std::tuple<T...>> {  // multi-value
  static void types(std::vector<ValType>& out) { (out.push_back(WasmType<T>::type), ...); }
  static constexpr size_t count = sizeof...(T);
  static void store(uint64_t* slots, const std::tuple<T...>& r) {
    [&]<size_t... I>(std::index_sequence<I...>) { ((slots[I] = to_slot(std::get<I>(r))), ...); }
    (std::index_sequence_for<T...>{});
  }
  static std::tuple<T...> load(const uint64_t* slots) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return std::tuple<T...>(from_slot<T>(slots[I])...);
    }
    (std::index_sequence_for<T...>{});
  }
};

template <class R, class... A>
FuncType make_func_type() {
  FuncType t;
  (t.params.push_back(WasmType<std::decay_t<A>>::type), ...);
  Results<R>::types(t.results);
  return t;
}

// Signature deduction for lambdas, function pointers and functors.
template <class T>
struct Callable : Callable<decltype(&T::operator())> {};
template <class C, class R, class... A>
struct Callable<R (C::*)(A...) const> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class C, class R, class... A>
struct Callable<R (C::*)(A...)> : Callable<R (C::*)(A...) const> {};
template <class R, class... A>
struct Callable<R (*)(A...)> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct Callable<R(A...)> : Callable<R (*)(A...)> {};

template <class Tuple>
struct TakesCaller : std::false_type {};
template <class First, class... Rest>
struct TakesCaller<std::tuple<First, Rest...>> : std::is_same<std::remove_cvref_t<First>, Caller> {
};

template <class Tuple>
struct WasmArgs;
template <class... A>
struct WasmArgs<std::tuple<A...>> {
  using type = std::tuple<A...>;
};
template <class... A>
struct WasmArgs<std::tuple<Caller&, A...>> {
  using type = std::tuple<A...>;
};

template <class F, class R, class... A>
bool invoke_host(Caller& caller, uint64_t* slots, F& f) {
  try {
    auto call = [&]<size_t... I>(std::index_sequence<I...>)->decltype(auto) {
      if constexpr (TakesCaller<typename Callable<F>::Args>::value)
        return f(caller, from_slot<std::decay_t<A>>(slots[I])...);
      else
        return f(from_slot<std::decay_t<A>>(slots[I])...);
    };
    if constexpr (std::is_void_v<R>) {
      call(std::index_sequence_for<A...>{});
    } else {
      Results<R>::store(slots, call(std::index_sequence_for<A...>{}));
    }
    return true;
  } catch (TrapError& e) {
    caller.pending = std::move(e);
  } catch (const std::exception& e) {
    caller.pending = TrapError{std::string("host function threw: ") + e.what()};
  }
  return false;
}

template <class F, class R, class ArgsTuple>
struct HostAdapter;
template <class F, class R, class... A>
struct HostAdapter<F, R, std::tuple<A...>> {
  static FuncType type() { return make_func_type<R, A...>(); }
  static bool thunk(Caller& caller, uint64_t* slots, void* data) {
    return invoke_host<F, R, A...>(caller, slots, *static_cast<F*>(data));
  }
};

template <class F>
HostFunc make_host_func(F&& f, std::string name) {
  using Fn = std::decay_t<F>;
  using Sig = Callable<std::conditional_t<std::is_function_v<std::remove_pointer_t<Fn>>,
                                          std::remove_pointer_t<Fn>, Fn>>;
  using Adapter = HostAdapter<Fn, typename Sig::Ret, typename WasmArgs<typename Sig::Args>::type>;
  HostFunc h;
  h.type = Adapter::type();
  h.thunk = &Adapter::thunk;
  h.data = std::make_shared<Fn>(std::forward<F>(f));
  h.name = std::move(name);
  return h;
}

template <class R, class... A>
Result<R> call_typed(Store& store, Function* f, A... args) {
  constexpr size_t n = std::max(sizeof...(A), Results<R>::count);
  uint64_t slots[n == 0 ? 1 : n];
  size_t i = 0;
  ((slots[i++] = to_slot(args)), ...);
  auto r = call_raw(store, f, slots);
  if (!r) return r.error();
  if constexpr (std::is_void_v<R>)
    return Result<void>();
  else
    return Results<R>::load(slots);
}

Error check_signature(const Function* f, const FuncType& expected, std::string_view name);

}  // namespace detail

template <class Sig>
class TypedFunc;
template <class R, class... A>
class TypedFunc<R(A...)> {
 public:
  TypedFunc(Store& s, Function* f) : store_(&s), f_(f) {}
  Result<R> operator()(A... args) const {
    return detail::call_typed<R, A...>(*store_, f_, args...);
  }
  Function* function() const { return f_; }

 private:
  Store* store_;
  Function* f_;
};

template <class F>
Linker& Linker::func(std::string module, std::string name, F&& f) {
  std::string full = module + "." + name;
  return func_raw(std::move(module), std::move(name),
                  detail::make_host_func(std::forward<F>(f), std::move(full)));
}

template <class R, class... A>
Result<R> Instance::call(std::string_view name, A... args) {
  Function* f = func(name);
  if (!f) return detail::usage_error("no exported function '" + std::string(name) + "'");
  FuncType want = detail::make_func_type<R, A...>();
  if (f->type() != want) return detail::check_signature(f, want, name);
  return detail::call_typed<R, A...>(*store_, f, args...);
}

template <class Sig>
Result<TypedFunc<Sig>> Instance::typed(std::string_view name) {
  Function* f = func(name);
  if (!f) return detail::usage_error("no exported function '" + std::string(name) + "'");
  FuncType want = []<class R, class... A>(R (*)(A...)) {
    return detail::make_func_type<R, A...>();
  }(static_cast<Sig*>(nullptr));
  if (f->type() != want) return detail::check_signature(f, want, name);
  return TypedFunc<Sig>(*store_, f);
}

}  // namespace glint
