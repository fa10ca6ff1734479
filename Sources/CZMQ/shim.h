// libzmq (Debian libzmq3-dev): the Jupyter kernel's sockets. zmq_msg_t and the poll item are
// plain structs, so the C API is used as is.
#include <zmq.h>
