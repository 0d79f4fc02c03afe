// max_rss COMMAND ARGS...: runs COMMAND, then prints its peak resident set
// size in KiB on the last line of standard error, and exits as it did.
// For the streaming memory-bound tests (no dependency on GNU time).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: max_rss COMMAND [ARGS...]\n");
    return 2;
  }
  const pid_t pid = ::fork();
  if (pid < 0) return 2;
  if (pid == 0) {
    ::execvp(argv[1], argv + 1);
    std::perror("max_rss: exec");
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) < 0) return 2;
  std::fprintf(stderr, "max_rss_kb %ld\n", usage.ru_maxrss);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
