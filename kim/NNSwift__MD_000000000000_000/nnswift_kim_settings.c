/* Parser of the nnswift KIM settings file. Format: one "key value" per line, '#' starts a
 * comment. Keys: model (required), length_unit, energy_unit, length_factor, energy_factor. */
#include "nnswift_kim_settings.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *error, int size, const char *path, int line, const char *what, const char *value)
{
    snprintf(error, (size_t)size, "%s, line %d: %s '%s'", path, line, what, value);
    return 1;
}

static int copy_word(char *dst, const char *src)
{
    if (strlen(src) >= NNSWIFT_KIM_TEXT) return 1;
    strcpy(dst, src);
    return 0;
}

static int parse_factor(const char *text, double *value)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(v) || v <= 0) return 1;
    *value = v;
    return 0;
}

int nnswift_kim_read_settings(const char *path, nnswift_kim_settings *s, char *error, int size)
{
    memset(s, 0, sizeof *s);
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        snprintf(error, (size_t)size, "cannot open settings file %s", path);
        return 1;
    }
    char line[1024];
    int number = 0;
    int status = 0;
    while (status == 0 && fgets(line, sizeof line, file) != NULL) {
        number++;
        if (strchr(line, '\n') == NULL && !feof(file)) {
            status = fail(error, size, path, number, "line too long, starting", "...");
            break;
        }
        char *hash = strchr(line, '#');
        if (hash != NULL) *hash = '\0';
        char key[1024], value[1024], extra[1024];
        int n = sscanf(line, "%1023s %1023s %1023s", key, value, extra);
        if (n <= 0) continue;
        if (n != 2) {
            status = fail(error, size, path, number, "expected 'key value', got", line);
        } else if (strcmp(key, "model") == 0) {
            if (strchr(value, '/') != NULL || strcmp(value, "..") == 0 || copy_word(s->model, value))
                status = fail(error, size, path, number, "model must be a file name in the parameter directory (or .), got", value);
        } else if (strcmp(key, "length_unit") == 0) {
            if (copy_word(s->length_unit, value)) status = fail(error, size, path, number, "bad length_unit", value);
        } else if (strcmp(key, "energy_unit") == 0) {
            if (copy_word(s->energy_unit, value)) status = fail(error, size, path, number, "bad energy_unit", value);
        } else if (strcmp(key, "length_factor") == 0) {
            if (parse_factor(value, &s->length_factor))
                status = fail(error, size, path, number, "length_factor must be a positive number, got", value);
        } else if (strcmp(key, "energy_factor") == 0) {
            if (parse_factor(value, &s->energy_factor))
                status = fail(error, size, path, number, "energy_factor must be a positive number, got", value);
        } else {
            status = fail(error, size, path, number, "unknown key", key);
        }
    }
    if (status == 0 && ferror(file)) {
        snprintf(error, (size_t)size, "cannot read settings file %s", path);
        status = 1;
    }
    fclose(file);
    if (status == 0 && s->model[0] == '\0') {
        snprintf(error, (size_t)size, "%s: no 'model' line (the model file to load)", path);
        status = 1;
    }
    return status;
}
