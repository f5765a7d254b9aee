/* Energy in eV of one structure through the C API, with its units converted by the library.
 *   units_check MODEL LENGTH_UNIT ENERGY_UNIT STRUCTURE STRUCTURE_LENGTH_UNIT
 * LENGTH_UNIT/ENERGY_UNIT: "" or units for an n2p2 directory (nnswift_model_load_with_units).
 * STRUCTURE (text): natoms; "cell" and 9 numbers (rows a, b, c) or "nocell"; natoms lines
 * "symbol x y z". Prints "energy_eV E extrapolations N". */
#include "nnswift.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int die(const char *what) {
    fprintf(stderr, "units_check: %s: %s\n", what, nnswift_last_error());
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: units_check MODEL LENGTH ENERGY STRUCTURE STRUCTURE_LENGTH\n"); return 2; }
    nnswift_model *m = NULL;
    if (nnswift_model_load_with_units(argv[1], argv[2], argv[3], &m) != NNSWIFT_OK) return die("load");
    const char *ml = NULL, *me = NULL;
    if (nnswift_model_units(m, &ml, &me) != NNSWIFT_OK) return die("units");
    double lf = 0, ef = 0;
    if (nnswift_unit_factor(argv[5], ml, &lf) != NNSWIFT_OK) return die("length factor");
    if (nnswift_unit_factor(me, "eV", &ef) != NNSWIFT_OK) return die("energy factor");

    FILE *fp = fopen(argv[4], "r");
    if (!fp) { perror(argv[4]); return 1; }
    int n = 0;
    char word[64];
    double cell[9];
    int has_cell = 0;
    if (fscanf(fp, "%d %63s", &n, word) != 2 || n <= 0) { fprintf(stderr, "bad structure header\n"); return 1; }
    if (!strcmp(word, "cell")) {
        has_cell = 1;
        for (int k = 0; k < 9; k++)
            if (fscanf(fp, "%lf", &cell[k]) != 1) { fprintf(stderr, "units_check: %s: bad cell\n", argv[4]); return 1; }
        for (int k = 0; k < 9; k++) cell[k] *= lf;
    }
    double *x = malloc(sizeof(double) * 3 * (size_t)n);
    int *sp = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) {
        if (fscanf(fp, "%63s %lf %lf %lf", word, &x[3 * i], &x[3 * i + 1], &x[3 * i + 2]) != 4) {
            fprintf(stderr, "units_check: %s: bad atom line %d\n", argv[4], i + 1);
            return 1;
        }
        for (int a = 0; a < 3; a++) x[3 * i + a] *= lf;
        if (nnswift_model_element_index(m, word, &sp[i]) != NNSWIFT_OK) return die("element");
    }
    fclose(fp);
    double e = 0;
    int64_t extrapolations = -1;
    if (nnswift_compute_extrapolations(m, n, x, sp, has_cell ? cell : NULL, NULL, &e, NULL, NULL, NULL, NULL,
                                       &extrapolations) != NNSWIFT_OK)
        return die("compute");
    printf("energy_eV %.17g extrapolations %" PRId64 "\n", e * ef, extrapolations);
    free(x); free(sp);
    nnswift_model_free(m);
    return 0;
}
