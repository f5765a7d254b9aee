/* KIM API 2.3 model driver for nnswift potentials: a translation layer over the nnswift C API
 * (include/nnswift.h). The physics is in libnnswift; this file maps KIM's particles, neighbour
 * lists, units and compute arguments onto nnswift_compute_local and back.
 * No Refresh routine: the KIM API allows one only for models that publish parameters, and the
 * network's weights are not meant to be changed by a simulator.
 *
 * Parameter files of a portable model: 1. the settings file (nnswift_kim_settings.h), then the
 * model file(s): a native .json model, or an n2p2 potential's input.nn, scaling.data and
 * weights.NNN.data (settings "model ."). */
#include "KIM_ModelDriverHeaders.h"
#include "nnswift.h"
#include "nnswift_kim_settings.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_SIZE 1024

typedef struct {
    nnswift_model *model;
    int32_t num_elements;
    double to_model_length;   /* model length units per simulator length unit */
    double to_sim_energy;     /* simulator energy units per model energy unit */
    double influence_distance; /* model cutoff, simulator length units */
    int will_not_request_ghost_neighbors;
    /* compute buffers, grown as needed and reused across calls */
    size_t capacity;          /* particles */
    int *order;               /* compact index -> KIM particle (contributing first) */
    int *compact;             /* KIM particle -> compact index */
    int32_t *species;         /* the C API's fixed-width types */
    double *positions, *forces, *atom_energies, *atom_virials;
    int32_t *num_neighbors;
    const int32_t **first_neighbor;
    size_t neighbor_capacity;
    int32_t *neighbors;
} Driver;

/* ---- logging: every failure goes to the KIM log and returns 1 ---- */

static int log_create_error(KIM_ModelDriverCreate *create, const char *message, int line)
{
    KIM_ModelDriverCreate_LogEntry(create, KIM_LOG_VERBOSITY_error, message, line, __FILE__);
    return 1;
}

static int log_compute_error(const KIM_ModelComputeArguments *args, const char *message, int line)
{
    KIM_ModelComputeArguments_LogEntry(args, KIM_LOG_VERBOSITY_error, message, line, __FILE__);
    return 1;
}

/* the log names the line that found the error */
#define create_error(create, message) log_create_error((create), (message), __LINE__)
#define compute_error(args, message) log_compute_error((args), (message), __LINE__)

/* ---- units: nnswift spellings <-> KIM units ---- */

static int kim_length_unit(const char *name, KIM_LengthUnit *unit)
{
    static const char *nnswift[] = {"angstrom", "bohr", "nm"};
    static const char *kim[] = {"A", "Bohr", "nm"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, nnswift[i]) == 0) name = kim[i];
    *unit = KIM_LengthUnit_FromString(name);
    return KIM_LengthUnit_Known(*unit) && KIM_LengthUnit_NotEqual(*unit, KIM_LENGTH_UNIT_unused) ? 0 : 1;
}

static int kim_energy_unit(const char *name, KIM_EnergyUnit *unit)
{
    static const char *nnswift[] = {"hartree", "kcal/mol"};
    static const char *kim[] = {"Hartree", "kcal_mol"};
    for (int i = 0; i < 2; i++)
        if (strcmp(name, nnswift[i]) == 0) name = kim[i];
    *unit = KIM_EnergyUnit_FromString(name);
    return KIM_EnergyUnit_Known(*unit) && KIM_EnergyUnit_NotEqual(*unit, KIM_ENERGY_UNIT_unused) ? 0 : 1;
}

static void free_driver(Driver *d)
{
    if (d == NULL) return;
    if (d->model != NULL) nnswift_model_free(d->model);
    free(d->order); free(d->compact); free(d->species);
    free(d->positions); free(d->forces); free(d->atom_energies); free(d->atom_virials);
    free(d->num_neighbors); free((void *)d->first_neighbor); free(d->neighbors);
    free(d);
}

/* The units the model's numbers are in (declared), as KIM units, and the factors that wrap the
 * model in them. A native model declares its units; an n2p2 directory declares "unknown" and
 * the settings file gives them (with optional factors, as n2p2's cflength/cfenergy). */
static int declared_units(KIM_ModelDriverCreate *create, const Driver *d, const nnswift_kim_settings *s,
                          KIM_LengthUnit *length, KIM_EnergyUnit *energy,
                          double *length_factor, double *energy_factor)
{
    char msg[MESSAGE_SIZE];
    const char *model_length = NULL, *model_energy = NULL;
    if (nnswift_model_units(d->model, &model_length, &model_energy) != NNSWIFT_OK) {
        snprintf(msg, sizeof msg, "nnswift: %s", nnswift_last_error());
        return create_error(create, msg);
    }
    int length_known = strcmp(model_length, "unknown") != 0;
    int energy_known = strcmp(model_energy, "unknown") != 0;
    const char *length_name = length_known ? model_length : s->length_unit;
    const char *energy_name = energy_known ? model_energy : s->energy_unit;
    if ((length_known && (s->length_unit[0] != '\0' || s->length_factor != 0)) ||
        (energy_known && (s->energy_unit[0] != '\0' || s->energy_factor != 0))) {
        snprintf(msg, sizeof msg, "nnswift: the model declares its units (%s, %s); remove length_unit, "
                 "energy_unit, length_factor and energy_factor from the settings file", model_length, model_energy);
        return create_error(create, msg);
    }
    if (length_name[0] == '\0' || energy_name[0] == '\0') {
        snprintf(msg, sizeof msg, "nnswift: the model declares no units (length %s, energy %s): give "
                 "length_unit and energy_unit in the settings file", model_length, model_energy);
        return create_error(create, msg);
    }
    if (kim_length_unit(length_name, length)) {
        snprintf(msg, sizeof msg, "nnswift: length unit '%s' is not a KIM length unit (A, Bohr, cm, m, nm)", length_name);
        return create_error(create, msg);
    }
    if (kim_energy_unit(energy_name, energy)) {
        snprintf(msg, sizeof msg, "nnswift: energy unit '%s' is not a KIM energy unit "
                 "(amu_A2_per_ps2, erg, eV, Hartree, J, kcal_mol)", energy_name);
        return create_error(create, msg);
    }
    *length_factor = s->length_factor != 0 ? s->length_factor : 1.0;
    *energy_factor = s->energy_factor != 0 ? s->energy_factor : 1.0;
    return 0;
}

/* ---- routines ---- */

static int compute_arguments_create(const KIM_ModelCompute *compute, KIM_ModelComputeArgumentsCreate *create)
{
    (void)compute;
    const KIM_ComputeArgumentName names[] = {
        KIM_COMPUTE_ARGUMENT_NAME_partialEnergy, KIM_COMPUTE_ARGUMENT_NAME_partialForces,
        KIM_COMPUTE_ARGUMENT_NAME_partialParticleEnergy, KIM_COMPUTE_ARGUMENT_NAME_partialVirial,
        KIM_COMPUTE_ARGUMENT_NAME_partialParticleVirial};
    for (int i = 0; i < 5; i++) {
        if (KIM_ModelComputeArgumentsCreate_SetArgumentSupportStatus(create, names[i], KIM_SUPPORT_STATUS_optional)) {
            KIM_ModelComputeArgumentsCreate_LogEntry(create, KIM_LOG_VERBOSITY_error,
                "nnswift: cannot declare compute argument support", __LINE__, __FILE__);
            return 1;
        }
    }
    return 0;
}

static int compute_arguments_destroy(const KIM_ModelCompute *compute, KIM_ModelComputeArgumentsDestroy *destroy)
{
    (void)compute; (void)destroy;
    return 0;
}

static int grow(void **buffer, size_t count, size_t size)
{
    if (count > SIZE_MAX / size) return 1;
    void *p = realloc(*buffer, count * size > 0 ? count * size : 1);
    if (p == NULL) return 1;
    *buffer = p;
    return 0;
}

static int reserve_particles(Driver *d, size_t n)
{
    if (n <= d->capacity) return 0;
    if (grow((void **)&d->order, n, sizeof(int)) || grow((void **)&d->compact, n, sizeof(int)) ||
        grow((void **)&d->species, n, sizeof(int32_t)) || grow((void **)&d->num_neighbors, n, sizeof(int32_t)) ||
        grow((void **)&d->first_neighbor, n, sizeof(int32_t *)) || grow((void **)&d->atom_energies, n, sizeof(double)) ||
        grow((void **)&d->positions, n, 3 * sizeof(double)) || grow((void **)&d->forces, n, 3 * sizeof(double)) ||
        grow((void **)&d->atom_virials, n, 9 * sizeof(double)))
        return 1;
    d->capacity = n;
    return 0;
}

static int compute(const KIM_ModelCompute *model_compute, const KIM_ModelComputeArguments *args)
{
    char msg[MESSAGE_SIZE];
    Driver *d = NULL;
    KIM_ModelCompute_GetModelBufferPointer(model_compute, (void **)&d);
    int *count = NULL, *codes = NULL, *contributing = NULL;
    double *coordinates = NULL, *energy = NULL, *forces = NULL, *particle_energy = NULL;
    double *virial = NULL, *particle_virial = NULL;
    if (KIM_ModelComputeArguments_GetArgumentPointerInteger(args, KIM_COMPUTE_ARGUMENT_NAME_numberOfParticles, &count) ||
        KIM_ModelComputeArguments_GetArgumentPointerInteger(args, KIM_COMPUTE_ARGUMENT_NAME_particleSpeciesCodes, &codes) ||
        KIM_ModelComputeArguments_GetArgumentPointerInteger(args, KIM_COMPUTE_ARGUMENT_NAME_particleContributing, &contributing) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(args, KIM_COMPUTE_ARGUMENT_NAME_coordinates, &coordinates) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(args, KIM_COMPUTE_ARGUMENT_NAME_partialEnergy, &energy) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(args, KIM_COMPUTE_ARGUMENT_NAME_partialForces, &forces) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(args, KIM_COMPUTE_ARGUMENT_NAME_partialParticleEnergy, &particle_energy) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(args, KIM_COMPUTE_ARGUMENT_NAME_partialVirial, &virial) ||
        KIM_ModelComputeArguments_GetArgumentPointerDouble(args, KIM_COMPUTE_ARGUMENT_NAME_partialParticleVirial, &particle_virial))
        return compute_error(args, "nnswift: cannot get the compute argument pointers");
    if (count == NULL || *count < 0 || (*count > 0 && (codes == NULL || contributing == NULL || coordinates == NULL)))
        return compute_error(args, "nnswift: missing particle data (numberOfParticles, species, contributing, coordinates)");
    const int n = *count;
    if (n == 0) { /* nothing to evaluate: zero energy and virial */
        if (energy != NULL) *energy = 0;
        if (virial != NULL) memset(virial, 0, 6 * sizeof(double));
        return 0;
    }
    if (reserve_particles(d, (size_t)n))
        return compute_error(args, "nnswift: out of memory for the particle buffers");

    /* Compact order: contributing particles first (nnswift's owned atoms), then the others. */
    int nlocal = 0;
    for (int i = 0; i < n; i++) {
        if (codes[i] < 0 || codes[i] >= d->num_elements) {
            snprintf(msg, sizeof msg, "nnswift: particle %d has species code %d; this model's codes are 0..%d",
                     i, codes[i], d->num_elements - 1);
            return compute_error(args, msg);
        }
        if (contributing[i] != 0 && contributing[i] != 1) {
            snprintf(msg, sizeof msg, "nnswift: particle %d has particleContributing %d (must be 0 or 1)", i, contributing[i]);
            return compute_error(args, msg);
        }
        if (contributing[i]) nlocal++;
    }
    int next_local = 0, next_ghost = nlocal;
    for (int i = 0; i < n; i++) {
        int c = contributing[i] ? next_local++ : next_ghost++;
        d->order[c] = i;
        d->compact[i] = c;
    }
    for (int c = 0; c < n; c++) {
        int i = d->order[c];
        d->species[c] = codes[i];
        for (int a = 0; a < 3; a++) {
            double x = coordinates[3 * (size_t)i + a];
            if (!isfinite(x)) {
                snprintf(msg, sizeof msg, "nnswift: particle %d has a non-finite coordinate (%g)", i, x);
                return compute_error(args, msg);
            }
            d->positions[3 * (size_t)c + a] = x * d->to_model_length;
        }
    }

    /* Neighbour lists of the contributing particles, renumbered to the compact order. */
    size_t total = 0;
    for (int c = 0; c < nlocal; c++) {
        int num = 0;
        const int *list = NULL;
        if (KIM_ModelComputeArguments_GetNeighborList(args, 0, d->order[c], &num, &list)) {
            snprintf(msg, sizeof msg, "nnswift: the simulator's GetNeighborList failed for particle %d", d->order[c]);
            return compute_error(args, msg);
        }
        if (num < 0 || (num > 0 && list == NULL)) {
            snprintf(msg, sizeof msg, "nnswift: invalid neighbour list for particle %d (%d neighbours)", d->order[c], num);
            return compute_error(args, msg);
        }
        if (total + (size_t)num > d->neighbor_capacity) {
            size_t want = 2 * (total + (size_t)num);
            if (grow((void **)&d->neighbors, want, sizeof(int32_t)))
                return compute_error(args, "nnswift: out of memory for the neighbour lists");
            d->neighbor_capacity = want;
        }
        for (int k = 0; k < num; k++) {
            if (list[k] < 0 || list[k] >= n) {
                snprintf(msg, sizeof msg, "nnswift: neighbour %d of particle %d is %d, outside 0..%d",
                         k, d->order[c], list[k], n - 1);
                return compute_error(args, msg);
            }
            d->neighbors[total + (size_t)k] = d->compact[list[k]];
        }
        d->num_neighbors[c] = num;
        total += (size_t)num;
    }
    /* Pointers are set after the last reallocation of the neighbour buffer. */
    total = 0;
    for (int c = 0; c < nlocal; c++) {
        d->first_neighbor[c] = d->neighbors + total;
        total += (size_t)d->num_neighbors[c];
    }

    double *f = forces != NULL ? d->forces : NULL;
    double *ae = particle_energy != NULL ? d->atom_energies : NULL;
    double *av = particle_virial != NULL ? d->atom_virials : NULL;
    /* nnswift_compute_local writes every element of its outputs (ABI 2); KIM's partial arrays
     * are then set (not accumulated) from them below, as KIM expects of a model. */
    double e = 0, w[9] = {0};
    if (nnswift_compute_local(d->model, nlocal, n - nlocal, d->positions, d->species, d->num_neighbors,
                              d->first_neighbor, &e, f, virial != NULL ? w : NULL, ae, av, NULL) != NNSWIFT_OK) {
        snprintf(msg, sizeof msg, "nnswift: %s", nnswift_last_error());
        return compute_error(args, msg);
    }

    /* Back to the simulator's order and units. KIM's virial is -sum_i r_i (x) F_i (nnswift's
     * W with the opposite sign), Voigt order xx yy zz yz xz xy. A per-atom virial is not
     * symmetric: the off-diagonal components are W_yz, W_xz, W_xy (r_a F_b with a < b), the
     * ones pair_style nnswift reports to LAMMPS. */
    const double ef = d->to_sim_energy;
    const double ff = d->to_sim_energy * d->to_model_length;
    if (energy != NULL) *energy = e * ef;
    for (int i = 0; i < n; i++) {
        int c = d->compact[i];
        if (forces != NULL)
            for (int a = 0; a < 3; a++) forces[3 * (size_t)i + a] = d->forces[3 * (size_t)c + a] * ff;
        if (particle_energy != NULL) particle_energy[i] = contributing[i] ? d->atom_energies[c] * ef : 0.0;
        if (particle_virial != NULL) {
            const double *v = d->atom_virials + 9 * (size_t)c;
            double *out = particle_virial + 6 * (size_t)i;
            out[0] = -v[0] * ef; out[1] = -v[4] * ef; out[2] = -v[8] * ef;
            out[3] = -v[5] * ef; out[4] = -v[2] * ef; out[5] = -v[1] * ef;
        }
    }
    if (virial != NULL) {
        virial[0] = -w[0] * ef; virial[1] = -w[4] * ef; virial[2] = -w[8] * ef;
        virial[3] = -w[5] * ef; virial[4] = -w[2] * ef; virial[5] = -w[1] * ef;
    }
    return 0;
}

static int destroy(KIM_ModelDestroy *model_destroy)
{
    Driver *d = NULL;
    KIM_ModelDestroy_GetModelBufferPointer(model_destroy, (void **)&d);
    free_driver(d);
    return 0;
}

/* Loads the model named by the settings file, declares species, units, cutoff and routines. */
static int create_driver(KIM_ModelDriverCreate *create, Driver *d,
                         KIM_LengthUnit requested_length, KIM_EnergyUnit requested_energy)
{
    char msg[MESSAGE_SIZE];
    int files = 0;
    KIM_ModelDriverCreate_GetNumberOfParameterFiles(create, &files);
    if (files < 2) {
        snprintf(msg, sizeof msg, "nnswift: expected a settings file and the model file(s) as parameter files, got %d file(s)", files);
        return create_error(create, msg);
    }
    const char *dir = NULL, *settings_name = NULL;
    KIM_ModelDriverCreate_GetParameterFileDirectoryName(create, &dir);
    if (dir == NULL || KIM_ModelDriverCreate_GetParameterFileBasename(create, 0, &settings_name) || settings_name == NULL)
        return create_error(create, "nnswift: cannot get the parameter file names");
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, settings_name) >= sizeof path)
        return create_error(create, "nnswift: parameter file path too long");
    nnswift_kim_settings settings;
    char error[MESSAGE_SIZE - 16];
    if (nnswift_kim_read_settings(path, &settings, error, (int)sizeof error)) {
        snprintf(msg, sizeof msg, "nnswift: %s", error);
        return create_error(create, msg);
    }
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, settings.model) >= sizeof path)
        return create_error(create, "nnswift: model path too long");
    if (nnswift_model_load(path, &d->model) != NNSWIFT_OK) {
        d->model = NULL;
        snprintf(msg, sizeof msg, "nnswift: cannot load model '%s' (from %s): %s", settings.model, settings_name,
                 nnswift_last_error());
        return create_error(create, msg);
    }

    KIM_LengthUnit length;
    KIM_EnergyUnit energy;
    double length_factor, energy_factor;
    if (declared_units(create, d, &settings, &length, &energy, &length_factor, &energy_factor)) return 1;
    /* Serve the simulator's units: KIM converts from the declared units. */
    KIM_LengthUnit sim_length = KIM_LengthUnit_Equal(requested_length, KIM_LENGTH_UNIT_unused) ? length : requested_length;
    KIM_EnergyUnit sim_energy = KIM_EnergyUnit_Equal(requested_energy, KIM_ENERGY_UNIT_unused) ? energy : requested_energy;
    double sim_per_declared_length = 1, sim_per_declared_energy = 1;
    if (KIM_ModelDriverCreate_ConvertUnit(length, energy, KIM_CHARGE_UNIT_unused, KIM_TEMPERATURE_UNIT_unused,
                                          KIM_TIME_UNIT_unused, sim_length, sim_energy, KIM_CHARGE_UNIT_unused,
                                          KIM_TEMPERATURE_UNIT_unused, KIM_TIME_UNIT_unused, 1, 0, 0, 0, 0,
                                          &sim_per_declared_length) ||
        KIM_ModelDriverCreate_ConvertUnit(length, energy, KIM_CHARGE_UNIT_unused, KIM_TEMPERATURE_UNIT_unused,
                                          KIM_TIME_UNIT_unused, sim_length, sim_energy, KIM_CHARGE_UNIT_unused,
                                          KIM_TEMPERATURE_UNIT_unused, KIM_TIME_UNIT_unused, 0, 1, 0, 0, 0,
                                          &sim_per_declared_energy))
        return create_error(create, "nnswift: KIM cannot convert the model's units to the requested units");
    d->to_model_length = length_factor / sim_per_declared_length;
    d->to_sim_energy = sim_per_declared_energy / energy_factor;  /* energy_factor: model per declared unit */
    if (KIM_ModelDriverCreate_SetUnits(create, sim_length, sim_energy, KIM_CHARGE_UNIT_unused,
                                       KIM_TEMPERATURE_UNIT_unused, KIM_TIME_UNIT_unused))
        return create_error(create, "nnswift: SetUnits failed");

    double cutoff = 0;
    if (nnswift_model_cutoff(d->model, &cutoff) != NNSWIFT_OK ||
        nnswift_model_num_elements(d->model, &d->num_elements) != NNSWIFT_OK) {
        snprintf(msg, sizeof msg, "nnswift: %s", nnswift_last_error());
        return create_error(create, msg);
    }
    d->influence_distance = cutoff / d->to_model_length;
    d->will_not_request_ghost_neighbors = 1;
    /* Species code = the model's element index (what nnswift_compute_local takes). */
    for (int i = 0; i < d->num_elements; i++) {
        const char *symbol = NULL;
        if (nnswift_model_element(d->model, i, &symbol) != NNSWIFT_OK) {
            snprintf(msg, sizeof msg, "nnswift: %s", nnswift_last_error());
            return create_error(create, msg);
        }
        KIM_SpeciesName species = KIM_SpeciesName_FromString(symbol);
        if (!KIM_SpeciesName_Known(species) || KIM_ModelDriverCreate_SetSpeciesCode(create, species, i)) {
            snprintf(msg, sizeof msg, "nnswift: element '%s' of the model is not a KIM species", symbol);
            return create_error(create, msg);
        }
    }

    if (KIM_ModelDriverCreate_SetModelNumbering(create, KIM_NUMBERING_zeroBased))
        return create_error(create, "nnswift: SetModelNumbering failed");
    KIM_ModelDriverCreate_SetInfluenceDistancePointer(create, &d->influence_distance);
    KIM_ModelDriverCreate_SetNeighborListPointers(create, 1, &d->influence_distance, &d->will_not_request_ghost_neighbors);
    struct { KIM_ModelRoutineName name; int required; KIM_Function *routine; } routines[] = {
        {KIM_MODEL_ROUTINE_NAME_ComputeArgumentsCreate, 1, (KIM_Function *)compute_arguments_create},
        {KIM_MODEL_ROUTINE_NAME_Compute, 1, (KIM_Function *)compute},
        {KIM_MODEL_ROUTINE_NAME_ComputeArgumentsDestroy, 1, (KIM_Function *)compute_arguments_destroy},
        {KIM_MODEL_ROUTINE_NAME_Destroy, 1, (KIM_Function *)destroy},
    };
    for (size_t i = 0; i < sizeof routines / sizeof routines[0]; i++)
        if (KIM_ModelDriverCreate_SetRoutinePointer(create, routines[i].name, KIM_LANGUAGE_NAME_c,
                                                    routines[i].required, routines[i].routine))
            return create_error(create, "nnswift: SetRoutinePointer failed");
    return 0;
}

int nnswift_kim_model_driver_create(KIM_ModelDriverCreate *create, KIM_LengthUnit requested_length,
                                    KIM_EnergyUnit requested_energy, KIM_ChargeUnit requested_charge,
                                    KIM_TemperatureUnit requested_temperature, KIM_TimeUnit requested_time)
{
    (void)requested_charge; (void)requested_temperature; (void)requested_time;
    if (nnswift_abi_version() != NNSWIFT_ABI_VERSION)
        return create_error(create, "nnswift: libnnswift has a different ABI version than the driver was built for");
    Driver *d = calloc(1, sizeof *d);
    if (d == NULL) return create_error(create, "nnswift: out of memory");
    if (create_driver(create, d, requested_length, requested_energy)) {
        free_driver(d);
        return 1;
    }
    KIM_ModelDriverCreate_SetModelBufferPointer(create, d);
    return 0;
}
