// OpenBLAS's CBLAS interface plus its threading controls (only present when linking openblas).
#include <cblas.h>
