/* ----------------------------------------------------------------------------------------
   pair_style nnswift: see pair_nnswift.h.

   Build notes (Debian LAMMPS 29 Sep 2021): its headers are compiled with a fmt shim, so this
   file must only call the plain std::string overloads of error->all/one/warning and
   utils::logmesg (never pass a string literal directly: that would pick the formatted
   template). All messages go through fail_all/fail_one/std::string temporaries.
------------------------------------------------------------------------------------------- */

#include "pair_nnswift.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neigh_list.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include "nnswift.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mpi.h>
#include <new>

#ifndef NNSWIFT_LAMMPS_MODERN
#if defined(__has_include)
#if __has_include("platform.h")
#define NNSWIFT_LAMMPS_MODERN 1    // platform.h appeared after the 29 Sep 2021 stable release
#endif
#endif
#endif
#ifndef NNSWIFT_LAMMPS_MODERN
#define NNSWIFT_LAMMPS_MODERN 0
#endif

using namespace LAMMPS_NS;

namespace {
std::string fmtnum(double x)
{
  char buf[64];
  snprintf(buf, sizeof buf, "%.10g", x);
  return std::string(buf);
}

// nnswift's names of the length and energy units of the LAMMPS unit styles converted
// automatically (the factors come from the library: nnswift_unit_factor); false for the others
// (lj, si, cgs, micro, nano).
bool lammps_units(const char *style, const char *&length, const char *&energy)
{
  if (strcmp(style, "metal") == 0) {
    length = "angstrom";
    energy = "eV";
  } else if (strcmp(style, "real") == 0) {
    length = "angstrom";
    energy = "kcal/mol";
  } else if (strcmp(style, "electron") == 0) {
    length = "bohr";
    energy = "hartree";
  } else {
    return false;
  }
  return true;
}
}    // namespace

/* ---------------------------------------------------------------------- */

PairNNSwift::PairNNSwift(LAMMPS *lmp) : Pair(lmp)
{
  single_enable = 0;
  restartinfo = 0;
  one_coeff = 1;
  manybody_flag = 1;
  no_virial_fdotr_compute = 1;
  centroidstressflag = CENTROID_NOTAVAIL;
  // own reverse communication of ghost forces (+ per-atom virials) when newton_pair is off
  comm_reverse = 9;
  comm_reverse_off = 9;

  model = nullptr;
  cutoff_model = 0.0;
  extrapolation = EXTRAP_WARN;
  length_factor_user = energy_factor_user = -1.0;
  lfac = efac = 1.0;
  map = nullptr;
  nmax_buf = 0;
  fghost = vghost = nullptr;
  reverse_vatom = 0;
  nthreads = 0;
}

PairNNSwift::~PairNNSwift()
{
  free_model();
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
    delete[] map;
  }
  memory->destroy(fghost);
  memory->destroy(vghost);
}

void PairNNSwift::free_model()
{
  if (model) nnswift_model_free(model);
  model = nullptr;
}

void PairNNSwift::fail_all(const std::string &msg)
{
  error->all(FLERR, msg);
}

void PairNNSwift::fail_one(const std::string &msg)
{
  error->one(FLERR, msg);
}

std::string PairNNSwift::api_error()
{
  const char *e = nnswift_last_error();
  return std::string((e && *e) ? e : "(no message)");
}

/* ---------------------------------------------------------------------- */

void PairNNSwift::allocate()
{
  allocated = 1;
  int n = atom->ntypes;
  memory->create(setflag, n + 1, n + 1, "pair:setflag");
  memory->create(cutsq, n + 1, n + 1, "pair:cutsq");
  for (int i = 0; i <= n; i++)
    for (int j = 0; j <= n; j++) setflag[i][j] = 0, cutsq[i][j] = 0.0;
  map = new int[n + 1];
  for (int i = 0; i <= n; i++) map[i] = -1;
}

/* ----------------------------------------------------------------------
   pair_style nnswift [extrapolation warn|ignore|error] [length_factor X] [energy_factor Y]
   X, Y: model units per LAMMPS unit; cflength/cfenergy are n2p2's names for the same factors
   threads N: threads per MPI rank for the library (default: NNSWIFT_NUM_THREADS / OMP_NUM_THREADS)
------------------------------------------------------------------------- */

void PairNNSwift::settings(int narg, char **arg)
{
  extrapolation = EXTRAP_WARN;
  length_factor_user = energy_factor_user = -1.0;
  nthreads = 0;
  const std::string usage =
      "Illegal pair_style nnswift command; usage: pair_style nnswift "
      "[extrapolation warn|ignore|error] [length_factor|cflength X] [energy_factor|cfenergy Y] [threads N]";
  int iarg = 0;
  while (iarg < narg) {
    std::string key(arg[iarg]);
    if (iarg + 1 >= narg) fail_all(usage + " (keyword '" + key + "' needs a value)");
    std::string val(arg[iarg + 1]);
    if (key == "extrapolation") {
      if (val == "warn")
        extrapolation = EXTRAP_WARN;
      else if (val == "ignore")
        extrapolation = EXTRAP_IGNORE;
      else if (val == "error")
        extrapolation = EXTRAP_ERROR;
      else
        fail_all("pair_style nnswift: extrapolation must be warn, ignore or error, not '" + val +
                 "'");
    } else if (key == "length_factor" || key == "energy_factor" || key == "cflength" ||
               key == "cfenergy") {
      double v = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(v > 0.0) || !std::isfinite(v))
        fail_all("pair_style nnswift: " + key + " must be a positive number, not '" + val + "'");
      (key == "length_factor" || key == "cflength" ? length_factor_user : energy_factor_user) = v;
    } else if (key == "threads") {
      int v = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      if (v < 1 || v > 1024)
        fail_all("pair_style nnswift: threads must be an integer in 1..1024, not '" + val + "'");
      nthreads = v;
    } else {
      fail_all(usage + " (unknown keyword '" + key + "')");
    }
    iarg += 2;
  }
  if (model) update_unit_factors(false);
}

/* ----------------------------------------------------------------------
   pair_coeff * * MODEL ELEMENT_OF_TYPE1 ... (NULL: atoms of that type are not seen)
------------------------------------------------------------------------- */

void PairNNSwift::coeff(int narg, char **arg)
{
  if (!allocated) allocate();
  const int ntypes = atom->ntypes;
  if (narg < 3 || strcmp(arg[0], "*") != 0 || strcmp(arg[1], "*") != 0)
    fail_all("Incorrect args for pair coefficients: pair_style nnswift needs "
             "'pair_coeff * * MODEL ELEMENT...' (with '* *')");
  if (narg != 3 + ntypes)
    fail_all("Incorrect args for pair coefficients: pair_coeff * * MODEL needs one element (or "
             "NULL) per atom type: " + std::to_string(ntypes) + " types but " +
             std::to_string(narg - 3) + " elements given");

  free_model();
  model_path = arg[2];
  nnswift_model *m = nullptr;
  if (nnswift_model_load(arg[2], &m) != NNSWIFT_OK || m == nullptr)
    fail_all("pair_style nnswift: cannot load model '" + model_path + "': " + api_error());
  model = m;
  if (nnswift_model_cutoff(model, &cutoff_model) != NNSWIFT_OK)
    fail_all("pair_style nnswift: model cutoff: " + api_error());
  if (!(cutoff_model > 0.0)) fail_all("pair_style nnswift: model has no positive cutoff");

  int nel = 0;
  std::string have;
  if (nnswift_model_num_elements(model, &nel) == NNSWIFT_OK) {
    for (int e = 0; e < nel; e++) {
      const char *s = nullptr;
      if (nnswift_model_element(model, e, &s) == NNSWIFT_OK && s) have += std::string(" ") + s;
    }
  }

  for (int i = 1; i <= ntypes; i++) {
    const char *el = arg[2 + i];
    if (strcmp(el, "NULL") == 0) {
      map[i] = -1;
      continue;
    }
    int idx = -1;
    if (nnswift_model_element_index(model, el, &idx) != NNSWIFT_OK || idx < 0)
      fail_all("pair_style nnswift: element '" + std::string(el) + "' (atom type " +
               std::to_string(i) + ") is not in model '" + model_path + "' (elements:" + have +
               ")");
    map[i] = idx;
  }

  int count = 0;
  for (int i = 1; i <= ntypes; i++)
    for (int j = i; j <= ntypes; j++) {
      setflag[i][j] = (map[i] >= 0 && map[j] >= 0) ? 1 : 0;
      count += setflag[i][j];
    }
  if (count == 0) fail_all("Incorrect args for pair coefficients: all elements are NULL");

  update_unit_factors(comm->me == 0);
}

/* ----------------------------------------------------------------------
   unit factors in use: lfac = model length per LAMMPS length, efac = LAMMPS energy per model
   energy (the reciprocal of the user's energy_factor/cfenergy, which is model per LAMMPS unit)
------------------------------------------------------------------------- */

void PairNNSwift::update_unit_factors(bool report)
{
  if (!model) return;
  const char *ulen = nullptr, *uen = nullptr;
  if (nnswift_model_units(model, &ulen, &uen) != NNSWIFT_OK)
    fail_all("pair_style nnswift: model units: " + api_error());
  std::string slen(ulen ? ulen : "unknown"), sen(uen ? uen : "unknown");
  const char *style = update->unit_style;
  const char *lmp_len = nullptr, *lmp_en = nullptr;
  const bool known_lmp = lammps_units(style, lmp_len, lmp_en);
  const std::string no_auto = std::string("pair_style nnswift: no automatic unit conversion for "
                                          "'units ") + style + "'; give 'length_factor X "
                                          "energy_factor Y' in pair_style";

  // automatic factors (model per LAMMPS unit) where both sides declare their units
  double auto_l = 0.0, auto_e = 0.0;
  const bool have_auto_l = known_lmp && slen != "unknown" &&
      nnswift_unit_factor(lmp_len, slen.c_str(), &auto_l) == NNSWIFT_OK;
  const bool have_auto_e = known_lmp && sen != "unknown" &&
      nnswift_unit_factor(lmp_en, sen.c_str(), &auto_e) == NNSWIFT_OK;
  if (known_lmp && slen != "unknown" && !have_auto_l)
    fail_all("pair_style nnswift: model length unit: " + api_error());
  if (known_lmp && sen != "unknown" && !have_auto_e)
    fail_all("pair_style nnswift: model energy unit: " + api_error());

  // an explicit factor that is the reciprocal of the declared units' one was meant the other
  // way round (energy_factor was LAMMPS per model unit before nnswift 0.2)
  auto check_explicit = [&](const char *name, double user, bool have, double automatic) {
    if (!have) return;
    if (std::fabs(user * automatic - 1.0) < 1e-6 && std::fabs(automatic - 1.0) > 1e-6)
      fail_all(std::string("pair_style nnswift: ") + name + " " + fmtnum(user) +
               " is the inverse of the model's declared units (" + fmtnum(automatic) + " model " +
               "units per LAMMPS unit): " + name + " is model units per LAMMPS unit, as n2p2's " +
               "cflength/cfenergy");
    if (std::fabs(user / automatic - 1.0) > 1e-6 && comm->me == 0)
      error->warning(FLERR, std::string("pair_style nnswift: ") + name + " " + fmtnum(user) +
                     " overrides the model's declared units (" + fmtnum(automatic) + ")");
  };

  if (length_factor_user > 0.0) {
    check_explicit("length_factor", length_factor_user, have_auto_l, auto_l);
    lfac = length_factor_user;
  } else if (slen == "unknown") {
    fail_all("pair_style nnswift: model '" + model_path + "' declares length unit '" + slen +
             "'; give 'length_factor X' (or n2p2's 'cflength X') in pair_style (X = model " +
             "length units per LAMMPS length unit, e.g. 1.8897261328 for a Bohr model with units metal)");
  } else if (!known_lmp) {
    fail_all(no_auto);
  } else {
    lfac = auto_l;
  }

  if (energy_factor_user > 0.0) {
    check_explicit("energy_factor", energy_factor_user, have_auto_e, auto_e);
    efac = 1.0 / energy_factor_user;
  } else if (sen == "unknown") {
    fail_all("pair_style nnswift: model '" + model_path + "' declares energy unit '" + sen +
             "'; give 'energy_factor Y' (or n2p2's 'cfenergy Y') in pair_style (Y = model " +
             "energy units per LAMMPS energy unit, e.g. 0.0367493254 for a Hartree model with units metal)");
  } else if (!known_lmp) {
    fail_all(no_auto);
  } else if (nnswift_unit_factor(sen.c_str(), lmp_en, &efac) != NNSWIFT_OK) {
    fail_all("pair_style nnswift: model energy unit: " + api_error());
  }

  if (report) {
    std::string msg = "pair_style nnswift: model " + model_path + " (units " + slen + "/" + sen +
        ", cutoff " + fmtnum(cutoff_model) + "), LAMMPS units " + style +
        ": length_factor " + fmtnum(lfac) + ", energy_factor " + fmtnum(1.0 / efac) +
        " (model units per LAMMPS unit), cutoff " + fmtnum(cutoff_model / lfac) + "\n";
    utils::logmesg(lmp, msg);
  }
}

/* ---------------------------------------------------------------------- */

void PairNNSwift::init_style()
{
  if (!model) fail_all("pair_style nnswift: pair_coeff * * MODEL ELEMENT... has not been given");
  if (atom->tag_enable == 0) fail_all("pair_style nnswift requires atom IDs");
  update_unit_factors(false);

  // Threads per rank (process-wide in the library): the keyword, else the library's default
  // from NNSWIFT_NUM_THREADS / OMP_NUM_THREADS, else 1.
  int nt = nthreads;
  if (nt > 0 ? nnswift_set_num_threads(nt) != NNSWIFT_OK : nnswift_get_num_threads(&nt) != NNSWIFT_OK)
    fail_all("pair_style nnswift: number of threads: " + api_error());
  if (comm->me == 0)
    utils::logmesg(lmp, std::string("pair_style nnswift: ") + std::to_string(nt) +
                   " thread(s) per MPI rank\n");

  // LAMMPS 2025: a full neighbour list (every neighbour of each owned atom, ghosts included),
  // passed to nnswift_compute_local, which keeps the pairs inside the model cutoff.
  // LAMMPS 2021 (Debian) installs no neigh_request.h, so a full list cannot be requested: the
  // default list is requested only so the style takes part in neighbouring, and nnswift
  // builds its own from local + ghost positions.
#if NNSWIFT_LAMMPS_MODERN
  neighbor->add_request(this, NeighConst::REQ_FULL);
#else
  neighbor->request(this, instance_me);
#endif
}

double PairNNSwift::init_one(int i, int j)
{
  if (setflag[i][j] == 0) fail_all("All pair coeffs are not set");
  return cutoff_model / lfac;
}

/* ----------------------------------------------------------------------
   ghost atoms must cover the model cutoff
------------------------------------------------------------------------- */

void PairNNSwift::setup()
{
  double cut = cutoff_model / lfac;
  double cutghost = neighbor->cutneighmax;
  if (comm->cutghostuser > cutghost) cutghost = comm->cutghostuser;
  if (cutghost < cut * (1.0 - 1e-12))
    fail_all("pair_style nnswift: communication cutoff " + fmtnum(cutghost) +
             " is smaller than the model cutoff " + fmtnum(cut) +
             "; increase it with comm_modify cutoff");
}

/* ---------------------------------------------------------------------- */

void PairNNSwift::compute(int eflag, int vflag)
{
  ev_init(eflag, vflag);

  const int nlocal = atom->nlocal;
  const int nall = nlocal + atom->nghost;
  double **x = atom->x;
  double **f = atom->f;
  const int *type = atom->type;
  const int newton = force->newton_pair;

  if (atom->nmax > nmax_buf) grow_buffers(atom->nmax);

  // compact: owned atoms of mapped types first, then ghosts of mapped types
  int n = 0;
  for (int i = 0; i < nall; i++) {
    int s = map[type[i]];
    if (s < 0) continue;
    index_buf[n] = i;
    species_buf[n] = s;
    pos_buf[3 * n + 0] = x[i][0] * lfac;
    pos_buf[3 * n + 1] = x[i][1] * lfac;
    pos_buf[3 * n + 2] = x[i][2] * lfac;
    n++;
  }
  int nl = 0;
  while (nl < n && index_buf[nl] < nlocal) nl++;
  const int ng = n - nl;

  // LAMMPS's full list, handed over as is when its indices are ours: every atom mapped (the
  // compact order is the LAMMPS order) and no special-bond bits in the indices (atomic
  // system). Otherwise nnswift builds its own list.
  const bool host_list = NNSWIFT_LAMMPS_MODERN && list != nullptr && n == nall &&
      atom->molecular == 0 && list->inum == nlocal;
  if (host_list) {
    const int *ilist = list->ilist;
    for (int ii = 0; ii < list->inum; ii++) {
      const int i = ilist[ii];
      numneigh_buf[i] = list->numneigh[i];
      firstneigh_buf[i] = list->firstneigh[i];
    }
  }

  double energy = 0.0, W[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  int64_t nextrap = 0;
  const bool want_eatom = eflag_atom != 0;
  const bool want_vatom = vflag_atom != 0;
  if (nl > 0) {
    // nnswift_compute_local writes (never adds into) every output element (ABI 2).
    int status = nnswift_compute_local(model, nl, ng, pos_buf.data(), species_buf.data(),
                                       host_list ? numneigh_buf.data() : nullptr,
                                       host_list ? firstneigh_buf.data() : nullptr, &energy, force_buf.data(),
                                       vflag_global ? W : nullptr,
                                       want_eatom ? eatom_buf.data() : nullptr,
                                       want_vatom ? vatom_buf.data() : nullptr, &nextrap);
    if (status != NNSWIFT_OK)
      fail_one("pair_style nnswift: nnswift_compute_local failed (status " +
               std::to_string(status) + ") on rank " + std::to_string(comm->me) + ": " +
               api_error());
  }

  // extrapolation report by the rank that saw it (no collective communication per step)
  if (extrapolation != EXTRAP_IGNORE && nextrap > 0) {
    std::string msg = "pair_style nnswift: " + std::to_string(nextrap) +
        " extrapolated symmetry-function values (outside the training range) at step " +
        std::to_string((long long) update->ntimestep) + " on rank " + std::to_string(comm->me);
    if (extrapolation == EXTRAP_ERROR) fail_one(msg + " (pair_style nnswift extrapolation error)");
    error->warning(FLERR, msg);
  }

  const double ffac = efac * lfac;

  if (eflag_global) eng_vdwl += energy * efac;
  if (vflag_global) {
    virial[0] += W[0] * efac;
    virial[1] += W[4] * efac;
    virial[2] += W[8] * efac;
    virial[3] += W[1] * efac;
    virial[4] += W[2] * efac;
    virial[5] += W[5] * efac;
  }
  if (want_eatom)
    for (int k = 0; k < nl; k++) eatom[index_buf[k]] += eatom_buf[k] * efac;

  if (newton) {
    // LAMMPS sums ghost forces (and compute stress/atom sums ghost vatom) back to owners
    if (nl > 0) {
      for (int k = 0; k < n; k++) {
        const int i = index_buf[k];
        f[i][0] += force_buf[3 * k + 0] * ffac;
        f[i][1] += force_buf[3 * k + 1] * ffac;
        f[i][2] += force_buf[3 * k + 2] * ffac;
      }
      if (want_vatom)
        for (int k = 0; k < n; k++) {
          const int i = index_buf[k];
          const double *v = &vatom_buf[9 * (size_t) k];
          vatom[i][0] += v[0] * efac;
          vatom[i][1] += v[4] * efac;
          vatom[i][2] += v[8] * efac;
          vatom[i][3] += v[1] * efac;
          vatom[i][4] += v[2] * efac;
          vatom[i][5] += v[5] * efac;
        }
    }
  } else {
    // newton_pair off: LAMMPS neither clears nor communicates ghost forces. Collect this
    // style's contributions per LAMMPS atom, sum ghost parts back to their owners with our
    // own reverse communication, then add owned parts only.
    for (int i = 0; i < nall; i++) fghost[i][0] = fghost[i][1] = fghost[i][2] = 0.0;
    if (want_vatom)
      for (int i = 0; i < nall; i++)
        for (int c = 0; c < 6; c++) vghost[i][c] = 0.0;
    if (nl > 0) {
      for (int k = 0; k < n; k++) {
        const int i = index_buf[k];
        fghost[i][0] = force_buf[3 * k + 0] * ffac;
        fghost[i][1] = force_buf[3 * k + 1] * ffac;
        fghost[i][2] = force_buf[3 * k + 2] * ffac;
      }
      if (want_vatom)
        for (int k = 0; k < n; k++) {
          const int i = index_buf[k];
          const double *v = &vatom_buf[9 * (size_t) k];
          vghost[i][0] = v[0] * efac;
          vghost[i][1] = v[4] * efac;
          vghost[i][2] = v[8] * efac;
          vghost[i][3] = v[1] * efac;
          vghost[i][4] = v[2] * efac;
          vghost[i][5] = v[5] * efac;
        }
    }
    reverse_vatom = want_vatom ? 1 : 0;
    // buffers were sized at Comm::init for 9 values per atom (comm_reverse, comm_reverse_off)
    const int saved = comm_reverse, saved_off = comm_reverse_off;
    comm_reverse = comm_reverse_off = reverse_vatom ? 9 : 3;
#if NNSWIFT_LAMMPS_MODERN
    comm->reverse_comm(this, comm_reverse);
#else
    comm->reverse_comm_pair(this);
#endif
    comm_reverse = saved;
    comm_reverse_off = saved_off;
    for (int i = 0; i < nlocal; i++) {
      f[i][0] += fghost[i][0];
      f[i][1] += fghost[i][1];
      f[i][2] += fghost[i][2];
    }
    if (want_vatom)
      for (int i = 0; i < nlocal; i++)
        for (int c = 0; c < 6; c++) vatom[i][c] += vghost[i][c];
  }
}

/* ----------------------------------------------------------------------
   per-atom work buffers; allocation failure becomes a LAMMPS error, not an exception
------------------------------------------------------------------------- */

void PairNNSwift::grow_buffers(int nmax)
{
  memory->destroy(fghost);
  memory->destroy(vghost);
  memory->create(fghost, nmax, 3, "pair:nnswift:f");
  memory->create(vghost, nmax, 6, "pair:nnswift:v");
  try {
    pos_buf.resize(3 * (size_t) nmax);
    force_buf.resize(3 * (size_t) nmax);
    eatom_buf.resize((size_t) nmax);
    vatom_buf.resize(9 * (size_t) nmax);
    species_buf.resize((size_t) nmax);
    index_buf.resize((size_t) nmax);
    numneigh_buf.resize((size_t) nmax);
    firstneigh_buf.resize((size_t) nmax);
  } catch (std::bad_alloc &) {
    fail_one("pair_style nnswift: out of memory for " + std::to_string(nmax) + " atoms");
  }
  nmax_buf = nmax;
}

/* ---------------------------------------------------------------------- */

int PairNNSwift::pack_reverse_comm(int n, int first, double *buf)
{
  int m = 0;
  const int last = first + n;
  for (int i = first; i < last; i++) {
    buf[m++] = fghost[i][0];
    buf[m++] = fghost[i][1];
    buf[m++] = fghost[i][2];
    if (reverse_vatom)
      for (int c = 0; c < 6; c++) buf[m++] = vghost[i][c];
  }
  return m;
}

void PairNNSwift::unpack_reverse_comm(int n, int *list, double *buf)
{
  int m = 0;
  for (int k = 0; k < n; k++) {
    const int j = list[k];
    fghost[j][0] += buf[m++];
    fghost[j][1] += buf[m++];
    fghost[j][2] += buf[m++];
    if (reverse_vatom)
      for (int c = 0; c < 6; c++) vghost[j][c] += buf[m++];
  }
}

double PairNNSwift::memory_usage()
{
  double bytes = Pair::memory_usage();
  bytes += (double) nmax_buf * (3 + 6) * sizeof(double);                  // fghost, vghost
  bytes += (double) nmax_buf * (3 + 3 + 1 + 9) * sizeof(double);          // work buffers
  bytes += (double) nmax_buf * 3 * sizeof(int) + (double) nmax_buf * sizeof(int *);
  return bytes;
}
