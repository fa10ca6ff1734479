// libpng's simplified API (png_image_write_to_file / _to_memory) needs no setjmp.
#include <png.h>
