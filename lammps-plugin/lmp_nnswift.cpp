/* ----------------------------------------------------------------------------------------
   lmp_nnswift: LAMMPS executable with pair_style nnswift built in, for LAMMPS builds without
   the PLUGIN package (Debian 12's liblammps, 29 Sep 2021).

   Behaves like `lmp`: all command-line flags (-in, -var, -log, -screen, -echo, ...) are
   LAMMPS's own; the input is read from -in FILE or stdin. Works under mpirun.
------------------------------------------------------------------------------------------- */

#include "force.h"
#include "input.h"
#include "lammps.h"

#include "pair_nnswift.h"

#include <mpi.h>

using namespace LAMMPS_NS;

static Pair *nnswift_creator(LAMMPS *lmp)
{
  return new PairNNSwift(lmp);
}

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  LAMMPS *lmp = new LAMMPS(argc, argv, MPI_COMM_WORLD);
  // register the style before any input is read (pair_map is LAMMPS's style factory table)
  (*lmp->force->pair_map)["nnswift"] = &nnswift_creator;
  lmp->input->file();
  delete lmp;
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
