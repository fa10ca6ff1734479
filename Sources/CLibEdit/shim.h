// libedit through its readline-compatible API. NOT <readline/readline.h>: that is GNU readline.
// Swift 6 forbids touching mutable C globals, and el_set/history are C-variadic, so every such
// use gets a tiny accessor here as the REPL needs it.
#include <stdio.h>
#include <editline/readline.h>
#include <histedit.h>
