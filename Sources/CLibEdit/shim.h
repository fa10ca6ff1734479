// libedit through its readline-compatible API. NOT <readline/readline.h>: that is GNU readline.
// Swift 6 forbids touching mutable C globals, and el_set/history are C-variadic, so every such
// use gets a tiny accessor here.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>
#include <histedit.h>

/// Installs the completion hook and the characters that end a completed word.
static inline void tb_set_completion(rl_completion_func_t *hook, const char *word_breaks) {
    rl_attempted_completion_function = hook;
    rl_basic_word_break_characters = word_breaks;
    rl_completer_word_break_characters = (char *)word_breaks;
}

/// The whole line being edited (completion needs the words before the cursor).
static inline const char *tb_line_buffer(void) { return rl_line_buffer ? rl_line_buffer : ""; }

/// Stop readline from falling back to file-name completion after our hook.
static inline void tb_set_completion_over(int over) { rl_attempted_completion_over = over; }

/// The character appended after a unique completion (a space, or none for directories).
static inline void tb_set_completion_append(int character) { rl_completion_append_character = character; }

/// The program name libedit uses for ~/.editrc sections.
static inline void tb_set_readline_name(const char *name) { rl_readline_name = name; }

/// Whether readline installs its own signal handlers (we handle SIGINT ourselves).
static inline void tb_set_catch_signals(int on) { rl_catch_signals = on; }

/// Number of entries in the history list.
static inline int tb_history_length(void) { return history_length; }
