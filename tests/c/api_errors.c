/* Bad input through the nnswift C API, thread safety, compute_local versus compute (outputs
 * written, never added; duplicate host neighbors rejected), and bit-identical results for 1, 2
 * and 4 threads (nnswift_set_num_threads).
 *
 *   api_errors MODEL_DIR STRUCTURE.xyz SCRATCH_DIR
 *
 * MODEL_DIR is an n2p2 potential directory (input.nn, scaling.data, weights.NNN.data),
 * STRUCTURE.xyz a periodic structure of that model (Lattice="..." in the comment line), and
 * SCRATCH_DIR a writable directory for corrupt model copies. Every bad call must return the
 * status nnswift.h documents, with a non-empty nnswift_last_error() message, and never crash.
 * Prints "ok - ..." / "not ok - ..." lines and a closing "api_errors: N passed, M failed". */
#include <nnswift.h>

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int passed, failed;

static void check(int cond, const char *what) {
    if (cond) { passed++; printf("ok - %s\n", what); }
    else { failed++; printf("not ok - %s\n", what); }
}

/* A call that must fail with `expected` and leave a message. */
static void expect(int status, int expected, const char *what) {
    const char *msg = nnswift_last_error();
    char line[512];
    int good = status == expected && msg && msg[0];
    snprintf(line, sizeof line, "%s -> status %d (expected %d): %s", what, status, expected, msg ? msg : "(null)");
    check(good, line);
}

/* ---- structure input ---- */

typedef struct {
    int n;
    double *x;
    int *species;
    double cell[9];
} system_t;

static int read_xyz(const char *path, const nnswift_model *m, system_t *s) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[8192], sym[8];
    if (!fgets(line, sizeof line, f) || sscanf(line, "%d", &s->n) != 1) return 0;
    if (!fgets(line, sizeof line, f)) return 0;
    const char *lat = strstr(line, "Lattice=\"");
    if (!lat || sscanf(lat + 9, "%lf %lf %lf %lf %lf %lf %lf %lf %lf", &s->cell[0], &s->cell[1], &s->cell[2], &s->cell[3],
                       &s->cell[4], &s->cell[5], &s->cell[6], &s->cell[7], &s->cell[8]) != 9)
        return 0;
    s->x = malloc(3 * (size_t)s->n * sizeof(double));
    s->species = malloc((size_t)s->n * sizeof(int));
    for (int i = 0; i < s->n; i++) {
        if (!fgets(line, sizeof line, f) || sscanf(line, "%7s %lf %lf %lf", sym, &s->x[3 * i], &s->x[3 * i + 1], &s->x[3 * i + 2]) != 4)
            return 0;
        if (nnswift_model_element_index(m, sym, &s->species[i])) return 0;
    }
    fclose(f);
    return 1;
}

/* ---- corrupt model copies ---- */

static int copy_file(const char *from, const char *to, double fraction) {
    FILE *in = fopen(from, "rb");
    if (!in) return 0;
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    size_t got = fread(buf, 1, (size_t)size, in);
    fclose(in);
    FILE *out = fopen(to, "wb");
    if (!out) { free(buf); return 0; }
    fwrite(buf, 1, (size_t)(got * fraction), out);
    fclose(out);
    free(buf);
    return 1;
}

static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return 0;
    fputs(text, f);
    fclose(f);
    return 1;
}

/* ---- threads ---- */

typedef struct {
    const nnswift_model *model;
    const system_t *s;
    double energy;
    double *forces;
    double virial[9];
    int status;
    int repeats;
    pthread_barrier_t *barrier;
    int bad_natoms; /* error test: the natoms to pass */
    char message[512];
} job_t;

static void *compute_job(void *arg) {
    job_t *j = arg;
    pthread_barrier_wait(j->barrier);
    for (int r = 0; r < j->repeats; r++) {
        j->status = nnswift_compute(j->model, j->s->n, j->s->x, j->s->species, j->s->cell, NULL, &j->energy, j->forces,
                                    j->virial, NULL, NULL);
        if (j->status) break;
    }
    return NULL;
}

static void *error_job(void *arg) {
    job_t *j = arg;
    double e;
    j->status = nnswift_compute(j->model, j->bad_natoms, j->s->x, j->s->species, NULL, NULL, &e, NULL, NULL, NULL, NULL);
    pthread_barrier_wait(j->barrier); /* both threads have failed ... */
    pthread_barrier_wait(j->barrier); /* ... and the main thread has made its own call */
    snprintf(j->message, sizeof j->message, "%s", nnswift_last_error());
    return NULL;
}

/* ---- local + ghost construction ---- */

static void invert3(const double m[9], double inv[9]) {
    double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
    inv[0] = (m[4] * m[8] - m[5] * m[7]) / det; inv[1] = (m[2] * m[7] - m[1] * m[8]) / det; inv[2] = (m[1] * m[5] - m[2] * m[4]) / det;
    inv[3] = (m[5] * m[6] - m[3] * m[8]) / det; inv[4] = (m[0] * m[8] - m[2] * m[6]) / det; inv[5] = (m[2] * m[3] - m[0] * m[5]) / det;
    inv[6] = (m[3] * m[7] - m[4] * m[6]) / det; inv[7] = (m[1] * m[6] - m[0] * m[7]) / det; inv[8] = (m[0] * m[4] - m[1] * m[3]) / det;
}

/* Owned atoms wrapped into the cell, then every periodic image within `cutoff` of the cell as a
 * ghost; owner[k] is the owned atom of atom k. Returns the total count. */
static int build_ghosts(const system_t *s, double cutoff, double **xout, int **spout, int **ownerout) {
    double inv[9]; /* fractional s = r * inv (row vector times matrix, cell rows = lattice vectors) */
    invert3(s->cell, inv);
    double width[3]; /* perpendicular widths |V| / |b x c| ... */
    const double *a = s->cell, *b = s->cell + 3, *c = s->cell + 6;
    double vol = fabs(a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]));
    for (int k = 0; k < 3; k++) {
        const double *u = s->cell + 3 * ((k + 1) % 3), *v = s->cell + 3 * ((k + 2) % 3);
        double cx = u[1] * v[2] - u[2] * v[1], cy = u[2] * v[0] - u[0] * v[2], cz = u[0] * v[1] - u[1] * v[0];
        width[k] = vol / sqrt(cx * cx + cy * cy + cz * cz);
    }
    int reach[3];
    for (int k = 0; k < 3; k++) reach[k] = (int)ceil(cutoff / width[k]);
    int cap = s->n * (2 * reach[0] + 1) * (2 * reach[1] + 1) * (2 * reach[2] + 1);
    double *x = malloc(3 * (size_t)cap * sizeof(double));
    int *sp = malloc((size_t)cap * sizeof(int)), *owner = malloc((size_t)cap * sizeof(int));
    double (*frac)[3] = malloc((size_t)s->n * sizeof *frac);
    for (int i = 0; i < s->n; i++) {
        for (int k = 0; k < 3; k++) {
            double f = s->x[3 * i] * inv[k] + s->x[3 * i + 1] * inv[3 + k] + s->x[3 * i + 2] * inv[6 + k];
            frac[i][k] = f - floor(f);
        }
    }
    int count = 0;
    for (int pass = 0; pass < 2; pass++) /* owned atoms first, then ghosts */
        for (int i1 = -reach[0]; i1 <= reach[0]; i1++)
            for (int i2 = -reach[1]; i2 <= reach[1]; i2++)
                for (int i3 = -reach[2]; i3 <= reach[2]; i3++) {
                    int home = i1 == 0 && i2 == 0 && i3 == 0;
                    if (home != (pass == 0)) continue;
                    for (int i = 0; i < s->n; i++) {
                        double f[3] = {frac[i][0] + i1, frac[i][1] + i2, frac[i][2] + i3};
                        int inside = 1;
                        for (int k = 0; k < 3; k++)
                            if (f[k] < -cutoff / width[k] || f[k] > 1 + cutoff / width[k]) inside = 0;
                        if (!inside) continue;
                        for (int k = 0; k < 3; k++)
                            x[3 * count + k] = f[0] * s->cell[k] + f[1] * s->cell[3 + k] + f[2] * s->cell[6 + k];
                        sp[count] = s->species[i];
                        owner[count] = i;
                        count++;
                    }
                }
    free(frac);
    *xout = x; *spout = sp; *ownerout = owner;
    return count;
}

static double max_abs(const double *v, int n) {
    double m = 0;
    for (int i = 0; i < n; i++) m = fmax(m, fabs(v[i]));
    return m;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s MODEL_DIR STRUCTURE.xyz SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1], *xyz = argv[2], *scratch = argv[3];
    nnswift_model *m = NULL;
    if (nnswift_model_load(dir, &m) != NNSWIFT_OK) {
        fprintf(stderr, "api_errors: cannot load %s: %s\n", dir, nnswift_last_error());
        return 2;
    }
    system_t s;
    if (!read_xyz(xyz, m, &s)) {
        fprintf(stderr, "api_errors: cannot read %s\n", xyz);
        return 2;
    }
    double cutoff = 0;
    nnswift_model_cutoff(m, &cutoff);
    int n = s.n;

    /* ---- NULL pointers: every pointer argument of every function ---- */
    nnswift_model *tmp = (nnswift_model *)0x1;
    double d;
    int k;
    const char *str, *str2;
    expect(nnswift_model_load(NULL, &tmp), NNSWIFT_ERROR_ARGUMENT, "model_load(path NULL)");
    check(tmp == NULL, "model_load(path NULL) sets *model = NULL");
    expect(nnswift_model_load(dir, NULL), NNSWIFT_ERROR_ARGUMENT, "model_load(model NULL)");
    nnswift_model_free(NULL);
    check(1, "model_free(NULL) is a no-op");
    expect(nnswift_model_cutoff(NULL, &d), NNSWIFT_ERROR_ARGUMENT, "model_cutoff(model NULL)");
    expect(nnswift_model_cutoff(m, NULL), NNSWIFT_ERROR_ARGUMENT, "model_cutoff(cutoff NULL)");
    expect(nnswift_model_num_elements(NULL, &k), NNSWIFT_ERROR_ARGUMENT, "model_num_elements(model NULL)");
    expect(nnswift_model_num_elements(m, NULL), NNSWIFT_ERROR_ARGUMENT, "model_num_elements(count NULL)");
    expect(nnswift_model_element(NULL, 0, &str), NNSWIFT_ERROR_ARGUMENT, "model_element(model NULL)");
    expect(nnswift_model_element(m, 0, NULL), NNSWIFT_ERROR_ARGUMENT, "model_element(symbol NULL)");
    expect(nnswift_model_element(m, 2, &str), NNSWIFT_ERROR_ARGUMENT, "model_element(index 2 of 2)");
    expect(nnswift_model_element(m, -1, &str), NNSWIFT_ERROR_ARGUMENT, "model_element(index -1)");
    expect(nnswift_model_element_index(NULL, "H", &k), NNSWIFT_ERROR_ARGUMENT, "model_element_index(model NULL)");
    expect(nnswift_model_element_index(m, NULL, &k), NNSWIFT_ERROR_ARGUMENT, "model_element_index(symbol NULL)");
    expect(nnswift_model_element_index(m, "H", NULL), NNSWIFT_ERROR_ARGUMENT, "model_element_index(index NULL)");
    expect(nnswift_model_element_index(m, "Xx", &k), NNSWIFT_ERROR_SPECIES, "model_element_index(\"Xx\")");
    expect(nnswift_model_units(NULL, &str, &str2), NNSWIFT_ERROR_ARGUMENT, "model_units(model NULL)");
    expect(nnswift_model_units(m, NULL, &str2), NNSWIFT_ERROR_ARGUMENT, "model_units(length NULL)");
    expect(nnswift_model_units(m, &str, NULL), NNSWIFT_ERROR_ARGUMENT, "model_units(energy NULL)");
    check(nnswift_version() && nnswift_version()[0] && nnswift_abi_version() == NNSWIFT_ABI_VERSION, "version and ABI version");

    double e = 0, w[9];
    double *f = calloc(3 * (size_t)n, sizeof(double));
    double water[9] = {0, 0, 0.22, 0, 1.43, -0.89, 0, -1.43, -0.89};
    int wsp[3] = {1, 0, 0};
    nnswift_model_element_index(m, "O", &wsp[0]);
    nnswift_model_element_index(m, "H", &wsp[1]);
    wsp[2] = wsp[1];
    expect(nnswift_compute(NULL, 3, water, wsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_ARGUMENT, "compute(model NULL)");
    expect(nnswift_compute(m, 3, NULL, wsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_ARGUMENT, "compute(positions NULL)");
    expect(nnswift_compute(m, 3, water, NULL, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_ARGUMENT, "compute(species NULL)");
    expect(nnswift_compute(m, 3, water, wsp, NULL, NULL, NULL, f, w, NULL, NULL), NNSWIFT_ERROR_ARGUMENT, "compute(energy NULL)");

    /* ---- units and whole-system extrapolation count (nnswift_unit_factor, _load_with_units,
       _compute_extrapolations) ---- */
    int64_t nx = -1;
    expect(nnswift_unit_factor(NULL, "eV", &d), NNSWIFT_ERROR_ARGUMENT, "unit_factor(from NULL)");
    expect(nnswift_unit_factor("eV", "hartree", NULL), NNSWIFT_ERROR_ARGUMENT, "unit_factor(factor NULL)");
    expect(nnswift_unit_factor("bohr", "eV", &d), NNSWIFT_ERROR_ARGUMENT, "unit_factor(length to energy)");
    expect(nnswift_unit_factor("furlong", "bohr", &d), NNSWIFT_ERROR_ARGUMENT, "unit_factor(\"furlong\")");
    check(nnswift_unit_factor("Å", "Bohr", &d) == NNSWIFT_OK && d == 1.8897261328, "unit_factor(Å, Bohr) = 1.8897261328");
    check(nnswift_unit_factor("eV", "Ha", &d) == NNSWIFT_OK && d == 0.0367493254, "unit_factor(eV, Ha) = 0.0367493254");
    expect(nnswift_model_load_with_units(dir, "furlong", NULL, &tmp), NNSWIFT_ERROR_ARGUMENT, "model_load_with_units(\"furlong\")");
    check(tmp == NULL, "model_load_with_units failure leaves *model NULL");
    if (nnswift_model_load_with_units(dir, "Bohr", "Ha", &tmp) == NNSWIFT_OK) {
        const char *ul = NULL, *ue = NULL;
        nnswift_model_units(tmp, &ul, &ue);
        check(ul && ue && !strcmp(ul, "bohr") && !strcmp(ue, "hartree"), "model_load_with_units: canonical spellings bohr, hartree");
        nnswift_model_free(tmp);
    } else {
        check(0, "model_load_with_units(dir, Bohr, Ha)");
    }
    expect(nnswift_compute_extrapolations(m, 3, water, wsp, NULL, NULL, &e, f, w, NULL, NULL, NULL),
           NNSWIFT_ERROR_ARGUMENT, "compute_extrapolations(extrapolations NULL)");
    double e1 = 0, e2 = 0;
    check(nnswift_compute(m, 3, water, wsp, NULL, NULL, &e1, NULL, NULL, NULL, NULL) == NNSWIFT_OK
          && nnswift_compute_extrapolations(m, 3, water, wsp, NULL, NULL, &e2, NULL, NULL, NULL, NULL, &nx) == NNSWIFT_OK
          && e1 == e2 && nx >= 0, "compute_extrapolations: same energy as compute, count >= 0");
    check(nnswift_compute(m, 3, water, wsp, NULL, NULL, &e, NULL, NULL, NULL, NULL) == NNSWIFT_OK && isfinite(e),
          "compute with every optional output NULL succeeds");
    {
        /* ASE's 2D cell: third row zero with pbc 0 along it. A 30-Bohr square leaves the molecule
         * alone (cutoff 12 Bohr), so the energy equals the free molecule's (independent check);
         * a zero row along a periodic axis stays a geometry error. */
        double slab[9] = {30, 0, 0, 0, 30, 0, 0, 0, 0}, efree = 0, eslab = 0;
        int pbc2[3] = {1, 1, 0}, pbc3[3] = {1, 1, 1};
        check(nnswift_compute(m, 3, water, wsp, NULL, NULL, &efree, NULL, NULL, NULL, NULL) == NNSWIFT_OK &&
                  nnswift_compute(m, 3, water, wsp, slab, pbc2, &eslab, NULL, NULL, NULL, NULL) == NNSWIFT_OK &&
                  fabs(eslab - efree) <= 1e-12 * fabs(efree),
              "compute accepts a zero cell row along a non-periodic axis (2D cell; energy = free molecule)");
        expect(nnswift_compute(m, 3, water, wsp, slab, pbc3, &eslab, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_GEOMETRY,
               "compute(zero cell row along a periodic axis)");
    }
    expect(nnswift_compute_local(NULL, 3, 0, water, wsp, NULL, NULL, &e, f, w, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(model NULL)");
    expect(nnswift_compute_local(m, 3, 0, NULL, wsp, NULL, NULL, &e, f, w, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(positions NULL)");
    expect(nnswift_compute_local(m, 3, 0, water, NULL, NULL, NULL, &e, f, w, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(species NULL)");
    expect(nnswift_compute_local(m, 3, 0, water, wsp, NULL, NULL, NULL, f, w, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(energy NULL)");
    int nn3[3] = {2, 2, 2}, l0[2] = {1, 2}, l1[2] = {0, 2}, l2[2] = {0, 1};
    const int *first3[3] = {l0, l1, l2};
    expect(nnswift_compute_local(m, 3, 0, water, wsp, nn3, NULL, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(numneigh without firstneigh)");
    expect(nnswift_compute_local(m, 3, 0, water, wsp, NULL, first3, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(firstneigh without numneigh)");
    const int *first_null_row[3] = {l0, NULL, l2};
    expect(nnswift_compute_local(m, 3, 0, water, wsp, nn3, first_null_row, &e, NULL, NULL, NULL, NULL, NULL),
           NNSWIFT_ERROR_ARGUMENT, "compute_local(firstneigh[1] NULL with numneigh[1] = 2)");

    /* ---- library-built host list (nnswift_neighbor_list_*) ---- */
    {
        nnswift_neighbor_list *nl = NULL;
        int32_t nc = -1;
        const int32_t *num = NULL;
        const int32_t *const *first = NULL;
        expect(nnswift_neighbor_list_build(3, 3, water, cutoff, NULL), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_build(list NULL)");
        expect(nnswift_neighbor_list_build(3, 3, NULL, cutoff, &nl), NNSWIFT_ERROR_ARGUMENT,
               "neighbor_list_build(positions NULL)");
        expect(nnswift_neighbor_list_build(4, 3, water, cutoff, &nl), NNSWIFT_ERROR_ARGUMENT,
               "neighbor_list_build(ncenters > npoints)");
        expect(nnswift_neighbor_list_build(-1, 3, water, cutoff, &nl), NNSWIFT_ERROR_ARGUMENT,
               "neighbor_list_build(ncenters -1)");
        expect(nnswift_neighbor_list_build(3, 3, water, 0.0, &nl), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_build(radius 0)");
        expect(nnswift_neighbor_list_build(3, 3, water, NAN, &nl), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_build(radius NaN)");
        expect(nnswift_neighbor_list_build(3, 3, water, INFINITY, &nl), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_build(radius inf)");
        expect(nnswift_neighbor_list_build(3, 3, water, -1.0, &nl), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_build(radius -1)");
        /* at most the overlap distance: nothing but overlaps could be found, and over a box of 2e9
         * such a radius made the search quadratic */
        expect(nnswift_neighbor_list_build(3, 3, water, 1e-300, &nl), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_build(radius 1e-300)");
        expect(nnswift_neighbor_list_build(3, 3, water, 1e-6, &nl), NNSWIFT_ERROR_ARGUMENT,
               "neighbor_list_build(radius 1e-6, the overlap distance)");
        expect(nnswift_neighbor_list_build(3, INT_MAX, water, cutoff, &nl), NNSWIFT_ERROR_GEOMETRY,
               "neighbor_list_build(npoints INT_MAX, before reading the positions)");
        double farpos[9];
        memcpy(farpos, water, sizeof farpos);
        farpos[4] = 2e9;
        expect(nnswift_neighbor_list_build(3, 3, farpos, cutoff, &nl), NNSWIFT_ERROR_GEOMETRY,
               "neighbor_list_build(coordinate 2e9)");
        {   /* one center 1.5 radii from 1,000,001 ghosts on one point: the search would examine all
             * of them for every center; beyond GeometryLimits.maxCandidatesPerAtom it is an error */
            int np = 1000002;
            double *pile = calloc(3 * (size_t)np, sizeof(double));
            for (int i = 1; i < np; i++) pile[3 * i] = 1.5;
            expect(nnswift_neighbor_list_build(1, np, pile, 1.0, &nl), NNSWIFT_ERROR_GEOMETRY,
                   "neighbor_list_build(1,000,001 ghosts piled near a center)");
            /* a radius of 1e300 makes every pair neighbors: 20001 points exceed 10000 per center */
            for (int i = 0; i < 20001; i++) { pile[3 * i] = i % 100; pile[3 * i + 1] = i / 100 % 100; pile[3 * i + 2] = i / 10000; }
            expect(nnswift_neighbor_list_build(20001, 20001, pile, 1e300, &nl), NNSWIFT_ERROR_GEOMETRY,
                   "neighbor_list_build(20001 points, radius 1e300: over 10000 neighbors per center)");
            free(pile);
        }
        double nanpos[9];
        memcpy(nanpos, water, sizeof nanpos);
        nanpos[2] = NAN;
        expect(nnswift_neighbor_list_build(3, 3, nanpos, cutoff, &nl), NNSWIFT_ERROR_ARGUMENT,
               "neighbor_list_build(NaN position)");
        check(nl == NULL, "neighbor_list_build leaves *list NULL after a failure");
        expect(nnswift_neighbor_list_rows(NULL, &nc, &num, &first), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_rows(list NULL)");
        nnswift_neighbor_list_free(NULL);
        /* the trimer plus a far copy (a ghost beyond the radius) and a ghost within it: centers
         * 0..2 list every other point closer than the radius, and compute_local with that list
         * equals compute_local with its own */
        double pts[15];
        memcpy(pts, water, sizeof water);
        double far[3] = {0, 0, cutoff + 5}, near[3] = {0, 3.0, 0.22};
        memcpy(pts + 9, far, sizeof far);
        memcpy(pts + 12, near, sizeof near);
        int32_t sp5[5] = {wsp[0], wsp[1], wsp[2], wsp[0], wsp[0]};
        int ok = nnswift_neighbor_list_build(3, 5, pts, cutoff + 1.0, &nl) == NNSWIFT_OK && nl &&
                 nnswift_neighbor_list_rows(nl, &nc, &num, &first) == NNSWIFT_OK && nc == 3;
        for (int i = 0; ok && i < 3; i++) {
            int want = 0, got = 0;
            for (int j = 0; j < 5; j++) {
                double d2 = 0;
                for (int a = 0; a < 3; a++) d2 += (pts[3 * j + a] - pts[3 * i + a]) * (pts[3 * j + a] - pts[3 * i + a]);
                if (j == i || d2 >= (cutoff + 1.0) * (cutoff + 1.0)) continue;
                want++;
                for (int q = 0; q < num[i]; q++) got += first[i][q] == j;
            }
            ok = num[i] == want && got == want;
        }
        check(ok, "neighbor_list_build: each center lists exactly the points within the radius (brute force)");
        double e_own = 0, e_lib = 0, f_own[15], f_lib[15];
        ok = ok && nnswift_compute_local(m, 3, 2, pts, sp5, NULL, NULL, &e_own, f_own, NULL, NULL, NULL, NULL) == NNSWIFT_OK &&
             nnswift_compute_local(m, 3, 2, pts, sp5, num, first, &e_lib, f_lib, NULL, NULL, NULL, NULL) == NNSWIFT_OK &&
             fabs(e_lib - e_own) <= 1e-12 * fabs(e_own);
        for (int k = 0; ok && k < 15; k++) ok = fabs(f_lib[k] - f_own[k]) <= 1e-12 * (1 + fabs(f_own[k]));
        check(ok, "compute_local with the library-built list (radius cutoff + 1) equals compute_local with its own");
        expect(nnswift_compute_local(m, 3, 1, pts, sp5, num, first, &e_lib, f_lib, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
               "compute_local with a library-built list of 5 points given 4 (neighbor out of range)");
        nnswift_neighbor_list_free(nl);
        expect(nnswift_neighbor_list_rows(nl, &nc, &num, &first), NNSWIFT_ERROR_ARGUMENT, "neighbor_list_rows(freed list)");
        nnswift_neighbor_list_free(nl);
        check(1, "neighbor_list_free twice: the second is ignored");
    }

    /* ---- bad counts, NaN, species, indices ---- */
    expect(nnswift_compute(m, -1, water, wsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_ARGUMENT, "compute(natoms -1)");
    expect(nnswift_compute_local(m, -1, 0, water, wsp, NULL, NULL, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(nlocal -1)");
    expect(nnswift_compute_local(m, 3, -5, water, wsp, NULL, NULL, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(nghost -5)");
    double nanw[9];
    memcpy(nanw, water, sizeof nanw);
    nanw[4] = NAN;
    expect(nnswift_compute(m, 3, nanw, wsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_ARGUMENT, "compute(NaN position)");
    expect(nnswift_compute_local(m, 3, 0, nanw, wsp, NULL, NULL, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(NaN position)");
    expect(nnswift_compute_local(m, 3, 0, nanw, wsp, nn3, first3, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(NaN position, host list)");
    nanw[4] = INFINITY;
    expect(nnswift_compute(m, 3, nanw, wsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_ARGUMENT, "compute(infinite position)");
    int badsp[3] = {wsp[0], 2, wsp[2]};
    expect(nnswift_compute(m, 3, water, badsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_SPECIES, "compute(species 2 of 2)");
    check(strstr(nnswift_last_error(), "species index 2 of atom 2 is out of range: the model has 2 elements") != NULL &&
              strstr(nnswift_last_error(), "element '") == NULL,
          "compute(species 2 of 2) message names the index, the atom and the element count");
    badsp[1] = -1;
    expect(nnswift_compute(m, 3, water, badsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_SPECIES, "compute(species -1)");
    expect(nnswift_compute_local(m, 3, 0, water, badsp, NULL, NULL, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_SPECIES,
           "compute_local(species -1)");
    int bad0[2] = {1, 3}, badneg[2] = {1, -1};
    const int *firstbad[3] = {bad0, l1, l2}, *firstneg[3] = {badneg, l1, l2};
    expect(nnswift_compute_local(m, 3, 0, water, wsp, nn3, firstbad, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(neighbor index 3 of 3 atoms)");
    expect(nnswift_compute_local(m, 3, 0, water, wsp, nn3, firstneg, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(neighbor index -1)");
    int nnneg[3] = {2, -1, 2};
    expect(nnswift_compute_local(m, 3, 0, water, wsp, nnneg, first3, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(numneigh[1] = -1)");
    /* the same neighbor twice in one atom's list would be counted twice: rejected, naming both */
    int dup2[3] = {2, 1, 2};
    const int *firstdup[3] = {l0, l1, l2};
    int l1dup[3] = {0, 2, 0};
    firstdup[1] = l1dup;
    dup2[1] = 3;
    expect(nnswift_compute_local(m, 3, 0, water, wsp, dup2, firstdup, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_ARGUMENT,
           "compute_local(host list of atom 1 holds neighbor 0 twice)");
    check(strstr(nnswift_last_error(), "atom 1 lists neighbor 0 twice") != NULL,
          "duplicate-neighbor message names the atom and the neighbor (0-based)");

    /* ---- geometry ---- */
    double overlap[9];
    memcpy(overlap, water, sizeof overlap);
    overlap[3] = overlap[0]; overlap[4] = overlap[1]; overlap[5] = overlap[2];
    expect(nnswift_compute(m, 3, overlap, wsp, NULL, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_GEOMETRY, "compute(overlapping atoms)");
    expect(nnswift_compute_local(m, 3, 0, overlap, wsp, NULL, NULL, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_GEOMETRY,
           "compute_local(overlapping atoms)");
    expect(nnswift_compute_local(m, 3, 0, overlap, wsp, nn3, first3, &e, NULL, NULL, NULL, NULL, NULL), NNSWIFT_ERROR_GEOMETRY,
           "compute_local(overlapping atoms, host list)");
    double flat[9] = {10, 0, 0, 0, 10, 0, 20, 0, 0};
    expect(nnswift_compute(m, 3, water, wsp, flat, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_GEOMETRY, "compute(degenerate cell)");
    double zero[9] = {0};
    expect(nnswift_compute(m, 3, water, wsp, zero, NULL, &e, f, w, NULL, NULL), NNSWIFT_ERROR_GEOMETRY, "compute(zero cell)");
    double nancell[9] = {10, 0, 0, 0, NAN, 0, 0, 0, 10};
    int st = nnswift_compute(m, 3, water, wsp, nancell, NULL, &e, f, w, NULL, NULL);
    check((st == NNSWIFT_ERROR_ARGUMENT || st == NNSWIFT_ERROR_GEOMETRY) && nnswift_last_error()[0], "compute(NaN in cell) fails with ARGUMENT or GEOMETRY");

    /* ---- model files ---- */
    char path[4096], from[4096];
    mkdir(scratch, 0755);
    snprintf(path, sizeof path, "%s/truncated", scratch);
    mkdir(path, 0755);
    const char *files[] = {"input.nn", "scaling.data", "weights.001.data", "weights.008.data"};
    int copied = 1;
    for (int i = 0; i < 4; i++) {
        snprintf(from, sizeof from, "%s/%s", dir, files[i]);
        snprintf(path, sizeof path, "%s/truncated/%s", scratch, files[i]);
        copied &= copy_file(from, path, i == 3 ? 0.5 : 1.0);
    }
    check(copied, "copied the model with weights.008.data cut in half");
    snprintf(path, sizeof path, "%s/truncated", scratch);
    tmp = (nnswift_model *)0x1;
    expect(nnswift_model_load(path, &tmp), NNSWIFT_ERROR_FORMAT, "model_load(truncated weights.008.data)");
    check(tmp == NULL, "failed model_load sets *model = NULL");
    snprintf(path, sizeof path, "%s/truncated/weights.008.data", scratch);
    write_text(path, "");
    snprintf(path, sizeof path, "%s/truncated", scratch);
    expect(nnswift_model_load(path, &tmp), NNSWIFT_ERROR_FORMAT, "model_load(empty weights.008.data)");
    snprintf(path, sizeof path, "%s/truncated/weights.008.data", scratch);
    remove(path);
    snprintf(path, sizeof path, "%s/truncated", scratch);
    st = nnswift_model_load(path, &tmp);
    check((st == NNSWIFT_ERROR_IO || st == NNSWIFT_ERROR_FORMAT) && nnswift_last_error()[0],
          "model_load(weights.008.data missing) fails with IO or FORMAT");
    snprintf(path, sizeof path, "%s/truncated/scaling.data", scratch);
    snprintf(from, sizeof from, "%s/scaling.data", dir);
    copy_file(from, path, 0.3);
    snprintf(from, sizeof from, "%s/weights.008.data", dir);
    snprintf(path, sizeof path, "%s/truncated/weights.008.data", scratch);
    copy_file(from, path, 1.0);
    snprintf(path, sizeof path, "%s/truncated", scratch);
    expect(nnswift_model_load(path, &tmp), NNSWIFT_ERROR_FORMAT, "model_load(truncated scaling.data)");
    snprintf(path, sizeof path, "%s/garbage.json", scratch);
    write_text(path, "{\"format\": \"nnswift\", \"elements\": [\"H\", 42, {\"oops\"\n\x01\x02 garbage");
    expect(nnswift_model_load(path, &tmp), NNSWIFT_ERROR_FORMAT, "model_load(garbage .json)");
    snprintf(path, sizeof path, "%s/wrong.json", scratch);
    write_text(path, "{\"hello\": [1, 2, 3]}\n");
    expect(nnswift_model_load(path, &tmp), NNSWIFT_ERROR_FORMAT, "model_load(valid JSON, not a model)");
    snprintf(path, sizeof path, "%s/does-not-exist/model.json", scratch);
    expect(nnswift_model_load(path, &tmp), NNSWIFT_ERROR_IO, "model_load(missing path)");
    snprintf(path, sizeof path, "%s/does-not-exist", scratch);
    expect(nnswift_model_load(path, &tmp), NNSWIFT_ERROR_IO, "model_load(missing directory)");

    /* ---- reference result of the periodic structure ---- */
    double e0 = 0, w0[9];
    double *f0 = malloc(3 * (size_t)n * sizeof(double));
    check(nnswift_compute(m, n, s.x, s.species, s.cell, NULL, &e0, f0, w0, NULL, NULL) == NNSWIFT_OK, "compute(periodic structure)");
    check(nnswift_last_error()[0] == 0, "last_error is empty after a successful call");

    /* ---- two threads on one model ---- */
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    job_t jobs[2];
    pthread_t th[2];
    for (int t = 0; t < 2; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].model = m; jobs[t].s = &s; jobs[t].repeats = 5; jobs[t].barrier = &barrier;
        jobs[t].forces = malloc(3 * (size_t)n * sizeof(double));
        pthread_create(&th[t], NULL, compute_job, &jobs[t]);
    }
    for (int t = 0; t < 2; t++) pthread_join(th[t], NULL);
    int same = 1;
    for (int t = 0; t < 2; t++) {
        same &= jobs[t].status == NNSWIFT_OK && jobs[t].energy == e0 && memcmp(jobs[t].forces, f0, 3 * (size_t)n * sizeof(double)) == 0 &&
                memcmp(jobs[t].virial, w0, sizeof w0) == 0;
        free(jobs[t].forces);
    }
    check(same, "2 threads computing at once on one model give bit-identical energy, forces, virial");
    pthread_barrier_destroy(&barrier);

    /* per-thread last error: thread 0 fails with natoms -7, thread 1 with natoms -9, main succeeds */
    pthread_barrier_init(&barrier, NULL, 3);
    for (int t = 0; t < 2; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].model = m; jobs[t].s = &s; jobs[t].barrier = &barrier; jobs[t].bad_natoms = t == 0 ? -7 : -9;
        pthread_create(&th[t], NULL, error_job, &jobs[t]);
    }
    pthread_barrier_wait(&barrier);
    expect(nnswift_model_element_index(m, "Qq", &k), NNSWIFT_ERROR_SPECIES, "main thread error while the others hold theirs");
    char mine[512];
    snprintf(mine, sizeof mine, "%s", nnswift_last_error());
    pthread_barrier_wait(&barrier);
    for (int t = 0; t < 2; t++) pthread_join(th[t], NULL);
    pthread_barrier_destroy(&barrier);
    check(jobs[0].status == NNSWIFT_ERROR_ARGUMENT && strstr(jobs[0].message, "-7") && !strstr(jobs[0].message, "-9"),
          "thread 0 sees its own last error (natoms -7)");
    check(jobs[1].status == NNSWIFT_ERROR_ARGUMENT && strstr(jobs[1].message, "-9") && !strstr(jobs[1].message, "-7"),
          "thread 1 sees its own last error (natoms -9)");
    check(strstr(mine, "Qq") && !strstr(mine, "-7") && !strstr(mine, "-9"), "main thread sees its own last error");

    /* ---- compute_local with periodic images as ghosts ---- */
    double *xg;
    int *spg, *owner;
    int total = build_ghosts(&s, cutoff, &xg, &spg, &owner);
    int nghost = total - n;
    printf("# compute_local: %d owned + %d ghost atoms (cutoff %g)\n", n, nghost, cutoff);
    double *fl = calloc(3 * (size_t)total, sizeof(double)), *ae = malloc((size_t)n * sizeof(double));
    double *fold = malloc(3 * (size_t)n * sizeof(double));
    int *numneigh = malloc((size_t)n * sizeof(int));
    int **rows = malloc((size_t)n * sizeof(int *));
    double skin = 1.0; /* host lists may hold pairs beyond the cutoff */
    for (int i = 0; i < n; i++) {
        rows[i] = malloc((size_t)total * sizeof(int));
        numneigh[i] = 0;
        for (int j = total - 1; j >= 0; j--) { /* an order different from nnswift's own */
            if (j == i) continue;
            double dx = xg[3 * j] - xg[3 * i], dy = xg[3 * j + 1] - xg[3 * i + 1], dz = xg[3 * j + 2] - xg[3 * i + 2];
            if (dx * dx + dy * dy + dz * dz < (cutoff + skin) * (cutoff + skin)) rows[i][numneigh[i]++] = j;
        }
    }
    for (int variant = 0; variant < 2; variant++) {
        const char *name = variant ? "host full neighbor list" : "own neighbor list";
        double el = 0, wl[9];
        int64_t extrap = -1;
        for (int i = 0; i < 3 * total; i++) fl[i] = NAN; /* written, never added to */
        for (int i = 0; i < n; i++) ae[i] = 1.0;
        int stl = nnswift_compute_local(m, n, nghost, xg, spg, variant ? numneigh : NULL, variant ? (const int *const *)rows : NULL,
                                        &el, fl, wl, ae, NULL, &extrap);
        char msg[512];
        snprintf(msg, sizeof msg, "compute_local (%s) succeeds", name);
        check(stl == NNSWIFT_OK, msg);
        if (stl) { printf("#   %s\n", nnswift_last_error()); continue; }
        memset(fold, 0, 3 * (size_t)n * sizeof(double));
        for (int j = 0; j < total; j++)
            for (int a = 0; a < 3; a++) fold[3 * owner[j] + a] += fl[3 * j + a];
        double ferr = 0, werr = 0, aesum = 0;
        for (int i = 0; i < 3 * n; i++) ferr = fmax(ferr, fabs(fold[i] - f0[i]));
        for (int i = 0; i < 9; i++) werr = fmax(werr, fabs(wl[i] - w0[i]));
        for (int i = 0; i < n; i++) aesum += ae[i];
        double erel = fabs(el - e0) / fabs(e0);
        printf("#   %s: E %.17g vs %.17g (rel %.2e), max |dF| %.2e (max |F| %.2e), max |dW| %.2e (max |W| %.2e), extrapolations %" PRId64 "\n",
               name, el, e0, erel, ferr, max_abs(f0, 3 * n), werr, max_abs(w0, 9), extrap);
        snprintf(msg, sizeof msg, "compute_local (%s): energy matches compute to 1e-10 relative (%.2e)", name, erel);
        check(erel <= 1e-10, msg);
        snprintf(msg, sizeof msg, "compute_local (%s): ghost forces folded back match compute to 1e-9 of max |F| (%.2e)", name, ferr);
        check(ferr <= 1e-9 * max_abs(f0, 3 * n), msg);
        snprintf(msg, sizeof msg, "compute_local (%s): virial matches compute to 1e-9 of max |W| (%.2e)", name, werr);
        check(werr <= 1e-9 * max_abs(w0, 9), msg);
        snprintf(msg, sizeof msg, "compute_local (%s): atom_energies are written (not added to 1.0) and sum to the energy", name);
        check(fabs(aesum - el) <= 1e-10 * fabs(el), msg);
        check(extrap >= 0, variant ? "extrapolations written (host list)" : "extrapolations written (own list)");
    }
    /* a host list missing a neighbor within the cutoff gives a different energy: the list is used */
    int saved = numneigh[0];
    numneigh[0] = saved / 2;
    double ecut = 0;
    check(nnswift_compute_local(m, n, nghost, xg, spg, numneigh, (const int *const *)rows, &ecut, NULL, NULL, NULL, NULL, NULL) ==
              NNSWIFT_OK && ecut != e0,
          "compute_local uses the host neighbor list (a shortened list changes the energy)");
    numneigh[0] = saved;

    /* ---- outputs written, never added: two calls into arrays prefilled with NaN, then with
       garbage, give bit-identical outputs; every documented element (ghost forces and ghost
       atom virials included) is finite; the int64_t extrapolation count is written in full
       and equals compute_extrapolations' count of the same atoms ---- */
    {
        size_t nout = 1 + 9 + 3 * (size_t)total + (size_t)n + 9 * (size_t)total;
        double *out[2] = {malloc(nout * sizeof(double)), malloc(nout * sizeof(double))};
        int64_t ex[2], exw = -1;
        int okw = 1;
        for (int call = 0; call < 2; call++) {
            double *o = out[call];
            for (size_t i = 0; i < nout; i++) o[i] = call == 0 ? NAN : 1e300 * (double)(i % 7 + 1);
            ex[call] = call == 0 ? INT64_MIN : INT64_C(0x7fffffff00000001);
            okw = okw && nnswift_compute_local(m, n, nghost, xg, spg, numneigh, (const int *const *)rows, o, o + 10, o + 1,
                                               o + 10 + 3 * (size_t)total, o + 10 + 3 * (size_t)total + n, &ex[call]) == NNSWIFT_OK;
        }
        int finite = 1;
        for (size_t i = 0; i < nout; i++) finite = finite && isfinite(out[0][i]);
        check(okw && memcmp(out[0], out[1], nout * sizeof(double)) == 0 && ex[0] == ex[1],
              "compute_local twice into NaN- and garbage-filled outputs: bit-identical results (written, not added)");
        check(okw && finite, "compute_local writes every element of energy, virial, forces, atom_energies and atom_virials");
        check(okw && fabs(out[0][0] - e0) <= 1e-10 * fabs(e0), "compute_local into garbage-filled outputs: energy matches compute");
        check(nnswift_compute_extrapolations(m, n, s.x, s.species, s.cell, NULL, &e, NULL, NULL, NULL, NULL, &exw) == NNSWIFT_OK &&
                  ex[0] == exw && ex[0] >= 0,
              "compute_local writes all 64 bits of extrapolations (= compute_extrapolations of the same atoms)");
        printf("#   extrapolations: compute_local %" PRId64 ", compute_extrapolations %" PRId64 "\n", ex[0], exw);
        /* a real host list with one neighbor repeated at the end is rejected */
        int *dup = malloc(((size_t)numneigh[0] + 1) * sizeof(int));
        memcpy(dup, rows[0], (size_t)numneigh[0] * sizeof(int));
        dup[numneigh[0]] = rows[0][numneigh[0] / 2];
        int *saved_row = rows[0];
        rows[0] = dup; numneigh[0]++;
        expect(nnswift_compute_local(m, n, nghost, xg, spg, numneigh, (const int *const *)rows, &e, NULL, NULL, NULL, NULL, NULL),
               NNSWIFT_ERROR_ARGUMENT, "compute_local(periodic host list with a repeated neighbor)");
        char want[128];
        snprintf(want, sizeof want, "atom 0 lists neighbor %d twice", dup[numneigh[0] - 1]);
        check(strstr(nnswift_last_error(), want) != NULL, "repeated-neighbor message names atom 0 and the neighbor");
        rows[0] = saved_row; numneigh[0]--;
        free(dup); free(out[0]); free(out[1]);
    }

    /* ---- process-wide thread count: validation, and bit-identical results for 1, 2, 4 ---- */
    int nt = 0;
    check(nnswift_get_num_threads(&nt) == NNSWIFT_OK && nt >= 1 && nt <= 1024, "get_num_threads gives a default in 1..1024");
    expect(nnswift_get_num_threads(NULL), NNSWIFT_ERROR_ARGUMENT, "get_num_threads(NULL)");
    expect(nnswift_set_num_threads(0), NNSWIFT_ERROR_ARGUMENT, "set_num_threads(0)");
    expect(nnswift_set_num_threads(-3), NNSWIFT_ERROR_ARGUMENT, "set_num_threads(-3)");
    expect(nnswift_set_num_threads(1025), NNSWIFT_ERROR_ARGUMENT, "set_num_threads(1025)");
    check(nnswift_get_num_threads(&k) == NNSWIFT_OK && k == nt, "a rejected set_num_threads keeps the count");
    size_t nf = 3 * (size_t)n, nfl = 3 * (size_t)total;
    double *ref = NULL, *cur = malloc((3 + 1 + 9) * (size_t)n * sizeof(double) + (3 + 9) * (size_t)total * sizeof(double) + 20 * sizeof(double));
    size_t len = ((3 + 1 + 9) * (size_t)n + (3 + 9) * (size_t)total + 20) * sizeof(double);
    int threads[3] = {1, 2, 4};
    for (int ti = 0; ti < 3; ti++) {
        memset(cur, 0, len);
        double *ce = cur, *cf = cur + 1, *cw = cf + nf, *cae = cw + 9, *cav = cae + n;
        double *le = cav + 9 * (size_t)n, *lf = le + 1, *lw = lf + nfl, *lav = lw + 9;
        char msg[256];
        snprintf(msg, sizeof msg, "set_num_threads(%d)", threads[ti]);
        check(nnswift_set_num_threads(threads[ti]) == NNSWIFT_OK && nnswift_get_num_threads(&k) == NNSWIFT_OK && k == threads[ti], msg);
        int ok1 = nnswift_compute(m, n, s.x, s.species, s.cell, NULL, ce, cf, cw, cae, cav) == NNSWIFT_OK;
        int64_t ex = 0;
        int ok2 = nnswift_compute_local(m, n, nghost, xg, spg, numneigh, (const int *const *)rows, le, lf, lw, NULL, lav, &ex) == NNSWIFT_OK;
        snprintf(msg, sizeof msg, "compute and compute_local with %d threads succeed", threads[ti]);
        check(ok1 && ok2, msg);
        if (ti == 0) { ref = malloc(len); memcpy(ref, cur, len); continue; }
        snprintf(msg, sizeof msg, "%d threads: energies, forces, virials, atom energies and virials (compute and compute_local) "
                 "bit-identical to 1 thread", threads[ti]);
        check(memcmp(cur, ref, len) == 0, msg);
    }
    nnswift_set_num_threads(nt);
    free(ref); free(cur);

    for (int i = 0; i < n; i++) free(rows[i]);
    free(rows); free(numneigh); free(fl); free(ae); free(fold); free(xg); free(spg); free(owner);
    free(f); free(f0); free(s.x); free(s.species);
    nnswift_model_free(m);
    printf("api_errors: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
