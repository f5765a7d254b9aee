/* Settings file of an nnswift portable model (the first KIM parameter file): which model file
 * to load and, for models that declare no units (n2p2 directories), the units to declare. */
#ifndef NNSWIFT_KIM_SETTINGS_H
#define NNSWIFT_KIM_SETTINGS_H

#define NNSWIFT_KIM_TEXT 256

typedef struct {
    char model[NNSWIFT_KIM_TEXT];        /* basename in the parameter directory, or "." */
    char length_unit[NNSWIFT_KIM_TEXT];  /* KIM spelling (A, Bohr, nm, cm, m) or "" */
    char energy_unit[NNSWIFT_KIM_TEXT];  /* KIM spelling (eV, Hartree, kcal_mol, ...) or "" */
    double length_factor;                /* model length units per declared length unit (0: unset) */
    double energy_factor;                /* declared energy units per model energy unit (0: unset) */
} nnswift_kim_settings;

/* Reads `path`; returns 0, or 1 with a message naming the file, line and value in `error`. */
int nnswift_kim_read_settings(const char *path, nnswift_kim_settings *settings,
                              char *error, int error_size);

#endif
