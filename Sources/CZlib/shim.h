// zlib: gzopen/gzread inflate gzipped IDX files and pass raw files through unchanged.
#include <zlib.h>
