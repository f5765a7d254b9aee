/*
 * nnswift C API — neural-network interatomic potentials (Behler–Parrinello).
 *
 * Outputs: the library WRITES every output array element it documents (never adds into the
 * caller's values), so a host that accumulates (MD codes tally ghost forces, per-atom terms)
 * adds the written values itself.
 *
 * Stable ABI: every function returns an int status (NNSWIFT_OK == 0 on success);
 * on failure nnswift_last_error() returns a message for the calling thread and the
 * contents of the output arrays are unspecified.
 * No function traps or aborts, whatever the input. A loaded model is immutable:
 * it may be used from several threads at once.
 * Models are validated at load (finite parameters in documented ranges, at most
 * 1e7 parameters per network). Work is bounded: at most 10,000,000 atoms per call,
 * coordinates within +-1e9, 10,000 periodic images and 10,000 neighbors per atom;
 * beyond these a call returns NNSWIFT_ERROR_GEOMETRY with the numbers. A result
 * with a NaN or infinite energy, force or virial returns NNSWIFT_ERROR_NUMERIC,
 * never NNSWIFT_OK. docs/robustness.md lists the limits.
 *
 * Arrays are row-major doubles: positions[3*i + a], cell[3*r + a] with rows the
 * lattice vectors a, b, c; virial[3*a + b] is the 3x3 tensor W = sum_i r_i (x) F_i
 * (LAMMPS convention, energy units); atom virials are 9 values per atom.
 * Species are 0-based indices into the model's element list.
 * Integers are fixed width: atom counts, species, neighbor indices, flags and element/descriptor
 * indices are int32_t (the layout of LAMMPS's and KIM's int lists, so they pass without a copy;
 * at most 10,000,000 atoms per call); counts that can grow past 2^31 (extrapolations) are
 * int64_t; buffer sizes are size_t; every function's status is an int.
 * Units are the model's own (nnswift_model_units); nnswift_unit_factor converts.
 * "@since 0.x": the release a call appeared in (ABI 1 = 0.1.0; ABI 2 = 0.2.0, which changed
 * nnswift_compute_local to write its outputs and take int64_t extrapolations).
 */
#ifndef NNSWIFT_H
#define NNSWIFT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NNSWIFT_ABI_VERSION 2

enum nnswift_status {
    NNSWIFT_OK = 0,
    NNSWIFT_ERROR_ARGUMENT = 1, /* null pointer, bad count, NaN, bad index */
    NNSWIFT_ERROR_IO = 2,       /* file missing or unreadable */
    NNSWIFT_ERROR_FORMAT = 3,   /* corrupt or unsupported model file */
    NNSWIFT_ERROR_SPECIES = 4,  /* species index / element not in the model */
    NNSWIFT_ERROR_GEOMETRY = 5, /* overlapping atoms, degenerate cell, work bounds exceeded */
    NNSWIFT_ERROR_INTERNAL = 6,
    NNSWIFT_ERROR_NUMERIC = 7   /* a computed energy, force or virial is not finite */
};

typedef struct nnswift_model nnswift_model;

/* Library version string (e.g. "0.2.0"; static storage) and ABI version (NNSWIFT_ABI_VERSION).
 * @since 0.1 */
const char *nnswift_version(void);
int nnswift_abi_version(void);

/* Message of the last call on this thread: what went wrong, or "" after a success. @since 0.1 */
const char *nnswift_last_error(void);

/* Load a native model file (.json) or an n2p2 potential directory
 * (input.nn, scaling.data, weights.NNN.data). @since 0.1 */
int nnswift_model_load(const char *path, nnswift_model **model);
/* The same, giving the units of an n2p2 directory (which declares none): length_unit and
 * energy_unit as nnswift_unit_factor reads them; NULL or "" leaves a unit undeclared (or as the
 * model declares it). A native model that declares a different unit is NNSWIFT_ERROR_ARGUMENT
 * (relabelling would convert nothing). @since 0.2 */
int nnswift_model_load_with_units(const char *path, const char *length_unit,
                                  const char *energy_unit, nnswift_model **model);
/* Frees a model (NULL is ignored). @since 0.1 */
void nnswift_model_free(nnswift_model *model);

/* Largest cutoff radius of the model (model length units). @since 0.1 */
int nnswift_model_cutoff(const nnswift_model *model, double *cutoff);
/* Number of elements, and the symbol of element `index` (pointer owned by the model). @since 0.1 */
int nnswift_model_num_elements(const nnswift_model *model, int32_t *count);
int nnswift_model_element(const nnswift_model *model, int32_t index, const char **symbol);
/* Index of the element with this symbol, or NNSWIFT_ERROR_SPECIES. @since 0.1 */
int nnswift_model_element_index(const nnswift_model *model, const char *symbol, int32_t *index);
/* Declared units (canonical spellings): length "angstrom" | "bohr" | "nm" | "unknown";
 * energy "eV" | "hartree" | "kcal/mol" | "kJ/mol" | "Ry" | "unknown". @since 0.1 */
int nnswift_model_units(const nnswift_model *model, const char **length, const char **energy);

/* Conversion factor: value in to_unit = value in from_unit * factor. Both length units or both
 * energy units; spellings are case-insensitive and tolerant: angstrom (A, Å, ang), bohr (au, a0),
 * nm; eV, hartree (Ha, au), kcal/mol, kJ/mol, Ry. Bohr and Hartree are CODATA 2006
 * (1 Å = 1.8897261328 Bohr, 1 eV = 0.0367493254 Hartree, as n2p2); kcal/mol and kJ/mol from
 * the exact SI N_A and e. Anything else is NNSWIFT_ERROR_ARGUMENT. @since 0.2 */
int nnswift_unit_factor(const char *from_unit, const char *to_unit, double *factor);

/* Whole system. cell may be NULL (free cluster); pbc (3 ints) may be NULL
 * (periodic along every axis when a cell is given). A cell row (lattice vector)
 * may be zero along an axis whose pbc is 0, as ASE writes 2D cells: it is taken
 * as a unit vector normal to the others (no effect on energies and forces).
 * energy, forces (3N), virial (9), atom_energies (N), atom_virials (9N) are
 * written; any output pointer except energy may be NULL. @since 0.1 */
int nnswift_compute(const nnswift_model *model, int32_t natoms,
                    const double *positions, const int32_t *species,
                    const double *cell, const int32_t *pbc,
                    double *energy, double *forces, double *virial,
                    double *atom_energies, double *atom_virials);

/* nnswift_compute, plus *extrapolations (must not be NULL): the number of (atom, symmetry
 * function) values outside the range seen in training (scaling.data min/max). @since 0.2 */
int nnswift_compute_extrapolations(const nnswift_model *model, int32_t natoms,
                                   const double *positions, const int32_t *species,
                                   const double *cell, const int32_t *pbc,
                                   double *energy, double *forces, double *virial,
                                   double *atom_energies, double *atom_virials,
                                   int64_t *extrapolations);

/* Domain-decomposed system as MD codes hold it: nlocal owned atoms followed by
 * nghost ghost atoms (positions and species for all nlocal + nghost).
 * Energy counts owned atoms only. Forces act on owned and ghost atoms (the host
 * sums ghost forces back to their owners).
 * Optional host neighbor list: numneigh[i] and firstneigh[i] (0-based indices into
 * all atoms) for each owned atom i, a full list that includes every neighbor within
 * the cutoff (pairs beyond it are skipped, so a skin is fine); pass NULL for both to
 * let nnswift build its own. A neighbor listed twice for the same atom is
 * NNSWIFT_ERROR_ARGUMENT naming both (checked in O(neighbors)).
 * Every element is written: energy, virial (9), forces (3*(nlocal+nghost)),
 * atom_energies (nlocal), atom_virials (9*(nlocal+nghost)) and *extrapolations, the
 * number of (owned atom, symmetry function) values outside the range seen in
 * training (scaling.data min/max). Any output pointer except energy may be NULL.
 * @since 0.1; changed in 0.2 (ABI 2): forces, atom_energies and atom_virials are
 * written (they were added to), extrapolations is int64_t (was long), duplicate
 * neighbors are rejected. */
int nnswift_compute_local(const nnswift_model *model, int32_t nlocal, int32_t nghost,
                          const double *positions, const int32_t *species,
                          const int32_t *numneigh, const int32_t *const *firstneigh,
                          double *energy, double *forces, double *virial,
                          double *atom_energies, double *atom_virials,
                          int64_t *extrapolations);

/* A full neighbor list for hosts that cannot hand over their own (LAMMPS 29 Sep 2021, which
 * installs no neigh_request.h) and keep one over several steps, as MD codes do with a skin:
 * for each of the first ncenters of npoints points (owned atoms, then ghosts, model length
 * units, as nnswift_compute_local takes them), the indices of every other point closer than
 * radius (the model cutoff plus the host's skin; finite and > 1e-6), built in O(npoints) on
 * the threads of nnswift_set_num_threads. Passed to nnswift_compute_local as its host list, it stays valid
 * while the points keep their indices and none has moved by half the skin (the host's own
 * rebuild rule). nnswift_neighbor_list_rows gives the count of centers and numneigh and
 * firstneigh as nnswift_compute_local takes them (owned by the list: valid until it is freed;
 * the nlocal given to nnswift_compute_local must not exceed ncenters). *list is NULL after a failed build. @since 0.2 */
typedef struct nnswift_neighbor_list nnswift_neighbor_list;
int nnswift_neighbor_list_build(int32_t ncenters, int32_t npoints, const double *positions,
                                double radius, nnswift_neighbor_list **list);
int nnswift_neighbor_list_rows(const nnswift_neighbor_list *list, int32_t *ncenters,
                               const int32_t **numneigh, const int32_t *const **firstneigh);
/* Frees a list (NULL is ignored). @since 0.2 */
void nnswift_neighbor_list_free(nnswift_neighbor_list *list);

/* Symmetry functions, for analysis. nnswift_model_num_descriptors: how many functions element
 * `element` (index into the model's elements) has; nnswift_model_descriptor_name: a readable name
 * of function `index` in network-input order, e.g. "G2 H eta=0.5 rs=0 rc=12 cos" (type, neighbor
 * element(s), parameters, cutoff radius and type), copied NUL-terminated into name[capacity]
 * (NNSWIFT_ERROR_ARGUMENT when it does not fit; 256 bytes always suffice in practice).
 * @since 0.2 */
int nnswift_model_num_descriptors(const nnswift_model *model, int32_t element, int32_t *count);
int nnswift_model_descriptor_name(const nnswift_model *model, int32_t element, int32_t index,
                                  char *name, size_t capacity);

/* Symmetry-function values of every atom of a system (arguments as nnswift_compute):
 * values receives, atom after atom, the count(species[i]) values of atom i in network-input
 * order, so it must hold the sum of those counts. scaled != 0: as the network sees them (the
 * model's scaling applied); scaled == 0: the raw symmetry-function values. A value that is not
 * finite is NNSWIFT_ERROR_NUMERIC. @since 0.2 */
int nnswift_descriptors(const nnswift_model *model, int32_t natoms,
                        const double *positions, const int32_t *species,
                        const double *cell, const int32_t *pbc,
                        int32_t scaled, double *values);

/* Process-wide number of threads nnswift_compute and nnswift_compute_local split the atoms
 * over (1..1024). Default: NNSWIFT_NUM_THREADS, else OMP_NUM_THREADS (its first entry), else 1;
 * an invalid value there makes get and the compute calls fail with NNSWIFT_ERROR_ARGUMENT.
 * Results are bit-identical for every thread count. @since 0.2 */
int nnswift_set_num_threads(int32_t n);
int nnswift_get_num_threads(int32_t *n);

#ifdef __cplusplus
}
#endif

#endif /* NNSWIFT_H */
