/* Energy and forces of a structure through the nnswift C API.
 *
 *   water_energy MODEL [STRUCTURE.xyz]
 *
 * MODEL is an n2p2 potential directory or a native .json model. STRUCTURE.xyz is a simple XYZ
 * file (atom count, comment line, "Element x y z" lines, in the model's length unit); a comment
 * line with Lattice="ax ay az bx by bz cx cy cz" makes it periodic. Without a structure file a
 * single water molecule is built in code. Prints the energy and the force on every atom with 17
 * significant digits. Build: see examples/README.md. */
#include <nnswift.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what) {
    fprintf(stderr, "water_energy: %s: %s\n", what, nnswift_last_error());
    exit(1);
}

typedef struct {
    int natoms;
    char (*symbols)[8];
    double *positions; /* 3 * natoms */
    int periodic;
    double cell[9];
} structure;

static int read_xyz(const char *path, structure *s) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); return 0; }
    char line[8192];
    if (!fgets(line, sizeof line, f) || sscanf(line, "%d", &s->natoms) != 1 || s->natoms <= 0) {
        fprintf(stderr, "water_energy: %s: first line is not an atom count\n", path);
        fclose(f);
        return 0;
    }
    if (!fgets(line, sizeof line, f)) { fprintf(stderr, "water_energy: %s: no comment line\n", path); fclose(f); return 0; }
    const char *lat = strstr(line, "Lattice=\"");
    s->periodic = lat && sscanf(lat + 9, "%lf %lf %lf %lf %lf %lf %lf %lf %lf", &s->cell[0], &s->cell[1], &s->cell[2],
                                &s->cell[3], &s->cell[4], &s->cell[5], &s->cell[6], &s->cell[7], &s->cell[8]) == 9;
    s->symbols = calloc((size_t)s->natoms, sizeof *s->symbols);
    s->positions = malloc(3 * (size_t)s->natoms * sizeof(double));
    for (int i = 0; i < s->natoms; i++) {
        double *x = s->positions + 3 * i;
        if (!fgets(line, sizeof line, f) || sscanf(line, "%7s %lf %lf %lf", s->symbols[i], &x[0], &x[1], &x[2]) != 4) {
            fprintf(stderr, "water_energy: %s: cannot read atom %d\n", path, i + 1);
            fclose(f);
            return 0;
        }
    }
    fclose(f);
    return 1;
}

/* One water molecule (O-H 0.9572 Angstrom, H-O-H 104.52 degrees) in the model's length unit. */
static void water_molecule(structure *s, const char *length_unit) {
    /* Angstrom -> the model's unit, from the library's one table; a model without declared
       units (an n2p2 directory such as the water potential) is taken to be in Bohr. */
    const char *unit = strcmp(length_unit, "unknown") == 0 ? "bohr" : length_unit;
    double scale = 1.0;
    if (nnswift_unit_factor("angstrom", unit, &scale) != NNSWIFT_OK) die("length unit");
    static const char *el[3] = {"O", "H", "H"};
    static const double x[9] = {0.0, 0.0, 0.1173, 0.0, 0.7572, -0.4692, 0.0, -0.7572, -0.4692};
    s->natoms = 3;
    s->periodic = 0;
    s->symbols = calloc(3, sizeof *s->symbols);
    s->positions = malloc(9 * sizeof(double));
    for (int i = 0; i < 3; i++) strcpy(s->symbols[i], el[i]);
    for (int k = 0; k < 9; k++) s->positions[k] = x[k] * scale;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s MODEL [STRUCTURE.xyz]\n", argv[0]);
        return 2;
    }
    nnswift_model *model = NULL;
    if (nnswift_model_load(argv[1], &model) != NNSWIFT_OK) die("cannot load the model");

    int32_t nel = 0;
    double cutoff = 0;
    const char *length = NULL, *energy_unit = NULL;
    if (nnswift_model_num_elements(model, &nel) || nnswift_model_cutoff(model, &cutoff) ||
        nnswift_model_units(model, &length, &energy_unit))
        die("model info");
    printf("nnswift %s, model %s: %d elements (", nnswift_version(), argv[1], (int)nel);
    for (int32_t k = 0; k < nel; k++) {
        const char *sym = NULL;
        if (nnswift_model_element(model, k, &sym)) die("element");
        printf(k ? " %s" : "%s", sym);
    }
    printf("), cutoff %g %s, energy unit %s\n", cutoff, length, energy_unit);

    structure s;
    if (argc == 3) {
        if (!read_xyz(argv[2], &s)) return 2;
    } else {
        water_molecule(&s, length);
    }
    int32_t *species = malloc((size_t)s.natoms * sizeof(int32_t));
    for (int i = 0; i < s.natoms; i++)
        if (nnswift_model_element_index(model, s.symbols[i], &species[i]) != NNSWIFT_OK) die("species");

    /* the library writes every output (energy, forces, virial): no zeroing needed */
    double e, virial[9];
    double *forces = malloc(3 * (size_t)s.natoms * sizeof(double));
    int status = nnswift_compute(model, s.natoms, s.positions, species, s.periodic ? s.cell : NULL, NULL,
                                 &e, forces, virial, NULL, NULL);
    if (status != NNSWIFT_OK) die("nnswift_compute");

    printf("atoms: %d  periodic: %s\n", s.natoms, s.periodic ? "yes" : "no");
    printf("energy: %.17g\n", e);
    printf("forces:\n");
    for (int i = 0; i < s.natoms; i++)
        printf("%5d %-3s % .16e % .16e % .16e\n", i + 1, s.symbols[i], forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]);
    printf("virial: % .16e % .16e % .16e % .16e % .16e % .16e\n", virial[0], virial[4], virial[8], virial[5], virial[2],
           virial[1]);

    free(forces);
    free(species);
    free(s.positions);
    free(s.symbols);
    nnswift_model_free(model);
    return 0;
}
