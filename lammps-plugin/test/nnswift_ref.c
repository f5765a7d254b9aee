/*
 * Reference values from nnswift_compute (whole periodic system) for a LAMMPS data file
 * (atom_style atomic), in LAMMPS units, for comparison with pair_style nnswift.
 *
 *   nnswift_ref MODEL DATAFILE LENGTH_FACTOR ENERGY_FACTOR ELEMENT_OF_TYPE1 [TYPE2 ...]
 *
 * LENGTH_FACTOR: model length units per LAMMPS length unit; ENERGY_FACTOR: LAMMPS energy
 * units per model energy unit (as pair_style nnswift length_factor / energy_factor).
 * ELEMENT may be NULL: atoms of that type are left out. Prints
 *   energy E
 *   virial xx yy zz xy xz yz
 *   <id> fx fy fz              (one line per atom, by id; NULL-type atoms print zeros)
 */
#include "nnswift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: %s MODEL DATA LFAC EFAC ELEMENT...\n", argv[0]); return 2; }
    double lf = atof(argv[3]), ef = atof(argv[4]);
    int ntypes_given = argc - 5;
    nnswift_model *m;
    if (nnswift_model_load(argv[1], &m)) { fprintf(stderr, "load: %s\n", nnswift_last_error()); return 1; }
    FILE *fp = fopen(argv[2], "r");
    if (!fp) { perror(argv[2]); return 1; }
    char line[1024];
    long natoms = 0;
    double lo[3] = {0}, hi[3] = {0}, xy = 0, xz = 0, yz = 0;
    while (fgets(line, sizeof line, fp)) {
        double a, b, c;
        if (strstr(line, " atoms") && !strstr(line, "atom types")) sscanf(line, "%ld", &natoms);
        else if (strstr(line, "xlo xhi")) { sscanf(line, "%lf %lf", &a, &b); lo[0] = a; hi[0] = b; }
        else if (strstr(line, "ylo yhi")) { sscanf(line, "%lf %lf", &a, &b); lo[1] = a; hi[1] = b; }
        else if (strstr(line, "zlo zhi")) { sscanf(line, "%lf %lf", &a, &b); lo[2] = a; hi[2] = b; }
        else if (strstr(line, "xy xz yz")) { sscanf(line, "%lf %lf %lf", &a, &b, &c); xy = a; xz = b; yz = c; }
        else if (!strncmp(line, "Atoms", 5)) break;
    }
    long *id = malloc(sizeof(long) * natoms);
    int *type = malloc(sizeof(int) * natoms);
    double *x = malloc(sizeof(double) * 3 * natoms);
    long n = 0;
    while (n < natoms && fgets(line, sizeof line, fp)) {
        long i; int t; double p[3];
        if (sscanf(line, "%ld %d %lf %lf %lf", &i, &t, &p[0], &p[1], &p[2]) != 5) continue;
        id[n] = i; type[n] = t; memcpy(&x[3 * n], p, sizeof p); n++;
    }
    fclose(fp);
    if (n != natoms) { fprintf(stderr, "read %ld of %ld atoms\n", n, natoms); return 1; }
    int *sp_of_type = malloc(sizeof(int) * (ntypes_given + 1));
    for (int t = 1; t <= ntypes_given; t++) {
        sp_of_type[t] = -1;
        if (strcmp(argv[4 + t], "NULL") && nnswift_model_element_index(m, argv[4 + t], &sp_of_type[t])) {
            fprintf(stderr, "%s\n", nnswift_last_error()); return 1;
        }
    }
    /* compact (skip NULL types), convert to model units */
    long *sel = malloc(sizeof(long) * natoms);
    double *pos = malloc(sizeof(double) * 3 * natoms);
    int *sp = malloc(sizeof(int) * natoms);
    int ns = 0;
    for (long i = 0; i < natoms; i++) {
        if (type[i] < 1 || type[i] > ntypes_given) { fprintf(stderr, "type %d without element\n", type[i]); return 1; }
        if (sp_of_type[type[i]] < 0) continue;
        sel[ns] = i; sp[ns] = sp_of_type[type[i]];
        for (int k = 0; k < 3; k++) pos[3 * ns + k] = (x[3 * i + k] - lo[k]) * lf;
        ns++;
    }
    double cell[9] = {(hi[0] - lo[0]) * lf, 0, 0, xy * lf, (hi[1] - lo[1]) * lf, 0, xz * lf, yz * lf, (hi[2] - lo[2]) * lf};
    double E, W[9];
    double *F = calloc(3 * (size_t)(ns > 0 ? ns : 1), sizeof(double));
    if (nnswift_compute(m, ns, pos, sp, cell, NULL, &E, F, W, NULL, NULL)) {
        fprintf(stderr, "compute: %s\n", nnswift_last_error()); return 1;
    }
    double *Fall = calloc(3 * (size_t)natoms, sizeof(double));
    for (int s = 0; s < ns; s++)
        for (int k = 0; k < 3; k++) Fall[3 * sel[s] + k] = F[3 * s + k] * ef * lf;
    printf("energy %.17g\n", E * ef);
    printf("virial %.17g %.17g %.17g %.17g %.17g %.17g\n", W[0] * ef, W[4] * ef, W[8] * ef, W[1] * ef, W[2] * ef, W[5] * ef);
    /* by id: simple selection since ids may be unordered */
    long maxid = 0;
    for (long i = 0; i < natoms; i++) if (id[i] > maxid) maxid = id[i];
    long *where = malloc(sizeof(long) * (maxid + 1));
    for (long i = 0; i <= maxid; i++) where[i] = -1;
    for (long i = 0; i < natoms; i++) where[id[i]] = i;
    for (long k = 0; k <= maxid; k++)
        if (where[k] >= 0) printf("%ld %.17g %.17g %.17g\n", k, Fall[3 * where[k]], Fall[3 * where[k] + 1], Fall[3 * where[k] + 2]);
    nnswift_model_free(m);
    return 0;
}
