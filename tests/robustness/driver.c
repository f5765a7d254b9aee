/* Robustness driver for the nnswift C API.
 *
 *   robust_driver LIST TIMEOUT_SECONDS
 *
 * LIST has one case per line: "model PATH" (load the model; when it loads, compute a small
 * cluster, a periodic cell and a local domain with it; every whole-system compute is followed by
 * nnswift_descriptors, raw and scaled, of the same atoms) or "geometry K PATH" (extreme geometry
 * case K with the model at PATH). Every case runs in a forked child with an alarm, so a trap
 * or an abort kills only the child. The parent classifies each child:
 *   pass     exit 0: every call returned an error with a message, or OK with finite results;
 *            exit 6: the model was refused at load with a message (counted as passed and rejected)
 *   crash    killed by a signal other than the alarm
 *   hang     killed by the alarm (ran past TIMEOUT_SECONDS)
 *   nonfinite exit 3: status OK with a NaN or infinite energy, force or virial
 *   nomessage exit 4: an error status with an empty nnswift_last_error()
 * and prints "robust_driver: N passed (R models refused at load), crashes C, hangs H, nonfinite F, nomessage M". */
#include <nnswift.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { EXIT_PASS = 0, EXIT_NONFINITE = 3, EXIT_NOMESSAGE = 4, EXIT_USAGE = 5, EXIT_REJECTED = 6, EXIT_WRONG = 7 };

static int all_finite(const double *v, long n) {
    for (long i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* Checks one compute call: an error needs a message, OK needs finite outputs. */
static void judge(int status, int n, const double *e, const double *f, const double *v, const double *ae) {
    if (status != NNSWIFT_OK) {
        const char *msg = nnswift_last_error();
        if (!msg || !msg[0]) _exit(EXIT_NOMESSAGE);
        return;
    }
    if (!all_finite(e, 1) || !all_finite(f, 3L * n) || !all_finite(v, 9) || !all_finite(ae, n)) {
        fprintf(stderr, "status OK with non-finite output (E = %g)\n", *e);
        _exit(EXIT_NONFINITE);
    }
}

/* An error status needs a message. */
static void need_message(int status) {
    if (status == NNSWIFT_OK) return;
    const char *msg = nnswift_last_error();
    if (!msg || !msg[0]) _exit(EXIT_NOMESSAGE);
}

/* A status that must be an error (with a message): OK is a wrong answer. */
static void must_fail(int status, const char *what) {
    if (status == NNSWIFT_OK) { fprintf(stderr, "%s: status OK, expected an error\n", what); _exit(EXIT_WRONG); }
    need_message(status);
}

/* Deterministic pseudo-random numbers in [0, 1). */
static unsigned long long rng_state = 88172645463325252ULL;
static double uniform(void) {
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

#define NMAX 16

/* nnswift_descriptors (raw and scaled) of n atoms at x in cell (NULL: cluster), judged as a
 * compute call: an error needs a message, OK needs finite values. */
static void descriptors(nnswift_model *m, int n, const double *x, const double *cell) {
    int32_t nel = 1, species[NMAX], pbc[3] = {1, 1, 1};
    nnswift_model_num_elements(m, &nel);
    if (nel < 1) nel = 1;
    long total = 0;
    for (int i = 0; i < n && i < NMAX; i++) {
        int32_t count = 0;
        species[i] = i % nel;
        if (nnswift_model_num_descriptors(m, species[i], &count) != NNSWIFT_OK) {
            const char *msg = nnswift_last_error();
            if (!msg || !msg[0]) _exit(EXIT_NOMESSAGE);
            return;
        }
        total += count;
    }
    double *g = malloc((size_t)(total > 0 ? total : 1) * sizeof(double));
    for (int scaled = 0; scaled < 2; scaled++) {
        int status = nnswift_descriptors(m, n, x, species, cell, pbc, scaled, g);
        if (status != NNSWIFT_OK) {
            const char *msg = nnswift_last_error();
            if (!msg || !msg[0]) _exit(EXIT_NOMESSAGE);
        } else if (!all_finite(g, total)) {
            fprintf(stderr, "nnswift_descriptors (scaled %d): status OK with a non-finite value\n", scaled);
            _exit(EXIT_NONFINITE);
        }
    }
    free(g);
}

/* compute with n atoms at x in cell (NULL: cluster), species cycling over the model's elements;
 * then the descriptors of the same atoms. */
static int compute(nnswift_model *m, int n, const double *x, const double *cell) {
    int32_t nel = 1, species[NMAX], pbc[3] = {1, 1, 1};
    double e = 0, f[3 * NMAX], v[9], ae[NMAX];
    nnswift_model_num_elements(m, &nel);
    if (nel < 1) nel = 1;
    for (int i = 0; i < n && i < NMAX; i++) species[i] = i % nel;
    int status = nnswift_compute(m, n, x, species, cell, pbc, &e, f, v, ae, NULL);
    judge(status, n, &e, f, v, ae);
    descriptors(m, n, x, cell);
    return status;
}

/* nnswift_neighbor_list_build of ncenters of npoints points at x; when it succeeds, the rows
 * must be exactly the brute-force pairs closer than radius (same arithmetic), and
 * nnswift_compute_local (species may be NULL: skipped) with them is judged. The list is freed,
 * then rows on it must fail and a second free must do nothing. */
static void local_with_list(nnswift_model *m, int ncenters, int npoints, const double *x, const int32_t *species,
                            double radius) {
    nnswift_neighbor_list *nl = NULL;
    int status = nnswift_neighbor_list_build(ncenters, npoints, x, radius, &nl);
    need_message(status);
    if (status != NNSWIFT_OK) {
        if (nl) { fprintf(stderr, "failed build left *list set\n"); _exit(EXIT_WRONG); }
        return;
    }
    int32_t nc = -1;
    const int32_t *num = NULL;
    const int32_t *const *first = NULL;
    if (nnswift_neighbor_list_rows(nl, &nc, &num, &first) != NNSWIFT_OK || nc != ncenters) {
        fprintf(stderr, "rows of a built list: %s (ncenters %d, want %d)\n", nnswift_last_error(), nc, ncenters);
        _exit(EXIT_WRONG);
    }
    unsigned char *listed = malloc((size_t)(npoints > 0 ? npoints : 1));
    for (int i = 0; i < ncenters; i++) {
        memset(listed, 0, (size_t)(npoints > 0 ? npoints : 1));
        for (int q = 0; q < num[i]; q++) {
            int j = first[i][q];
            if (j < 0 || j >= npoints || j == i || listed[j]) {
                fprintf(stderr, "center %d: neighbor %d out of range, itself or listed twice\n", i, j);
                _exit(EXIT_WRONG);
            }
            listed[j] = 1;
        }
        for (int j = 0; j < npoints; j++) {
            double dx = x[3 * j] - x[3 * i], dy = x[3 * j + 1] - x[3 * i + 1], dz = x[3 * j + 2] - x[3 * i + 2];
            int within = j != i && dx * dx + dy * dy + dz * dz < radius * radius;
            if (within != listed[j]) {
                fprintf(stderr, "center %d: point %d within radius %d, listed %d\n", i, j, within, listed[j]);
                _exit(EXIT_WRONG);
            }
        }
    }
    free(listed);
    if (m && species && npoints <= NMAX) {
        double e = 0, f[3 * NMAX], v[9], ae[NMAX];
        int64_t extrap = 0;
        status = nnswift_compute_local(m, ncenters, npoints - ncenters, x, species, num, first, &e, f, v, ae, NULL, &extrap);
        judge(status, ncenters, &e, f, v, ae);
        /* fewer points than the list indexes: out-of-range neighbors must be an error, not a read */
        if (npoints > ncenters && ncenters > 0) {
            int any = 0;
            for (int i = 0; i < ncenters; i++)
                for (int q = 0; q < num[i]; q++) any |= first[i][q] == npoints - 1;
            if (any)
                must_fail(nnswift_compute_local(m, ncenters, npoints - ncenters - 1, x, species, num, first, &e, f, v, ae,
                                                NULL, &extrap), "compute_local with a list indexing beyond nlocal + nghost");
        }
    }
    nnswift_neighbor_list_free(nl);
    must_fail(nnswift_neighbor_list_rows(nl, &nc, &num, &first), "rows of a freed list");
    nnswift_neighbor_list_free(nl);
}

/* The model a case needs; a model that does not load is a usage error of the run, not a finding. */
static nnswift_model *load_or_exit(const char *kind, int k, const char *path) {
    nnswift_model *m = NULL;
    if (nnswift_model_load(path, &m) != NNSWIFT_OK) {
        fprintf(stderr, "%s case %d: model %s does not load: %s\n", kind, k, path, nnswift_last_error());
        _exit(EXIT_USAGE);
    }
    return m;
}

/* Neighbor-list case k (nnswift_neighbor_list_*; the model at path for compute_local). */
static void run_neighbors(int k, const char *path) {
    nnswift_model *m = load_or_exit("neighbors", k, path);
    double water[9] = {0, 0, 0, 1.8, 0, 0, 0, 1.8, 0};
    int32_t species[NMAX] = {0};
    nnswift_neighbor_list *nl = NULL;
    int32_t nc = 0;
    const int32_t *num = NULL;
    const int32_t *const *first = NULL;
    switch (k) {
    case 0: /* NULL pointers */
        must_fail(nnswift_neighbor_list_build(3, 3, NULL, 6, &nl), "build(positions NULL)");
        must_fail(nnswift_neighbor_list_build(3, 3, water, 6, NULL), "build(list NULL)");
        must_fail(nnswift_neighbor_list_rows(NULL, &nc, &num, &first), "rows(list NULL)");
        if (nnswift_neighbor_list_build(3, 3, water, 6, &nl) != NNSWIFT_OK) _exit(EXIT_WRONG);
        must_fail(nnswift_neighbor_list_rows(nl, NULL, &num, &first), "rows(ncenters NULL)");
        must_fail(nnswift_neighbor_list_rows(nl, &nc, NULL, &first), "rows(numneigh NULL)");
        must_fail(nnswift_neighbor_list_rows(nl, &nc, &num, NULL), "rows(firstneigh NULL)");
        nnswift_neighbor_list_free(nl);
        nnswift_neighbor_list_free(NULL);
        break;
    case 1: /* counts: negative, more centers than points, INT_MAX points with a 3-point buffer */
        must_fail(nnswift_neighbor_list_build(-1, 3, water, 6, &nl), "build(ncenters -1)");
        must_fail(nnswift_neighbor_list_build(4, 3, water, 6, &nl), "build(ncenters > npoints)");
        must_fail(nnswift_neighbor_list_build(0, -3, water, 6, &nl), "build(npoints -3)");
        must_fail(nnswift_neighbor_list_build(3, INT_MAX, water, 6, &nl), "build(npoints INT_MAX)");
        must_fail(nnswift_neighbor_list_build(INT_MAX, INT_MAX, water, 6, &nl), "build(ncenters INT_MAX)");
        local_with_list(m, 0, 3, water, species, 6); /* no centers */
        break;
    case 2: { /* radii that cannot be searched */
        double bad[] = {NAN, INFINITY, -INFINITY, -1, 0, -0.0, 5e-324, 1e-300, 1e-7, 1e-6};
        for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) must_fail(nnswift_neighbor_list_build(3, 3, water, bad[i], &nl), "build(bad radius)");
        local_with_list(m, 3, 3, water, species, 1.0000001e-6 + 1e-12);
        break;
    }
    case 3: { /* radius 1e300 on 20000 points: every pair, beyond the neighbors-per-atom bound */
        int n = 20000;
        double *x = malloc(3 * sizeof(double) * (size_t)n);
        for (int i = 0; i < 3 * n; i++) x[i] = 100 * uniform();
        must_fail(nnswift_neighbor_list_build(n, n, x, 1e300, &nl), "build(20000 points, radius 1e300)");
        must_fail(nnswift_neighbor_list_build(n, n, x, DBL_MAX, &nl), "build(20000 points, radius DBL_MAX)");
        local_with_list(NULL, 500, 2000, x, NULL, 1e300); /* 2000 points: allowed, every pair */
        free(x);
        break;
    }
    case 4: { /* 200000 points spread over +-1e9 with the smallest radius, and with 1e-300 */
        int n = 200000;
        double *x = malloc(3 * sizeof(double) * (size_t)n);
        for (int i = 0; i < 3 * n; i++) x[i] = 2e9 * uniform() - 1e9;
        must_fail(nnswift_neighbor_list_build(n, n, x, 1e-300, &nl), "build(radius 1e-300)");
        int status = nnswift_neighbor_list_build(n, n, x, 2e-6, &nl);
        need_message(status);
        nnswift_neighbor_list_free(nl);
        free(x);
        break;
    }
    case 5: { /* non-finite and out-of-range positions */
        double bad[] = {NAN, INFINITY, -INFINITY, 1e21, -1.0000001e9};
        for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            double x[9];
            memcpy(x, water, sizeof x);
            x[3 + i % 3] = bad[i];
            must_fail(nnswift_neighbor_list_build(1, 3, x, 6, &nl), "build(bad position)");
            if (nl) _exit(EXIT_WRONG);
        }
        break;
    }
    case 6: { /* 3000 centers next to 2,000,000 ghosts piled on one point just beyond the radius */
        int nc0 = 3000, n = nc0 + 2000000;
        double *x = malloc(3 * sizeof(double) * (size_t)n);
        for (int i = 0; i < nc0; i++) { x[3 * i] = 1e-4 * (i % 15); x[3 * i + 1] = 1e-4 * (i / 15 % 15); x[3 * i + 2] = 1e-4 * (i / 225); }
        for (int i = nc0; i < n; i++) { x[3 * i] = 1.5; x[3 * i + 1] = x[3 * i + 2] = 0; }
        must_fail(nnswift_neighbor_list_build(nc0, n, x, 1.0, &nl), "build(ghosts piled near 3000 centers)");
        free(x);
        break;
    }
    case 7: { /* a list, then compute_local with fewer points than it indexes */
        double x[18] = {0, 0, 0, 1.8, 0, 0, 0, 1.8, 0, 0, 0, 1.9, 1.9, 1.9, 0, -1.7, 0.3, 0};
        for (int i = 0; i < 6; i++) species[i] = 0;
        local_with_list(m, 4, 6, x, species, 6);
        break;
    }
    default: { /* k >= 100: seeded random counts, radii and positions */
        rng_state ^= (unsigned long long)k * 0x9E3779B97F4A7C15ULL;
        for (int r = 0; r < 8; r++) uniform();
        double radii[] = {NAN, INFINITY, -1, 0, 5e-324, 1e-300, 1e-6, 2e-6, 0.5, 3, 12, 1e9, 1e300, DBL_MAX};
        double scales[] = {1e-300, 1e-6, 1e-3, 1, 10, 1e8, 1e9, 1e21};
        double tokens[] = {NAN, INFINITY, -INFINITY, 0, 1e9, -1e9, 1e300, 5e-324};
        int32_t nel = 1;
        nnswift_model_num_elements(m, &nel);
        int npoints = (int)(uniform() * (NMAX + 1)), ncenters = npoints ? (int)(uniform() * (npoints + 1)) : 0;
        double radius = radii[(int)(uniform() * 14)], scale = scales[(int)(uniform() * 8)];
        double x[3 * NMAX];
        for (int i = 0; i < 3 * npoints; i++) x[i] = scale * (uniform() - 0.5);
        for (int t = (int)(uniform() * 3); t > 0 && npoints > 0; t--) {
            int i = (int)(uniform() * 3 * npoints);
            if (uniform() < 0.5) x[i] = tokens[(int)(uniform() * 8)];
            else { int j = (int)(uniform() * npoints); memcpy(x + 3 * (i / 3), x + 3 * j, 3 * sizeof(double)); }
        }
        for (int i = 0; i < npoints; i++) species[i] = i % (nel > 0 ? nel : 1);
        if (uniform() < 0.2) ncenters = uniform() < 0.5 ? -1 - (int)(uniform() * 3) : npoints + 1 + (int)(uniform() * 3);
        if (ncenters < 0 || ncenters > npoints) { must_fail(nnswift_neighbor_list_build(ncenters, npoints, x, radius, &nl), "build(bad ncenters)"); break; }
        local_with_list(m, ncenters, npoints, x, species, radius);
        break;
    }
    }
    nnswift_model_free(m);
}

static void run_model(const char *path) {
    nnswift_model *m = NULL;
    int status = nnswift_model_load(path, &m);
    if (status != NNSWIFT_OK) {
        const char *msg = nnswift_last_error();
        if (!msg || !msg[0]) _exit(EXIT_NOMESSAGE);
        _exit(EXIT_REJECTED);
    }
    double x[3 * NMAX];
    for (int i = 0; i < 3 * NMAX; i++) x[i] = 6.0 * uniform();
    double cell[9] = {7, 0, 0, 0.5, 7, 0, -0.3, 0.2, 7};
    compute(m, 6, x, NULL);
    compute(m, 6, x, cell);
    /* The same atoms as a local domain: 4 owned, 2 ghosts, the library's own neighbor search. */
    int32_t nel = 1, species[6];
    nnswift_model_num_elements(m, &nel);
    for (int i = 0; i < 6; i++) species[i] = i % (nel > 0 ? nel : 1);
    double e = 0, f[18], v[9], ae[6];
    int64_t extrap = 0;
    status = nnswift_compute_local(m, 4, 2, x, species, NULL, NULL, &e, f, v, ae, NULL, &extrap);
    judge(status, 6, &e, f, v, ae);
    /* and with the library-built list (radius: the model's cutoff plus a skin of 1) */
    double rc = 0;
    if (nnswift_model_cutoff(m, &rc) != NNSWIFT_OK) rc = 6;
    local_with_list(m, 4, 6, x, species, rc + 1);
    nnswift_model_free(m);
}

static void run_geometry(int k, const char *path) {
    nnswift_model *m = load_or_exit("geometry", k, path);
    double water[9] = {0, 0, 0, 1.8, 0, 0, 0, 1.8, 0};
    double x[3 * NMAX];
    double cell[9] = {0};
    int n = 3;
    memcpy(x, water, sizeof water);
    switch (k) {
    case 0: /* cubic cell of edge 0.5: far too small for the cutoff */
    case 1: /* edge 1 */
    case 2: /* edge 3 */ {
        double a = k == 0 ? 0.5 : k == 1 ? 1.0 : 3.0;
        cell[0] = cell[4] = cell[8] = a;
        for (int i = 0; i < 9; i++) x[i] *= a / 10;
        compute(m, n, x, cell);
        break;
    }
    case 3: x[6] = 1e21; compute(m, n, x, NULL); break;                          /* one atom far away */
    case 4: x[3] = 1e8; x[7] = -1e8; compute(m, n, x, NULL); break;              /* spread over 1e8 */
    case 5: cell[0] = cell[4] = cell[8] = 1e100; compute(m, n, x, cell); break;  /* huge cell */
    case 6: cell[0] = cell[4] = cell[8] = 1e9; compute(m, n, x, cell); break;
    case 7: x[0] = NAN; compute(m, n, x, NULL); break;
    case 8: x[3] = 0; compute(m, n, x, NULL); break;                             /* overlapping atoms */
    case 9: cell[0] = 1; cell[3] = 2; cell[8] = 1; compute(m, n, x, cell); break; /* degenerate cell */
    case 10: cell[0] = cell[4] = INFINITY; cell[8] = 1; compute(m, n, x, cell); break;
    case 11: { /* natoms = INT_MAX with 3-atom buffers: must fail before reading them */
        int32_t species[3] = {0, 0, 0};
        double e = 0, f[9], v[9], ae[3];
        int status = nnswift_compute(m, INT_MAX, x, species, NULL, NULL, &e, f, v, ae, NULL);
        if (status == NNSWIFT_OK) _exit(EXIT_NONFINITE);
        judge(status, 3, &e, f, v, ae);
        break;
    }
    case 12: { /* nlocal + nghost = 2 INT_MAX */
        int32_t species[3] = {0, 0, 0};
        double e = 0, f[9], v[9], ae[3];
        int64_t extrap = 0;
        int status = nnswift_compute_local(m, INT_MAX, INT_MAX, x, species, NULL, NULL, &e, f, v, ae, NULL, &extrap);
        if (status == NNSWIFT_OK) _exit(EXIT_NONFINITE);
        judge(status, 3, &e, f, v, ae);
        break;
    }
    case 13: /* triclinic cell with a 1e8 tilt */
        cell[0] = 10; cell[3] = 1e8; cell[4] = 10; cell[8] = 10;
        compute(m, n, x, cell);
        break;
    case 14: /* 16 atoms piled within 1e-3 */
        n = NMAX;
        for (int i = 0; i < 3 * n; i++) x[i] = 1e-3 * uniform();
        compute(m, n, x, NULL);
        break;
    case 15: /* tiny coordinates */
        for (int i = 0; i < 9; i++) x[i] *= 1e-300;
        compute(m, n, x, NULL);
        break;
    default: _exit(EXIT_USAGE);
    }
    nnswift_model_free(m);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: robust_driver LIST TIMEOUT_SECONDS\n"); return EXIT_USAGE; }
    FILE *list = fopen(argv[1], "r");
    if (!list) { perror(argv[1]); return EXIT_USAGE; }
    unsigned timeout = (unsigned)atoi(argv[2]);
    long passed = 0, rejected = 0, crashes = 0, hangs = 0, nonfinite = 0, nomessage = 0, other = 0;
    char line[4096];
    while (fgets(line, sizeof line, list)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0]) continue;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(timeout);
            if (strncmp(line, "model ", 6) == 0) run_model(line + 6);
            else if (strncmp(line, "geometry ", 9) == 0) {
                char *rest = NULL;
                long k = strtol(line + 9, &rest, 10);
                run_geometry((int)k, rest + 1);
            } else if (strncmp(line, "neighbors ", 10) == 0) {
                char *rest = NULL;
                long k = strtol(line + 10, &rest, 10);
                run_neighbors((int)k, rest + 1);
            } else _exit(EXIT_USAGE);
            _exit(EXIT_PASS);
        }
        int ws = 0;
        waitpid(pid, &ws, 0);
        if (WIFEXITED(ws) && WEXITSTATUS(ws) == EXIT_PASS) { passed++; continue; }
        if (WIFEXITED(ws) && WEXITSTATUS(ws) == EXIT_REJECTED) { passed++; rejected++; continue; }
        const char *what = "other";
        if (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGALRM) { hangs++; what = "hang"; }
        else if (WIFSIGNALED(ws)) { crashes++; what = "crash"; }
        else if (WEXITSTATUS(ws) == EXIT_NONFINITE) { nonfinite++; what = "nonfinite"; }
        else if (WEXITSTATUS(ws) == EXIT_NOMESSAGE) { nomessage++; what = "nomessage"; }
        else if (WEXITSTATUS(ws) == EXIT_WRONG) { other++; what = "wrong"; }
        else other++;
        printf("FAIL %s (%s%d): %s\n", what, WIFSIGNALED(ws) ? "signal " : "exit ",
               WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws), line);
    }
    printf("robust_driver: %ld passed (%ld models refused at load), crashes %ld, hangs %ld, nonfinite %ld, nomessage %ld, other %ld\n",
           passed, rejected, crashes, hangs, nonfinite, nomessage, other);
    return crashes || hangs || nonfinite || nomessage || other ? 1 : 0;
}
