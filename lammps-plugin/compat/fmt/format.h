// fmt compatibility shim for building against Debian's LAMMPS (29 Sep 2021) headers.
//
// Debian's liblammps-dev headers include <fmt/format.h> but the package ships no fmt
// headers: LAMMPS bundled its own fmt 7 (symbols in namespace fmt::v7_lmp). Debian's
// libfmt-dev is fmt 9, which lacks fmt::make_args_checked (used in LAMMPS's formatted
// error/logmesg templates). This header sits ahead of the system one on the include path
// (only for the Debian build) and supplies that name, so the headers compile.
//
// The templates that use it must NEVER be instantiated: their out-of-line counterparts in
// liblammps take fmt 7 types. pair_nnswift calls only the plain std::string overloads of
// error->all/one/warning and utils::logmesg.
#ifndef NNSWIFT_FMT_COMPAT_FORMAT_H
#define NNSWIFT_FMT_COMPAT_FORMAT_H

#include_next <fmt/format.h>

#if FMT_VERSION >= 80000
namespace fmt {
template <typename... Args, typename S, typename... T>
inline auto make_args_checked(const S &, T &&...args) -> decltype(fmt::make_format_args(args...))
{
  return fmt::make_format_args(args...);
}
}    // namespace fmt
#endif

#endif
