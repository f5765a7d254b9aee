/*
 * nnswift C API — neural-network interatomic potentials (Behler–Parrinello).
 *
 * Stable ABI: every function returns an int status (NNSWIFT_OK == 0 on success);
 * on failure nnswift_last_error() returns a message for the calling thread.
 * No function traps or aborts, whatever the input. A loaded model is immutable:
 * it may be used from several threads at once.
 *
 * Arrays are row-major doubles: positions[3*i + a], cell[3*r + a] with rows the
 * lattice vectors a, b, c; virial[3*a + b] is the 3x3 tensor W = sum_i r_i (x) F_i
 * (LAMMPS convention, energy units); atom virials are 9 values per atom.
 * Species are 0-based indices into the model's element list.
 * Units are the model's own (nnswift_model_units).
 */
#ifndef NNSWIFT_H
#define NNSWIFT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NNSWIFT_ABI_VERSION 1

enum nnswift_status {
    NNSWIFT_OK = 0,
    NNSWIFT_ERROR_ARGUMENT = 1, /* null pointer, bad count, NaN, bad index */
    NNSWIFT_ERROR_IO = 2,       /* file missing or unreadable */
    NNSWIFT_ERROR_FORMAT = 3,   /* corrupt or unsupported model file */
    NNSWIFT_ERROR_SPECIES = 4,  /* species index / element not in the model */
    NNSWIFT_ERROR_GEOMETRY = 5, /* overlapping atoms, degenerate cell */
    NNSWIFT_ERROR_INTERNAL = 6
};

typedef struct nnswift_model nnswift_model;

/* Library version string ("0.1.0") and ABI version (NNSWIFT_ABI_VERSION). */
const char *nnswift_version(void);
int nnswift_abi_version(void);

/* Message of the last call on this thread: what went wrong, or "" after a success. */
const char *nnswift_last_error(void);

/* Load a native model file (.json) or an n2p2 potential directory
 * (input.nn, scaling.data, weights.NNN.data). */
int nnswift_model_load(const char *path, nnswift_model **model);
void nnswift_model_free(nnswift_model *model);

/* Largest cutoff radius of the model (model length units). */
int nnswift_model_cutoff(const nnswift_model *model, double *cutoff);
/* Number of elements, and the symbol of element `index` (pointer owned by the model). */
int nnswift_model_num_elements(const nnswift_model *model, int *count);
int nnswift_model_element(const nnswift_model *model, int index, const char **symbol);
/* Index of the element with this symbol, or NNSWIFT_ERROR_SPECIES. */
int nnswift_model_element_index(const nnswift_model *model, const char *symbol, int *index);
/* Declared units: length "angstrom" | "bohr" | "unknown"; energy "eV" | "hartree" | "unknown". */
int nnswift_model_units(const nnswift_model *model, const char **length, const char **energy);

/* Whole system. cell may be NULL (free cluster); pbc (3 ints) may be NULL
 * (periodic along every axis when a cell is given).
 * energy, forces (3N), virial (9), atom_energies (N), atom_virials (9N) are
 * written (overwritten); any output pointer except energy may be NULL. */
int nnswift_compute(const nnswift_model *model, int natoms,
                    const double *positions, const int *species,
                    const double *cell, const int *pbc,
                    double *energy, double *forces, double *virial,
                    double *atom_energies, double *atom_virials);

/* Domain-decomposed system as MD codes hold it: nlocal owned atoms followed by
 * nghost ghost atoms (positions and species for all nlocal + nghost).
 * Energy counts owned atoms only. Forces act on owned and ghost atoms (the host
 * sums ghost forces back to their owners).
 * Optional host neighbor list: numneigh[i] and firstneigh[i] (indices into all
 * atoms) for each owned atom i, a full list that includes every neighbor within
 * the cutoff; pass NULL for both to let nnswift build its own.
 * energy and virial are written; forces (3*(nlocal+nghost)), atom_energies
 * (nlocal) and atom_virials (9*(nlocal+nghost)) are ADDED to, as MD codes tally.
 * extrapolations (may be NULL) receives the number of (owned atom, symmetry
 * function) values outside the range seen in training (scaling.data min/max).
 * Any output pointer except energy may be NULL. */
int nnswift_compute_local(const nnswift_model *model, int nlocal, int nghost,
                          const double *positions, const int *species,
                          const int *numneigh, const int *const *firstneigh,
                          double *energy, double *forces, double *virial,
                          double *atom_energies, double *atom_virials,
                          long *extrapolations);

/* Process-wide number of threads nnswift_compute and nnswift_compute_local split the atoms
 * over (1..1024). Default: NNSWIFT_NUM_THREADS, else OMP_NUM_THREADS (its first entry), else 1;
 * an invalid value there makes get and the compute calls fail with NNSWIFT_ERROR_ARGUMENT.
 * Results are bit-identical for every thread count. */
int nnswift_set_num_threads(int n);
int nnswift_get_num_threads(int *n);

#ifdef __cplusplus
}
#endif

#endif /* NNSWIFT_H */
