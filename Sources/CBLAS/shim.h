// OpenBLAS 0.3.34's CBLAS interface and threading controls, from the scipy-openblas32 wheel that
// `make deps` installs into /usr/local (every symbol carries the prefix scipy_).
#include <scipy_openblas/cblas.h>
