/* ----------------------------------------------------------------------------------------
   pair_style nnswift: see pair_nnswift.h.

   Debian LAMMPS 29 Sep 2021 headers are compiled with a fmt shim, so messages go only
   through the plain std::string overloads of error->all/one/warning and utils::logmesg
   (fail_all, fail_one and std::string temporaries; a test checks the driver's symbols).
------------------------------------------------------------------------------------------- */

#include "pair_nnswift.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neigh_list.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include "nnswift.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>

#ifndef NNSWIFT_LAMMPS_MODERN    // platform.h appeared after the 29 Sep 2021 release
#if __has_include("platform.h")
#define NNSWIFT_LAMMPS_MODERN 1
#else
#define NNSWIFT_LAMMPS_MODERN 0
#endif
#endif

using namespace LAMMPS_NS;

namespace {
std::string num(double x)
{
  char buf[32];
  snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

// nnswift's names of the length and energy units of a LAMMPS unit style (nullptr: none, as
// for lj, si, cgs, micro, nano); the factors come from the library.
void lammps_unit_names(const char *style, const char *&length, const char *&energy)
{
  length = energy = nullptr;
  if (strcmp(style, "metal") == 0) length = "angstrom", energy = "eV";
  if (strcmp(style, "real") == 0) length = "angstrom", energy = "kcal/mol";
  if (strcmp(style, "electron") == 0) length = "bohr", energy = "hartree";
}

// adds scale * w (3x3 row-major, the library's order) to v in LAMMPS's order xx yy zz xy xz yz
void add_voigt(double *v, const double *w, double scale)
{
  v[0] += w[0] * scale;
  v[1] += w[4] * scale;
  v[2] += w[8] * scale;
  v[3] += w[1] * scale;
  v[4] += w[2] * scale;
  v[5] += w[5] * scale;
}
}    // namespace

PairNNSwift::PairNNSwift(LAMMPS *lmp) : Pair(lmp)
{
  single_enable = 0;
  restartinfo = 0;
  one_coeff = 1;
  manybody_flag = 1;
  no_virial_fdotr_compute = 1;    // the virial comes from the library
  centroidstressflag = CENTROID_NOTAVAIL;
}

PairNNSwift::~PairNNSwift()
{
  if (model) nnswift_model_free(model);
  nnswift_neighbor_list_free(skin_list);
  if (allocated) {    // LAMMPS 2021 leaves setflag and cutsq unset until then
    memory->destroy(setflag);
    memory->destroy(cutsq);
  }
}

void PairNNSwift::fail_all(const std::string &msg)
{
  error->all(FLERR, "pair_style nnswift: " + msg);
}

void PairNNSwift::fail_one(const std::string &msg)
{
  error->one(FLERR, "pair_style nnswift: " + msg);
}

std::string PairNNSwift::api_error()
{
  const char *e = nnswift_last_error();
  return (e && *e) ? e : "(no message)";
}

/* ----------------------------------------------------------------------
   pair_style nnswift [extrapolation warn|ignore|error] [length_factor|cflength X]
                      [energy_factor|cfenergy Y] [threads N]
------------------------------------------------------------------------- */

void PairNNSwift::settings(int narg, char **arg)
{
  extrapolation = EXTRAP_WARN;
  user_factor[0] = user_factor[1] = 0.0;
  nthreads = 0;
  for (int iarg = 0; iarg < narg; iarg += 2) {
    const std::string key(arg[iarg]), val(iarg + 1 < narg ? arg[iarg + 1] : "");
    if (iarg + 1 >= narg || (key != "extrapolation" && key != "threads" && key != "length_factor" &&
                             key != "cflength" && key != "energy_factor" && key != "cfenergy"))
      fail_all("usage: pair_style nnswift [extrapolation warn|ignore|error] [length_factor|cflength "
               "X] [energy_factor|cfenergy Y] [threads N] (" +
               (iarg + 1 >= narg ? "keyword '" + key + "' needs a value)" : "unknown keyword '" + key + "')"));
    if (key == "extrapolation") {
      if (val != "warn" && val != "ignore" && val != "error")
        fail_all("extrapolation must be warn, ignore or error, not '" + val + "'");
      extrapolation = val == "warn" ? EXTRAP_WARN : val == "ignore" ? EXTRAP_IGNORE : EXTRAP_ERROR;
    } else if (key == "threads") {
      nthreads = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      if (nthreads < 1 || nthreads > 1024)
        fail_all("threads must be an integer in 1..1024, not '" + val + "'");
    } else {
      const double v = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(v > 0.0) || !std::isfinite(v))
        fail_all(key + " must be a positive number, not '" + val + "'");
      user_factor[key == "length_factor" || key == "cflength" ? 0 : 1] = v;
    }
  }
  if (model) update_unit_factors(false);
}

/* ----------------------------------------------------------------------
   pair_coeff * * MODEL ELEMENT_OF_TYPE1 ... (NULL: atoms of that type are not seen)
------------------------------------------------------------------------- */

void PairNNSwift::coeff(int narg, char **arg)
{
  const int ntypes = atom->ntypes;
  if (narg != 3 + ntypes || strcmp(arg[0], "*") != 0 || strcmp(arg[1], "*") != 0)
    error->all(FLERR, "Incorrect args for pair coefficients: pair_coeff * * MODEL needs '* *' and "
               "one element (or NULL) per atom type: " + std::to_string(ntypes) + " types but " +
               std::to_string(narg - 3) + " elements given");
  if (!allocated) {
    allocated = 1;
    memory->create(setflag, ntypes + 1, ntypes + 1, "pair:setflag");
    memory->create(cutsq, ntypes + 1, ntypes + 1, "pair:cutsq");
  }

  // a library of another ABI would, for one, add where this style expects it to write
  if (nnswift_abi_version() != NNSWIFT_ABI_VERSION)
    fail_all("libnnswift has C API version " + std::to_string(nnswift_abi_version()) +
             ", this pair style was built for " + std::to_string(NNSWIFT_ABI_VERSION));
  if (model) nnswift_model_free(model);
  model = nullptr;
  model_path = arg[2];
  if (nnswift_model_load(arg[2], &model) != NNSWIFT_OK || !model)
    fail_all("cannot load model '" + model_path + "': " + api_error());
  if (nnswift_model_cutoff(model, &cutoff_model) != NNSWIFT_OK || !(cutoff_model > 0.0))
    fail_all("model '" + model_path + "' has no positive cutoff: " + api_error());

  map.assign(ntypes + 1, -1);
  for (int i = 1; i <= ntypes; i++) {
    const char *el = arg[2 + i];
    if (strcmp(el, "NULL") != 0 && nnswift_model_element_index(model, el, &map[i]) != NNSWIFT_OK) {
      std::string have;
      const char *s = nullptr;
      for (int e = 0; nnswift_model_element(model, e, &s) == NNSWIFT_OK; e++) have += std::string(" ") + s;
      fail_all("element '" + std::string(el) + "' (atom type " + std::to_string(i) +
               ") is not in model '" + model_path + "' (elements:" + have + ")");
    }
  }
  int count = 0;
  for (int i = 1; i <= ntypes; i++)
    for (int j = i; j <= ntypes; j++) count += setflag[i][j] = map[i] >= 0 && map[j] >= 0;
  if (count == 0) error->all(FLERR, std::string("Incorrect args for pair coefficients: all elements are NULL"));

  update_unit_factors(comm->me == 0);
}

/* ----------------------------------------------------------------------
   model units per LAMMPS unit of one quantity (0 length, 1 energy): the user's factor, else
   the one of the model's declared units
------------------------------------------------------------------------- */

double PairNNSwift::unit_factor(int quantity, const char *lammps_unit, const char *model_unit)
{
  const std::string name = quantity == 0 ? "length" : "energy", key = name + "_factor";
  const std::string n2p2 = quantity == 0 ? "cflength" : "cfenergy";
  const bool declared = strcmp(model_unit, "unknown") != 0;
  double automatic = 0.0;
  if (declared && lammps_unit && nnswift_unit_factor(lammps_unit, model_unit, &automatic) != NNSWIFT_OK)
    fail_all("model " + name + " unit: " + api_error());
  const double user = user_factor[quantity];
  if (user > 0.0 && automatic > 0.0) {
    // the inverse of the declared units' factor is the old meaning of energy_factor (< 0.2)
    if (std::fabs(user * automatic - 1.0) < 1e-6 && std::fabs(automatic - 1.0) > 1e-6)
      fail_all(key + " " + num(user) + " is the inverse of the model's declared units (" +
               num(automatic) + " model units per LAMMPS unit): " + key +
               " is model units per LAMMPS unit, as n2p2's " + n2p2);
    if (std::fabs(user / automatic - 1.0) > 1e-6 && comm->me == 0)
      error->warning(FLERR, "pair_style nnswift: " + key + " " + num(user) +
                     " overrides the model's declared units (" + num(automatic) + ")");
  }
  if (user > 0.0) return user;
  if (automatic > 0.0) return automatic;
  if (!declared)
    fail_all("model '" + model_path + "' declares " + name + " unit 'unknown'; give '" + key +
             " X' (or n2p2's '" + n2p2 + " X') in pair_style (X = model " + name +
             " units per LAMMPS " + name + " unit)");
  fail_all(std::string("no automatic unit conversion for 'units ") + update->unit_style +
           "'; give 'length_factor X energy_factor Y' in pair_style");
}

void PairNNSwift::update_unit_factors(bool report)
{
  const char *len = nullptr, *en = nullptr, *lmp_len, *lmp_en;
  if (nnswift_model_units(model, &len, &en) != NNSWIFT_OK || !len || !en)
    fail_all("model units: " + api_error());
  lammps_unit_names(update->unit_style, lmp_len, lmp_en);
  lfac = unit_factor(0, lmp_len, len);
  efac = 1.0 / unit_factor(1, lmp_en, en);
  if (report)
    utils::logmesg(lmp, "pair_style nnswift: model " + model_path + " (units " + len + "/" + en +
                   ", cutoff " + num(cutoff_model) + "), LAMMPS units " + update->unit_style +
                   ": length_factor " + num(lfac) + ", energy_factor " + num(1.0 / efac) +
                   " (model units per LAMMPS unit), cutoff " + num(cutoff_model / lfac) + "\n");
}

/* ---------------------------------------------------------------------- */

void PairNNSwift::init_style()
{
  if (!model) fail_all("pair_coeff * * MODEL ELEMENT... has not been given");
  // Forces on ghost atoms reach their owners through LAMMPS's reverse communication, which
  // runs with newton on only (as for pair_style pace, snap, tersoff and n2p2's hdnnp).
  if (force->newton_pair == 0)
    fail_all("requires newton pair on (newton on): forces on ghost atoms are summed to their "
             "owners by LAMMPS's reverse communication");

  // threads per rank (process-wide): the keyword, else the library's default
  int nt = nthreads;
  if (nt > 0 ? nnswift_set_num_threads(nt) != NNSWIFT_OK : nnswift_get_num_threads(&nt) != NNSWIFT_OK)
    fail_all("number of threads: " + api_error());
  if (comm->me == 0)
    utils::logmesg(lmp, "pair_style nnswift: " + std::to_string(nt) + " thread(s) per MPI rank\n");

  // LAMMPS 2025: a full list, handed to the library. LAMMPS 2021 (Debian) installs no
  // neigh_request.h, so no full list can be requested there: the library builds one with the
  // same skin, kept until LAMMPS reneighbors (compute).
#if NNSWIFT_LAMMPS_MODERN
  neighbor->add_request(this, NeighConst::REQ_FULL);
#endif
  skin_list_build = -1;    // a new run may come with new atoms
}

double PairNNSwift::init_one(int i, int j)
{
  if (setflag[i][j] == 0) error->all(FLERR, std::string("All pair coeffs are not set"));
  return cutoff_model / lfac;
}

/* ---------------------------------------------------------------------- */

void PairNNSwift::compute(int eflag, int vflag)
{
  ev_init(eflag, vflag);
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  double **x = atom->x, **f = atom->f;
  if ((int) atom_index.size() < nall) {
    try {
      atom_index.resize(atom->nmax), atom_species.resize(atom->nmax), energies.resize(atom->nmax);
      positions.resize(3 * (size_t) atom->nmax), forces.resize(3 * (size_t) atom->nmax);
      virials.resize(9 * (size_t) atom->nmax);
    } catch (std::bad_alloc &) {
      fail_one("out of memory for " + std::to_string(atom->nmax) + " atoms");
    }
  }

  // atoms of mapped types in LAMMPS order (owned first), positions in model units
  int n = 0, nl = 0;
  for (int i = 0; i < nall; i++) {
    if (map[atom->type[i]] < 0) continue;
    nl += i < nlocal;
    atom_index[n] = i;
    atom_species[n] = map[atom->type[i]];
    for (int a = 0; a < 3; a++) positions[3 * n + a] = x[i][a] * lfac;
    n++;
  }
  if (nl == 0) return;

  // LAMMPS's full list (indexed by LAMMPS atom; LAMMPS 2025 only, `list` is unset in 2021) is
  // the library's when every atom is mapped and the indices carry no special-bond bits (atomic
  // system); else the library's skin list.
  const bool host_list = NNSWIFT_LAMMPS_MODERN && list && n == nall && atom->molecular == 0 &&
      list->inum == nlocal;
  const int *numneigh = nullptr;
  const int *const *firstneigh = nullptr;
  if (host_list) {
    numneigh = list->numneigh, firstneigh = list->firstneigh;
  } else {
    if (!skin_list || skin_list_build != neighbor->ncalls || skin_list_n != n || skin_list_nl != nl) {
      nnswift_neighbor_list_free(skin_list);
      skin_list = nullptr;
      if (nnswift_neighbor_list_build(nl, n, positions.data(), cutoff_model + neighbor->skin * lfac,
                                      &skin_list) != NNSWIFT_OK)
        fail_one("nnswift_neighbor_list_build failed on rank " + std::to_string(comm->me) + ": " + api_error());
      skin_list_build = neighbor->ncalls, skin_list_n = n, skin_list_nl = nl;
    }
    int32_t centers = 0;
    if (nnswift_neighbor_list_rows(skin_list, &centers, &numneigh, &firstneigh) != NNSWIFT_OK || centers != nl)
      fail_one("nnswift_neighbor_list_rows failed on rank " + std::to_string(comm->me) + ": " + api_error());
  }
  double energy = 0.0, w[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  int64_t nextrap = 0;    // the library writes every output; the host adds them below
  if (nnswift_compute_local(model, nl, n - nl, positions.data(), atom_species.data(), numneigh, firstneigh,
                            &energy, forces.data(), vflag_global ? w : nullptr,
                            eflag_atom ? energies.data() : nullptr,
                            vflag_atom ? virials.data() : nullptr, &nextrap) != NNSWIFT_OK)
    fail_one("nnswift_compute_local failed on rank " + std::to_string(comm->me) + ": " + api_error());

  // reported by the rank that saw it: no collective communication per step
  if (nextrap > 0 && extrapolation != EXTRAP_IGNORE) {
    const std::string msg = std::to_string((long long) nextrap) + " extrapolated symmetry-function values " +
        "(outside the training range) at step " + std::to_string((long long) update->ntimestep) +
        " on rank " + std::to_string(comm->me);
    if (extrapolation == EXTRAP_ERROR) fail_one(msg + " (pair_style nnswift extrapolation error)");
    error->warning(FLERR, "pair_style nnswift: " + msg);
  }

  // tally in LAMMPS units; LAMMPS sums ghost forces and per-atom virials to their owners
  const double ffac = efac * lfac;
  if (eflag_global) eng_vdwl += energy * efac;
  if (vflag_global) add_voigt(virial, w, efac);
  for (int k = 0; k < n; k++)
    for (int a = 0; a < 3; a++) f[atom_index[k]][a] += forces[3 * k + a] * ffac;
  if (eflag_atom)
    for (int k = 0; k < nl; k++) eatom[atom_index[k]] += energies[k] * efac;
  if (vflag_atom)
    for (int k = 0; k < n; k++) add_voigt(vatom[atom_index[k]], &virials[9 * (size_t) k], efac);
}

double PairNNSwift::memory_usage()
{
  return Pair::memory_usage() + (double) atom_index.size() * (2 * sizeof(int) + 16 * sizeof(double));
}
