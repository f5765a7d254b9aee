#include "nnswift_support.h"
#include <string.h>

static _Thread_local char last_error[2048];

void nnswift_support_set_error(const char *message) {
    if (!message) { last_error[0] = 0; return; }
    strncpy(last_error, message, sizeof last_error - 1);
    last_error[sizeof last_error - 1] = 0;
}

const char *nnswift_support_get_error(void) { return last_error; }
