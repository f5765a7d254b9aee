#ifndef NNSWIFT_SUPPORT_H
#define NNSWIFT_SUPPORT_H
/* Thread-local last-error storage for the C API (Swift has no thread_local). */
void nnswift_support_set_error(const char *message);
const char *nnswift_support_get_error(void);
#endif
