/*
 * Mock implementation of the nnswift C API (include/nnswift.h), for testing the LAMMPS
 * pair style without the Swift library. NOT a neural network: a smooth many-body potential
 * with the same interface and the same kind of locality (per-atom energies of owned atoms
 * depend on neighbours within a cutoff, including ghosts, with a 3-body term), so that
 * ghost-force and per-atom-virial handling in the host are exercised.
 *
 *   E_i = e0(s_i) + 1/2 sum_j phi(r_ij) + B sum_{j<k} fc(r_ij) fc(r_ik) (cos t_jik - c0)^2
 *   phi(r) = A eps_i eps_j [exp(-2 alpha (r - r0)) - 2 exp(-alpha (r - r0))] fc(r)
 *   fc(r)  = 0.5 [cos(pi r / rc) + 1]  (r < rc)
 *
 * Model file (text):
 *   nnswift_mock 1
 *   units <angstrom|bohr|unknown> <eV|hartree|unknown>
 *   cutoff <rc>
 *   pair <A> <alpha> <r0>
 *   three <B> <c0>
 *   extrapolation_max_coordination <x>   # owned atoms with sum_j fc(r_ij) > x count as one
 *   element <symbol> <e0> <eps>           # one line per element, in index order
 *
 * Per-atom virial convention: the contribution -d_ij (x) dE_i/dd_ij is split half to the
 * centre i, half to the neighbour j (so ghost atoms receive per-atom virial).
 */
#include "nnswift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXEL 16

struct nnswift_model {
    char units_len[32], units_en[32];
    double rc, A, alpha, r0, B, c0, xmax;
    int nel;
    char sym[MAXEL][8];
    double e0[MAXEL], eps[MAXEL];
};

static __thread char g_err[1024];

static int fail(int code, const char *fmt, const char *arg) {
    snprintf(g_err, sizeof g_err, fmt, arg ? arg : "");
    return code;
}
static int ok(void) { g_err[0] = 0; return NNSWIFT_OK; }

const char *nnswift_version(void) { return "0.0.0-mock"; }
int nnswift_abi_version(void) { return NNSWIFT_ABI_VERSION; }
const char *nnswift_last_error(void) { return g_err; }

int nnswift_model_load(const char *path, nnswift_model **model) {
    if (!path || !model) return fail(NNSWIFT_ERROR_ARGUMENT, "null argument%s", NULL);
    *model = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) return fail(NNSWIFT_ERROR_IO, "cannot open model file '%s'", path);
    nnswift_model *m = calloc(1, sizeof *m);
    strcpy(m->units_len, "angstrom"); strcpy(m->units_en, "eV");
    m->rc = -1; m->xmax = 1e300; m->A = 1; m->alpha = 1; m->r0 = 1;
    char line[512], key[64];
    int magic = 0;
    while (fgets(line, sizeof line, fp)) {
        char *h = strchr(line, '#'); if (h) *h = 0;
        if (sscanf(line, "%63s", key) != 1) continue;
        int n = 0;
        if (!strcmp(key, "nnswift_mock")) { magic = 1; continue; }
        if (!magic) break;
        if (!strcmp(key, "units")) n = sscanf(line, "%*s %31s %31s", m->units_len, m->units_en) == 2;
        else if (!strcmp(key, "cutoff")) n = sscanf(line, "%*s %lf", &m->rc) == 1;
        else if (!strcmp(key, "pair")) n = sscanf(line, "%*s %lf %lf %lf", &m->A, &m->alpha, &m->r0) == 3;
        else if (!strcmp(key, "three")) n = sscanf(line, "%*s %lf %lf", &m->B, &m->c0) == 2;
        else if (!strcmp(key, "extrapolation_max_coordination")) n = sscanf(line, "%*s %lf", &m->xmax) == 1;
        else if (!strcmp(key, "element") && m->nel < MAXEL) {
            n = sscanf(line, "%*s %7s %lf %lf", m->sym[m->nel], &m->e0[m->nel], &m->eps[m->nel]) == 3;
            if (n) m->nel++;
        }
        if (!n) { fclose(fp); free(m); return fail(NNSWIFT_ERROR_FORMAT, "corrupt mock model file: bad line '%s'", key); }
    }
    fclose(fp);
    if (!magic || m->rc <= 0 || m->nel == 0) {
        free(m);
        return fail(NNSWIFT_ERROR_FORMAT, "'%s' is not a valid model file (mock format)", path);
    }
    *model = m;
    return ok();
}

void nnswift_model_free(nnswift_model *model) { free(model); }

/* The mock's own unit table (test constants: 1 A = 1.8897261328 Bohr, 1 eV = 0.0367493254 Ha
 * = 23.060547830619 kcal/mol), exact spellings only: the real library parses tolerantly. */
static int unit_size(const char *u, int *kind, double *per_base) {
    static const struct { const char *name; int kind; double per_base; } table[] = {
        {"angstrom", 0, 1.0}, {"bohr", 0, 1.8897261328}, {"nm", 0, 0.1},
        {"eV", 1, 1.0}, {"hartree", 1, 0.0367493254}, {"kcal/mol", 1, 23.060547830619},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(u, table[i].name)) { *kind = table[i].kind; *per_base = table[i].per_base; return 1; }
    return 0;
}

int nnswift_unit_factor(const char *from, const char *to, double *factor) {
    if (!from || !to || !factor) return fail(NNSWIFT_ERROR_ARGUMENT, "null argument%s", NULL);
    int kf, kt;
    double pf, pt;
    if (!unit_size(from, &kf, &pf)) return fail(NNSWIFT_ERROR_ARGUMENT, "unknown unit '%s'", from);
    if (!unit_size(to, &kt, &pt)) return fail(NNSWIFT_ERROR_ARGUMENT, "unknown unit '%s'", to);
    if (kf != kt) return fail(NNSWIFT_ERROR_ARGUMENT, "cannot convert between length and energy%s", NULL);
    *factor = strcmp(from, to) ? pt / pf : 1.0;
    return ok();
}

int nnswift_model_cutoff(const nnswift_model *m, double *c) {
    if (!m || !c) return fail(NNSWIFT_ERROR_ARGUMENT, "null argument%s", NULL);
    *c = m->rc; return ok();
}
int nnswift_model_num_elements(const nnswift_model *m, int *n) {
    if (!m || !n) return fail(NNSWIFT_ERROR_ARGUMENT, "null argument%s", NULL);
    *n = m->nel; return ok();
}
int nnswift_model_element(const nnswift_model *m, int i, const char **s) {
    if (!m || !s) return fail(NNSWIFT_ERROR_ARGUMENT, "null argument%s", NULL);
    if (i < 0 || i >= m->nel) return fail(NNSWIFT_ERROR_SPECIES, "element index out of range%s", NULL);
    *s = m->sym[i]; return ok();
}
int nnswift_model_element_index(const nnswift_model *m, const char *s, int *idx) {
    if (!m || !s || !idx) return fail(NNSWIFT_ERROR_ARGUMENT, "null argument%s", NULL);
    for (int i = 0; i < m->nel; i++) if (!strcmp(m->sym[i], s)) { *idx = i; return ok(); }
    return fail(NNSWIFT_ERROR_SPECIES, "element '%s' is not in the model", s);
}
int nnswift_model_units(const nnswift_model *m, const char **l, const char **e) {
    if (!m || !l || !e) return fail(NNSWIFT_ERROR_ARGUMENT, "null argument%s", NULL);
    *l = m->units_len; *e = m->units_en; return ok();
}

/* ---- evaluation ------------------------------------------------------------------ */

typedef struct { int j; double d[3], r; } nb_t;

static void fcut(const nnswift_model *m, double r, double *f, double *df) {
    double x = M_PI * r / m->rc;
    *f = 0.5 * (cos(x) + 1.0);
    *df = -0.5 * sin(x) * M_PI / m->rc;
}

/* Energy of centre i with species si; adds forces, virial, atom virials. */
static double eval_centre(const nnswift_model *m, int i, int si, const int *species,
                          const nb_t *nb, int nn, double *forces, double *virial,
                          double *atom_virials, double *coord) {
    double E = m->e0[si], co = 0.0;
    /* g[n] = dE_i / d d_n, accumulated */
    double (*g)[3] = calloc(nn > 0 ? nn : 1, sizeof *g);
    double *fc = malloc(sizeof(double) * (nn > 0 ? nn : 1));
    double *dfc = malloc(sizeof(double) * (nn > 0 ? nn : 1));
    for (int a = 0; a < nn; a++) {
        const nb_t *p = &nb[a];
        fcut(m, p->r, &fc[a], &dfc[a]);
        co += fc[a];
        double ex = exp(-m->alpha * (p->r - m->r0));
        double pre = 0.5 * m->A * m->eps[si] * m->eps[species[p->j]];
        double v = pre * (ex * ex - 2 * ex);
        double dv = pre * (-2 * m->alpha * ex * ex + 2 * m->alpha * ex);
        E += v * fc[a];
        double de = dv * fc[a] + v * dfc[a];
        for (int k = 0; k < 3; k++) g[a][k] += de * p->d[k] / p->r;
    }
    if (m->B != 0.0) {
        for (int a = 0; a < nn; a++)
            for (int b = a + 1; b < nn; b++) {
                const double *dj = nb[a].d, *dk = nb[b].d;
                double rj = nb[a].r, rk = nb[b].r;
                double c = (dj[0] * dk[0] + dj[1] * dk[1] + dj[2] * dk[2]) / (rj * rk);
                double t = c - m->c0;
                E += m->B * fc[a] * fc[b] * t * t;
                for (int k = 0; k < 3; k++) {
                    double dcj = dk[k] / (rj * rk) - c * dj[k] / (rj * rj);
                    double dck = dj[k] / (rj * rk) - c * dk[k] / (rk * rk);
                    g[a][k] += m->B * (dfc[a] * dj[k] / rj * fc[b] * t * t + fc[a] * fc[b] * 2 * t * dcj);
                    g[b][k] += m->B * (dfc[b] * dk[k] / rk * fc[a] * t * t + fc[a] * fc[b] * 2 * t * dck);
                }
            }
    }
    for (int a = 0; a < nn; a++) {
        int j = nb[a].j;
        if (forces)
            for (int k = 0; k < 3; k++) { forces[3 * i + k] += g[a][k]; forces[3 * j + k] -= g[a][k]; }
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 3; y++) {
                double w = -nb[a].d[x] * g[a][y];
                if (virial) virial[3 * x + y] += w;
                if (atom_virials) { atom_virials[9 * i + 3 * x + y] += 0.5 * w; atom_virials[9 * j + 3 * x + y] += 0.5 * w; }
            }
    }
    free(g); free(fc); free(dfc);
    *coord = co;
    return E;
}

static int check_species(const nnswift_model *m, int n, const int *species) {
    for (int i = 0; i < n; i++)
        if (species[i] < 0 || species[i] >= m->nel) return 0;
    return 1;
}

int nnswift_compute_local(const nnswift_model *m, int nlocal, int nghost,
                          const double *pos, const int *species,
                          const int *numneigh, const int *const *firstneigh,
                          double *energy, double *forces, double *virial,
                          double *atom_energies, double *atom_virials, int64_t *extrap) {
    if (!m || !energy || nlocal < 0 || nghost < 0) return fail(NNSWIFT_ERROR_ARGUMENT, "bad argument%s", NULL);
    int nall = nlocal + nghost;
    if (nall > 0 && (!pos || !species)) return fail(NNSWIFT_ERROR_ARGUMENT, "null positions/species%s", NULL);
    if ((numneigh == NULL) != (firstneigh == NULL)) return fail(NNSWIFT_ERROR_ARGUMENT, "numneigh and firstneigh must both be given or both be NULL%s", NULL);
    if (!check_species(m, nall, species)) return fail(NNSWIFT_ERROR_SPECIES, "species index out of range%s", NULL);
    for (int i = 0; i < 3 * nall; i++) if (!isfinite(pos[i])) return fail(NNSWIFT_ERROR_ARGUMENT, "non-finite position%s", NULL);
    /* every output is written (ABI 2): clear, then accumulate the centres' terms */
    *energy = 0.0;
    if (virial) memset(virial, 0, 9 * sizeof(double));
    if (forces) memset(forces, 0, 3 * (size_t)nall * sizeof(double));
    if (atom_energies) memset(atom_energies, 0, (size_t)nlocal * sizeof(double));
    if (atom_virials) memset(atom_virials, 0, 9 * (size_t)nall * sizeof(double));
    int64_t nex = 0;
    double rc2 = m->rc * m->rc;
    nb_t *nb = malloc(sizeof(nb_t) * (nall > 0 ? nall : 1));
    for (int i = 0; i < nlocal; i++) {
        int nn = 0, cnt = numneigh ? numneigh[i] : nall;
        for (int q = 0; q < cnt; q++) {
            int j = numneigh ? firstneigh[i][q] : q;
            if (j == i) continue;
            if (j < 0 || j >= nall) { free(nb); return fail(NNSWIFT_ERROR_ARGUMENT, "neighbor index out of range%s", NULL); }
            double d[3] = {pos[3 * j] - pos[3 * i], pos[3 * j + 1] - pos[3 * i + 1], pos[3 * j + 2] - pos[3 * i + 2]};
            double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 >= rc2) continue;
            if (r2 < 1e-12) { free(nb); return fail(NNSWIFT_ERROR_GEOMETRY, "overlapping atoms%s", NULL); }
            nb[nn].j = j; memcpy(nb[nn].d, d, sizeof d); nb[nn].r = sqrt(r2); nn++;
        }
        double co;
        double Ei = eval_centre(m, i, species[i], species, nb, nn, forces, virial, atom_virials, &co);
        if (co > m->xmax) nex++;
        *energy += Ei;
        if (atom_energies) atom_energies[i] = Ei;
    }
    free(nb);
    if (extrap) *extrap = nex;
    return ok();
}

/* Host-format neighbor list within a radius, by brute force (mock systems are small). */
struct nnswift_neighbor_list { int n; int *num; int **first; int *idx; };
int nnswift_neighbor_list_build(int ncenters, int npoints, const double *pos, double radius,
                                nnswift_neighbor_list **list) {
    if (!list) return fail(NNSWIFT_ERROR_ARGUMENT, "list is NULL%s", NULL);
    *list = NULL;
    if (ncenters < 0 || npoints < ncenters || (npoints > 0 && !pos) || !(radius > 0))
        return fail(NNSWIFT_ERROR_ARGUMENT, "bad argument%s", NULL);
    nnswift_neighbor_list *l = calloc(1, sizeof *l);
    size_t cap = (size_t)(ncenters > 0 ? ncenters : 1) * (size_t)(npoints > 0 ? npoints : 1);
    l->n = ncenters;
    l->num = calloc(ncenters > 0 ? ncenters : 1, sizeof(int));
    l->first = calloc(ncenters > 0 ? ncenters : 1, sizeof(int *));
    l->idx = malloc(cap * sizeof(int));
    size_t e = 0;
    for (int i = 0; i < ncenters; i++) {
        l->first[i] = l->idx + e;
        for (int j = 0; j < npoints; j++) {
            double d[3] = {pos[3 * j] - pos[3 * i], pos[3 * j + 1] - pos[3 * i + 1], pos[3 * j + 2] - pos[3 * i + 2]};
            if (j != i && d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < radius * radius) { l->idx[e++] = j; l->num[i]++; }
        }
    }
    *list = l;
    return ok();
}
int nnswift_neighbor_list_rows(const nnswift_neighbor_list *l, int *ncenters, const int **numneigh,
                               const int *const **firstneigh) {
    if (!l || !ncenters || !numneigh || !firstneigh) return fail(NNSWIFT_ERROR_ARGUMENT, "NULL argument%s", NULL);
    *ncenters = l->n; *numneigh = l->num; *firstneigh = (const int *const *)l->first;
    return ok();
}
void nnswift_neighbor_list_free(nnswift_neighbor_list *l) {
    if (!l) return;
    free(l->num); free(l->first); free(l->idx); free(l);
}

/* Thread count: stored only (the mock evaluates serially). */
static int mock_threads = 1;
int nnswift_set_num_threads(int n) {
    if (n < 1 || n > 1024) return fail(NNSWIFT_ERROR_ARGUMENT, "number of threads must be in 1...1024%s", "");
    mock_threads = n;
    return ok();
}
int nnswift_get_num_threads(int *n) {
    if (!n) return fail(NNSWIFT_ERROR_ARGUMENT, "n is NULL%s", "");
    *n = mock_threads;
    return ok();
}

int nnswift_compute(const nnswift_model *m, int natoms, const double *pos, const int *species,
                    const double *cell, const int *pbc, double *energy, double *forces,
                    double *virial, double *atom_energies, double *atom_virials) {
    if (!m || !energy || natoms < 0 || (natoms > 0 && (!pos || !species)))
        return fail(NNSWIFT_ERROR_ARGUMENT, "bad argument%s", NULL);
    if (!check_species(m, natoms, species)) return fail(NNSWIFT_ERROR_SPECIES, "species index out of range%s", NULL);
    int per[3] = {0, 0, 0}, nimg[3] = {0, 0, 0};
    double inv[9] = {0};
    if (cell) {
        for (int k = 0; k < 3; k++) per[k] = pbc ? pbc[k] != 0 : 1;
        const double *a = cell, *b = cell + 3, *c = cell + 6;
        double bc[3] = {b[1] * c[2] - b[2] * c[1], b[2] * c[0] - b[0] * c[2], b[0] * c[1] - b[1] * c[0]};
        double ca[3] = {c[1] * a[2] - c[2] * a[1], c[2] * a[0] - c[0] * a[2], c[0] * a[1] - c[1] * a[0]};
        double ab[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
        double V = a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2];
        if (fabs(V) < 1e-12) return fail(NNSWIFT_ERROR_GEOMETRY, "degenerate cell%s", NULL);
        const double *cr[3] = {bc, ca, ab};
        for (int k = 0; k < 3; k++) {
            double h = fabs(V) / sqrt(cr[k][0] * cr[k][0] + cr[k][1] * cr[k][1] + cr[k][2] * cr[k][2]);
            if (per[k]) nimg[k] = (int)ceil(m->rc / h) + 1;
            for (int x = 0; x < 3; x++) inv[3 * k + x] = cr[k][x] / V; /* frac_k = inv[k] . r */
        }
    }
    *energy = 0.0;
    if (forces) memset(forces, 0, sizeof(double) * 3 * natoms);
    if (virial) memset(virial, 0, 9 * sizeof(double));
    if (atom_energies) memset(atom_energies, 0, sizeof(double) * natoms);
    if (atom_virials) memset(atom_virials, 0, sizeof(double) * 9 * natoms);
    double rc2 = m->rc * m->rc;
    size_t cap = 64, nn;
    nb_t *nb = malloc(sizeof(nb_t) * cap);
    for (int i = 0; i < natoms; i++) {
        nn = 0;
        for (int j = 0; j < natoms; j++) {
            double d0[3] = {pos[3 * j] - pos[3 * i], pos[3 * j + 1] - pos[3 * i + 1], pos[3 * j + 2] - pos[3 * i + 2]};
            if (cell) { /* minimum-image in fractional coordinates along periodic axes */
                for (int k = 0; k < 3; k++) {
                    if (!per[k]) continue;
                    double f = inv[3 * k] * d0[0] + inv[3 * k + 1] * d0[1] + inv[3 * k + 2] * d0[2];
                    double s = floor(f + 0.5);
                    for (int x = 0; x < 3; x++) d0[x] -= s * cell[3 * k + x];
                }
            }
            for (int na = -nimg[0]; na <= nimg[0]; na++)
                for (int nbb = -nimg[1]; nbb <= nimg[1]; nbb++)
                    for (int nc = -nimg[2]; nc <= nimg[2]; nc++) {
                        double d[3];
                        for (int x = 0; x < 3; x++)
                            d[x] = d0[x] + (cell ? na * cell[x] + nbb * cell[3 + x] + nc * cell[6 + x] : 0.0);
                        double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                        if (r2 >= rc2) continue;
                        if (r2 < 1e-12) {
                            if (j == i) continue;
                            free(nb); return fail(NNSWIFT_ERROR_GEOMETRY, "overlapping atoms%s", NULL);
                        }
                        if (nn == cap) { cap *= 2; nb = realloc(nb, sizeof(nb_t) * cap); }
                        nb[nn].j = j; memcpy(nb[nn].d, d, sizeof d); nb[nn].r = sqrt(r2); nn++;
                    }
        }
        double co;
        double Ei = eval_centre(m, i, species[i], species, nb, (int)nn, forces, virial, atom_virials, &co);
        *energy += Ei;
        if (atom_energies) atom_energies[i] = Ei;
    }
    free(nb);
    return ok();
}
